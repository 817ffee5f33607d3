/**
 * A throwaway clone of the repository for the parts that build and test from cold: they delete
 * build outputs and caches, which must never happen in the working copy others test against.
 * `git clone` of the working copy gives its committed state (HEAD), installed with the lockfile.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "./report.ts";

export interface Clone {
  readonly dir: string;
  /** The clone's commit, short. */
  readonly commit: string;
  /** Removes the clone, unless it was given by the caller or kept on request. */
  dispose(): void;
}

export interface Run {
  readonly code: number;
  readonly ms: number;
  /** CPU time (user + system) of the command and every process under it; undefined without /proc. */
  readonly cpuMs?: number;
  readonly output: string;
}

let clockTicks: number | undefined;

/**
 * CPU time of this process's reaped children, from /proc/self/stat (cutime + cstime): it grows by
 * a command's whole process tree when the command exits, since each parent reaps its own children.
 */
function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    clockTicks ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / clockTicks;
  } catch {
    return undefined;
  }
}

/** Child processes get no telemetry and no colour, so their output can be parsed. */
export const quietEnv = (): NodeJS.ProcessEnv => ({
  // The bench itself runs as a pnpm script: leave out what pnpm set for it (its package, its
  // lifecycle, its cwd), so commands in the clone run as if typed there.
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_package_|npm_lifecycle_|PNPM_SCRIPT_SRC_DIR$|INIT_CWD$)/.test(key))),
  TURBO_TELEMETRY_DISABLED: "1",
  DO_NOT_TRACK: "1",
  REDOCLY_TELEMETRY: "off",
  NO_COLOR: "1",
  FORCE_COLOR: "0",
});

/** Runs a command to completion, timing it (wall clock, spawn to exit) and capturing its output. */
export function run(command: string, args: readonly string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const cpuBefore = childrenCpuMs();
    const child = spawn(command, args, { cwd, env: { ...quietEnv(), ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const take = (chunk: Buffer) => (output += chunk.toString());
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      const cpuAfter = childrenCpuMs();
      const cpuMs = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
      resolve({ code: code ?? (signal ? 128 : 1), ms: performance.now() - start, cpuMs, output });
    });
  });
}

/** Refuses any directory that is the working copy itself (or inside it). */
export function assertNotWorkingCopy(dir: string): void {
  const real = realpathSync(dir);
  const root = realpathSync(repoRoot);
  if (real === root || real.startsWith(root + path.sep)) {
    throw new Error(`refusing to run cold builds in ${dir}: it is the working copy (${root}); use a clone`);
  }
}

export async function prepareClone(given: string | undefined, keep: boolean, log: (line: string) => void): Promise<Clone> {
  let dir: string;
  let created = false;
  if (given) {
    dir = path.resolve(given);
    if (!existsSync(path.join(dir, ".git"))) throw new Error(`--clone ${dir} is not a git clone of otpkit`);
    assertNotWorkingCopy(dir);
    log(`clone: using ${dir}`);
  } else {
    dir = path.join(mkdtempSync(path.join(os.tmpdir(), "otpkit-bench-")), "otpkit");
    created = true;
    log(`clone: git clone ${repoRoot} ${dir}`);
    const cloned = await run("git", ["clone", "--quiet", repoRoot, dir], os.tmpdir());
    if (cloned.code) throw new Error(`git clone failed:\n${cloned.output}`);
    assertNotWorkingCopy(dir);
  }
  if (!existsSync(path.join(dir, "node_modules"))) {
    log("clone: pnpm install --frozen-lockfile");
    const installed = await run("pnpm", ["install", "--frozen-lockfile", "--prefer-offline"], dir);
    if (installed.code) throw new Error(`pnpm install failed in ${dir}:\n${installed.output.slice(-3000)}`);
  }
  const commit = (await run("git", ["rev-parse", "--short", "HEAD"], dir)).output.trim();
  return {
    dir,
    commit,
    dispose() {
      if (created && !keep) rmSync(path.dirname(dir), { recursive: true, force: true });
      else log(`clone: kept at ${dir}`);
    },
  };
}
