/**
 * Consumer projects: fresh folders outside the workspace whose only link to otpkit is a registry
 * URL in their `.npmrc`. The packages are installed by name with npm, pnpm or bun, each with a
 * cache of its own in the run's temporary folder (the same versions are republished with other
 * contents on every run, so no cache may outlive it).
 *
 * After an install, two things are checked: the lockfile records the integrity the registry gives
 * for every `@otpkit/*` package (so it came from the suite's registry, not from anywhere else),
 * and each package's `@otpkit/runtime` resolves, from where that package really is on disk, to
 * the runtime version on the registry.
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { exec, tail } from "./exec.ts";

export type InstallerId = "npm" | "pnpm" | "bun";

export interface Consumer {
  readonly installer: InstallerId;
  readonly dir: string;
}

export interface InstallResult {
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
}

const RUNTIME = "@otpkit/runtime";

/** An empty project in `dir` that installs from `registry` only. */
export function createConsumer(installer: InstallerId, dir: string, registry: string, dependencies: Readonly<Record<string, string>> = {}): Consumer {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: `otpkit-consumer-${installer}`, version: "1.0.0", private: true, dependencies }, null, 2) + "\n");
  writeFileSync(path.join(dir, ".npmrc"), `registry=${registry}\n`);
  if (installer === "bun") writeFileSync(path.join(dir, "bunfig.toml"), `[install]\nregistry = "${registry}"\n`);
  return { installer, dir };
}

/** The environment an install runs with: the registry in the environment too, caches in `cacheDir`. */
export function installEnv(registry: string, cacheDir: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) if (!/^npm_config_/i.test(key)) env[key] = value;
  return {
    ...env,
    npm_config_registry: registry,
    npm_config_cache: path.join(cacheDir, "npm"),
    npm_config_store_dir: path.join(cacheDir, "pnpm-store"),
    npm_config_update_notifier: "false",
    BUN_INSTALL_CACHE_DIR: path.join(cacheDir, "bun"),
    BUN_CONFIG_REGISTRY: registry,
  };
}

/** The command that adds `specs` (`name` or `name@range`) with each package manager. */
export function addCommand(installer: InstallerId, specs: readonly string[], bun: string | undefined): [string, string[]] {
  switch (installer) {
    case "npm":
      return ["npm", ["install", "--no-audit", "--no-fund", ...specs]];
    case "pnpm":
      return ["pnpm", ["add", "--config.confirmModulesPurge=false", ...specs]];
    case "bun":
      return [bun ?? "bun", ["add", ...specs]];
  }
}

export async function install(consumer: Consumer, specs: readonly string[], env: NodeJS.ProcessEnv, bun?: string): Promise<InstallResult> {
  const [command, args] = addCommand(consumer.installer, specs, bun);
  const run = await exec(command, args, { cwd: consumer.dir, env, timeoutMs: 300_000 });
  return run.status === 0 ? { ok: true, ms: run.ms } : { ok: false, ms: run.ms, error: `${command} ${args.join(" ")} failed (exit ${run.status}):\n${tail(run)}` };
}

const LOCKFILES: Record<InstallerId, string> = { npm: "package-lock.json", pnpm: "pnpm-lock.yaml", bun: "bun.lock" };

/** The installed version of `name` and its real folder, as Node would resolve it from `from`. */
export function installedPackage(from: string, name: string): { version: string; dir: string; manifest: { version: string; dependencies?: Record<string, string> } } | undefined {
  const local = path.join(from, "node_modules", ...name.split("/"));
  if (!existsSync(path.join(local, "package.json"))) {
    // Not directly below `from` (pnpm keeps a dependency next to its dependent): resolve as Node does.
    try {
      const file = createRequire(path.join(from, "package.json")).resolve(`${name}/package.json`);
      const manifest = JSON.parse(readFileSync(file, "utf8")) as { version: string };
      return { version: manifest.version, dir: path.dirname(realpathSync(file)), manifest };
    } catch {
      return undefined;
    }
  }
  const dir = realpathSync(local);
  const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string };
  return { version: manifest.version, dir, manifest };
}

/** What the registry says about a published version (`npm view`). */
export interface Published {
  readonly version: string;
  readonly integrity: string;
}

/**
 * Problems with what is installed in `consumer`: a package missing or not at `expected`, a
 * lockfile without the registry's integrity, a vendor package whose `@otpkit/runtime` resolves to
 * something other than the published runtime.
 */
export function installProblems(consumer: Consumer, expected: Readonly<Record<string, Published>>, runtime: Published): string[] {
  const problems: string[] = [];
  const lockfile = path.join(consumer.dir, LOCKFILES[consumer.installer]);
  const lock = existsSync(lockfile) ? readFileSync(lockfile, "utf8") : "";
  if (!lock) problems.push(`${consumer.installer}: no ${LOCKFILES[consumer.installer]}`);
  for (const [name, published] of Object.entries({ ...expected, [RUNTIME]: runtime })) {
    if (lock && !lock.includes(published.integrity)) problems.push(`${consumer.installer}: ${LOCKFILES[consumer.installer]} does not record the registry's integrity for ${name}@${published.version}`);
  }
  for (const [name, published] of Object.entries(expected)) {
    const pkg = installedPackage(consumer.dir, name);
    if (!pkg) {
      problems.push(`${consumer.installer}: ${name} is not installed`);
      continue;
    }
    if (pkg.version !== published.version) problems.push(`${consumer.installer}: ${name} is ${pkg.version}, expected ${published.version}`);
    const dependency = installedPackage(pkg.dir, RUNTIME);
    if (!dependency) problems.push(`${consumer.installer}: ${name}'s ${RUNTIME} does not resolve`);
    else if (dependency.version !== runtime.version) {
      problems.push(`${consumer.installer}: ${name}@${pkg.version} (depends on ${RUNTIME}@${pkg.manifest.dependencies?.[RUNTIME]}) resolves ${RUNTIME}@${dependency.version}, not the published ${runtime.version}`);
    }
  }
  return problems;
}

/** `npm view <name>[@version] version dist.integrity` on the suite's registry. */
export async function published(name: string, env: NodeJS.ProcessEnv, cwd: string, version = "latest"): Promise<Published | undefined> {
  const run = await exec("npm", ["view", `${name}@${version}`, "version", "dist.integrity", "--json"], { cwd, env, timeoutMs: 60_000 });
  if (run.status !== 0 || !run.stdout.trim()) return undefined;
  const info = JSON.parse(run.stdout) as { version: string; "dist.integrity": string };
  return { version: info.version, integrity: info["dist.integrity"] };
}
