/**
 * The release, run for real in a temporary clone of the working tree (`cloneWorkingTree`, HEAD
 * plus uncommitted changes, committed there as one snapshot) with its own `pnpm install`: the
 * maintainer's `pnpm spec:changeset` and `pnpm release` as they will run on release day, except
 * that the registry is the suite's Verdaccio and `pnpm test` is skipped (`--skip-checks`: CI ran
 * it on the same commit just before).
 *
 * Every `pnpm release` goes through the guard first. turbo's cache for the clone lives in the
 * tools cache, so a second run of the suite rebuilds nothing that did not change.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cloneWorkingTree } from "../release/release.ts";
import { listWorkspacePackages } from "../release/workspace.ts";
import { git } from "../spec-changeset/git.ts";
import { exec, tail, type ExecResult } from "./exec.ts";
import { assertPublishTargets, publishEnv } from "./guard.ts";

const IDENTITY = { GIT_AUTHOR_NAME: "otpkit consumer suite", GIT_AUTHOR_EMAIL: "consumer-suite@otpkit.invalid", GIT_COMMITTER_NAME: "otpkit consumer suite", GIT_COMMITTER_EMAIL: "consumer-suite@otpkit.invalid" };

/** Above this size the shared turbo cache is emptied before a run (it only ever grows). */
const TURBO_CACHE_LIMIT = 512 * 1024 * 1024;

export class ReleaseClone {
  readonly dir: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(dir: string, turboCache: string) {
    this.dir = dir;
    this.env = { ...process.env, ...IDENTITY, TURBO_CACHE_DIR: turboCache, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", REDOCLY_TELEMETRY: "off" };
  }

  /** Clones `root` into `dir`, commits the working tree's changes there and installs. */
  static async create(root: string, dir: string, turboCache: string): Promise<ReleaseClone> {
    pruneCache(turboCache);
    cloneWorkingTree(root, dir, { linkNodeModules: false });
    const clone = new ReleaseClone(dir, turboCache);
    await clone.commitAll("consumer suite: the working tree as it is");
    // The store already has everything the lockfile names (CI installed it just before).
    let install = await clone.run("pnpm", ["install", "--frozen-lockfile", "--offline"]);
    if (install.status !== 0) install = await clone.run("pnpm", ["install", "--frozen-lockfile", "--prefer-offline"]);
    if (install.status !== 0) throw new Error(`pnpm install in the clone failed:\n${tail(install)}`);
    return clone;
  }

  run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = this.env): Promise<ExecResult> {
    return exec(command, args, { cwd: this.dir, env, timeoutMs: 20 * 60_000 });
  }

  /** Commits everything (a maintainer's commit before `pnpm release`); no-op when clean. */
  async commitAll(message: string): Promise<void> {
    if (!git(this.dir, ["status", "--porcelain"]).trim()) return;
    for (const args of [["add", "-A"], ["commit", "--quiet", "--no-verify", "-m", message]]) {
      const r = await this.run("git", args);
      if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed in the clone:\n${tail(r)}`);
    }
  }

  head(): string {
    return git(this.dir, ["rev-parse", "HEAD"]).trim();
  }

  /** `pnpm spec:changeset --base <base>`: the changeset files it wrote, by name, with their text. */
  async specChangeset(base: string): Promise<{ result: ExecResult; written: Record<string, string> }> {
    const before = new Set(this.changesets());
    const result = await this.run("pnpm", ["spec:changeset", "--base", base]);
    const written = Object.fromEntries(this.changesets().filter((f) => !before.has(f)).map((f) => [f, readFileSync(path.join(this.dir, ".changeset", f), "utf8")]));
    return { result, written };
  }

  private changesets(): string[] {
    return readdirSync(path.join(this.dir, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");
  }

  /**
   * The guard, then `pnpm release --skip-checks` with the publish environment for `registry`.
   * A guard refusal throws before anything runs.
   */
  async release(registry: string, scratch: string): Promise<ExecResult> {
    mkdirSync(scratch, { recursive: true });
    const packages = listWorkspacePackages(this.dir).filter((p) => !p.private);
    const scopes = [...new Set(packages.map((p) => p.name.split("/")[0]!).filter((s) => s.startsWith("@")))];
    const env = { ...publishEnv(registry, scratch, scopes), ...IDENTITY, TURBO_CACHE_DIR: this.env["TURBO_CACHE_DIR"], TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
    await assertPublishTargets({ root: this.dir, packages, env, registry });
    const result = await this.run("pnpm", ["release", "--skip-checks"], env);
    writeFileSync(path.join(scratch, "release.log"), `${result.stdout}\n${result.stderr}`);
    return result;
  }
}

function folderSize(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? folderSize(full) : statSync(full).size;
  }
  return total;
}

function pruneCache(dir: string): void {
  if (folderSize(dir) > TURBO_CACHE_LIMIT) rmSync(dir, { recursive: true, force: true });
}
