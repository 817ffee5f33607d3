/**
 * The publish guard: the suite runs the real `pnpm release`, so before it does, every place a
 * publish registry can come from is checked to name the suite's loopback Verdaccio, and nothing
 * else. A problem stops the suite before anything is published.
 *
 * Where `changeset publish` and the npm it runs (pnpm publishes through `npm publish`) take the
 * registry from, for each package: `publishConfig["@scope:registry"]`, `publishConfig.registry`,
 * the environment (`npm_config_registry`, `npm_config_@scope:registry`, any spelling npm accepts),
 * and npm's config files (project, user, global), where a scoped registry wins over `registry`.
 * The guard refuses any of them that names another registry, and then asks npm itself for the
 * effective values in the repository and in every package's folder.
 *
 * The environment it builds (`publishEnv`) makes the rest hold: the registry set in every
 * spelling, a temporary user and global npmrc (so no file on the machine can add a registry or a
 * token), and no credential but a dummy token for the loopback registry.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { isLoopbackHost } from "../lib/loopback.ts";
import { exec } from "./exec.ts";

export class GuardError extends Error {}

/** The registry URL as npm compares it: origin and path, with one trailing slash. */
export function normalizeRegistry(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/*$/, "/")}`;
}

/** Throws unless `url` is an http(s) URL on a loopback address with an explicit port. */
export function assertLoopbackRegistry(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new GuardError(`the suite's registry ${JSON.stringify(url)} is not a URL`);
  }
  if (!/^https?:$/.test(parsed.protocol) || !isLoopbackHost(parsed.hostname) || !parsed.port || parsed.username || parsed.password) {
    throw new GuardError(`the suite's registry must be http(s) on a loopback address with a port (127.x.x.x, [::1], localhost), not ${url}`);
  }
  return normalizeRegistry(url);
}

/** Why `value` (from `source`) is not the suite's registry, or undefined when it is. */
export function registryProblem(source: string, value: string | undefined, allowed: string): string | undefined {
  if (value === undefined || value === "") return `${source} is not set, so npm would fall back to https://registry.npmjs.org/`;
  let normalized: string;
  try {
    normalized = normalizeRegistry(value);
  } catch {
    return `${source} is ${JSON.stringify(value)}, not a URL`;
  }
  return normalized === allowed ? undefined : `${source} is ${value}, not the suite's registry ${allowed}`;
}

interface PublishedPackage {
  readonly name: string;
  readonly relDir: string;
  readonly manifest: { readonly [key: string]: unknown };
}

/** The registries a package's manifest and the environment name for publishing it. */
export function declaredRegistryProblems(pkg: PublishedPackage, env: NodeJS.ProcessEnv, allowed: string): string[] {
  const scope = pkg.name.startsWith("@") ? pkg.name.split("/")[0] : undefined;
  const problems: (string | undefined)[] = [];
  const publishConfig = (pkg.manifest["publishConfig"] ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(publishConfig)) {
    if (/(^|:)registry$/.test(key)) problems.push(registryProblem(`${pkg.name}: package.json publishConfig.${key}`, String(value), allowed));
  }
  // changesets reads exactly `npm_config_registry` (and `npm_config_<scope>:registry`), and passes
  // the registry npm's default would be when neither is set.
  problems.push(registryProblem(`${pkg.name}: environment npm_config_registry`, env["npm_config_registry"], allowed));
  if (scope) {
    const scoped = env[`npm_config_${scope}:registry`];
    if (scoped !== undefined) problems.push(registryProblem(`${pkg.name}: environment npm_config_${scope}:registry`, scoped, allowed));
  }
  return problems.filter((p): p is string => p !== undefined);
}

/** Registry settings and credentials in the environment, in any spelling npm reads. */
export function environmentProblems(env: NodeJS.ProcessEnv, allowed: string): string[] {
  const problems: string[] = [];
  const host = new URL(allowed).host;
  for (const [key, value] of Object.entries(env)) {
    if (/^npm_config_(@[^:]+:)?registry$/i.test(key)) {
      const problem = registryProblem(`environment ${key}`, value, allowed);
      if (problem) problems.push(problem);
    } else if (/^(NPM_TOKEN|NODE_AUTH_TOKEN)$/i.test(key) || (/_auth(token)?$|:_password$|:username$/i.test(key) && !key.includes(`//${host}/`))) {
      problems.push(`environment ${key} holds a credential for another registry`);
    }
  }
  return problems;
}

