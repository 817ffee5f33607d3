/**
 * The workspace's packages (from pnpm-workspace.yaml), and the command runner the release tools
 * use, so tests can swap it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export const scriptsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Tools installed as devDependencies of @otpkit/scripts. */
export const bin = (name: "changeset") => path.join(scriptsDir, "node_modules/.bin", name);

export interface PackageManifest {
  name?: string;
  version?: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [key: string]: unknown;
}

export interface WorkspacePackage {
  name: string;
  version: string;
  private: boolean;
  /** Absolute directory. */
  dir: string;
  /** Repository-relative directory, `/`-separated, e.g. `packages/smscx`. */
  relDir: string;
  manifest: PackageManifest;
}

export function readManifest(dir: string): PackageManifest {
  return JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as PackageManifest;
}

/** Packages matched by pnpm-workspace.yaml's `packages` (plain dirs, `dir/*` and `dir/**`). */
export function listWorkspacePackages(root: string): WorkspacePackage[] {
  const file = path.join(root, "pnpm-workspace.yaml");
  const config = existsSync(file) ? (parse(readFileSync(file, "utf8")) as { packages?: string[] } | null) : null;
  const patterns = config?.packages ?? ["packages/*"];
  const dirs = new Set<string>();
  const excluded = patterns.filter((p) => p.startsWith("!")).map((p) => p.slice(1).replace(/\/$/, ""));
  for (const pattern of patterns.filter((p) => !p.startsWith("!"))) {
    const clean = pattern.replace(/\/$/, "");
    const m = /^(.*)\/\*\*?$/.exec(clean);
    if (m) {
      const parent = path.join(root, m[1]!);
      if (!existsSync(parent)) continue;
      for (const entry of readdirSync(parent, { withFileTypes: true })) {
        if (entry.isDirectory()) dirs.add(`${m[1]}/${entry.name}`);
      }
    } else {
      dirs.add(clean);
    }
  }
  const result: WorkspacePackage[] = [];
  for (const relDir of [...dirs].sort()) {
    if (excluded.includes(relDir)) continue;
    const dir = path.join(root, relDir);
    if (!existsSync(path.join(dir, "package.json"))) continue;
    const manifest = readManifest(dir);
    if (!manifest.name) continue;
    result.push({ name: manifest.name, version: manifest.version ?? "0.0.0", private: manifest.private === true, dir, relDir, manifest });
  }
  return result;
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  /** Capture output instead of streaming it to the terminal. */
  capture?: boolean;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * Runs a command; the release tools never use a shell. A runner may answer asynchronously: tests
 * run some commands in their own process (test/fixtures/changesets-in-process.ts).
 */
export type Runner = (command: string, args: string[], options: RunOptions) => RunResult | Promise<RunResult>;

export const defaultRunner = (command: string, args: string[], options: RunOptions): RunResult => {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: "utf8",
    stdio: options.capture ? ["ignore", "pipe", "pipe"] : "inherit",
    maxBuffer: 64 * 1024 * 1024,
    timeout: options.timeoutMs,
  });
  if (result.error) return { status: 127, stdout: "", stderr: result.error.message };
  return { status: result.status ?? 1, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
};