/** npm's effective configuration in a folder (`npm config list --json`). */
export type ConfigReader = (dir: string, env: NodeJS.ProcessEnv) => Promise<Record<string, unknown>>;

export const readNpmConfig: ConfigReader = async (dir, env) => {
  const result = await exec("npm", ["config", "list", "--json"], { cwd: dir, env, timeoutMs: 60_000 });
  if (result.status !== 0) throw new GuardError(`\`npm config list\` failed in ${dir}: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
};

/** What npm will use in `dir` for packages of `scope`: the scoped registry wins over `registry`. */
export function effectiveRegistryProblems(where: string, config: Record<string, unknown>, scopes: readonly string[], allowed: string): string[] {
  const problems = [registryProblem(`npm config registry (${where})`, config["registry"] as string | undefined, allowed)];
  for (const scope of scopes) {
    const scoped = config[`${scope}:registry`];
    if (scoped !== undefined) problems.push(registryProblem(`npm config ${scope}:registry (${where})`, String(scoped), allowed));
  }
  return problems.filter((p): p is string => p !== undefined);
}

/**
 * Checks every publish target of `packages` (in the repository `root`) with the environment the
 * release will run with; throws a GuardError listing every problem.
 */
export async function assertPublishTargets(options: {
  root: string;
  packages: readonly PublishedPackage[];
  env: NodeJS.ProcessEnv;
  registry: string;
  readConfig?: ConfigReader;
}): Promise<void> {
  const allowed = assertLoopbackRegistry(options.registry);
  const readConfig = options.readConfig ?? readNpmConfig;
  const scopes = [...new Set(options.packages.map((p) => p.name.split("/")[0]!).filter((s) => s.startsWith("@")))];
  const problems = environmentProblems(options.env, allowed);
  for (const pkg of options.packages) problems.push(...declaredRegistryProblems(pkg, options.env, allowed));
  // pnpm publishes from a temporary folder holding a copy of the package's (or else the
  // workspace's) .npmrc: both folders' settings are what npm will read.
  const folders = [["repository", options.root] as const, ...options.packages.map((p) => [p.relDir, path.join(options.root, p.relDir)] as const)];
  const configs = await Promise.all(folders.map(([, dir]) => readConfig(dir, options.env)));
  folders.forEach(([where], i) => problems.push(...effectiveRegistryProblems(where, configs[i]!, scopes, allowed)));
  if (problems.length) throw new GuardError(`refusing to publish:\n${[...new Set(problems)].map((p) => `  - ${p}`).join("\n")}`);
}

/**
 * The environment for publishing to `registry` only: the machine's environment without any npm
 * setting or credential, the registry in every spelling, and a temporary user and global npmrc
 * (written into `dir`) whose only credential is a dummy token for the loopback registry (Verdaccio
 * lets anyone publish `@otpkit/*`, but npm refuses to publish without a token).
 */
export function publishEnv(registry: string, dir: string, scopes: readonly string[], base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const allowed = assertLoopbackRegistry(registry);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (/^npm_config_|^NPM_TOKEN$|^NODE_AUTH_TOKEN$/i.test(key)) continue;
    env[key] = value;
  }
  const userconfig = path.join(dir, "publish.npmrc");
  const globalconfig = path.join(dir, "publish-global.npmrc");
  const auth = allowed.replace(/^https?:/, "");
  writeFileSync(userconfig, `registry=${allowed}\n${scopes.map((s) => `${s}:registry=${allowed}\n`).join("")}${auth}:_authToken=otpkit-consumer-suite\n`);
  writeFileSync(globalconfig, "");
  env["npm_config_registry"] = allowed;
  env["NPM_CONFIG_REGISTRY"] = allowed;
  for (const scope of scopes) env[`npm_config_${scope}:registry`] = allowed;
  env["npm_config_userconfig"] = userconfig;
  env["npm_config_globalconfig"] = globalconfig;
  return env;
}
