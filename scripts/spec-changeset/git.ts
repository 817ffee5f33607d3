/**
 * Read-only git helpers shared by `spec:changeset`, the changeset gate and the release flow, and
 * the one place that decides which git ref "the base" is.
 *
 * Nothing here writes to git: every command is a query (`rev-parse`, `merge-base`, `describe`,
 * `show`, `diff`, `ls-files`, `ls-tree`).
 */
import { spawnSync } from "node:child_process";

export class GitError extends Error {}

/** Runs `git args` in `cwd` and returns its stdout; throws a GitError on a non-zero exit. */
export function git(cwd: string, args: string[]): string {
  const result = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new GitError(`git ${args.join(" ")}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new GitError(`git ${args.join(" ")} failed (exit ${result.status}): ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/** Like `git`, but returns undefined instead of throwing. */
export function tryGit(cwd: string, args: string[]): string | undefined {
  try {
    return git(cwd, args);
  } catch {
    return undefined;
  }
}

export function repoRoot(cwd: string): string {
  return git(cwd, ["rev-parse", "--show-toplevel"]).trim();
}

/** The commit a ref names, or undefined when it names none. */
export function resolveCommit(cwd: string, ref: string): string | undefined {
  return tryGit(cwd, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])?.trim() || undefined;
}

/** A file's text at a commit, or undefined when the file does not exist there. */
export function showFile(cwd: string, commit: string, file: string): string | undefined {
  return tryGit(cwd, ["show", `${commit}:${file}`]);
}

/** Files (repository-relative, `/`-separated) in `dir` at a commit. */
export function listFilesAt(cwd: string, commit: string, dir: string): string[] {
  const out = tryGit(cwd, ["ls-tree", "--name-only", `${commit}`, `${dir.replace(/\/$/, "")}/`]) ?? "";
  return out.split("\n").filter(Boolean);
}

/**
 * Every file that differs between `commit` and the working tree: committed, staged and unstaged
 * changes, deleted files, and untracked files that are not ignored. Renames count as a deletion
 * plus an addition, so both paths are listed.
 */
export function changedFilesSince(cwd: string, commit: string): string[] {
  const tracked = git(cwd, ["diff", "--name-only", "--no-renames", "--no-relative", commit]);
  const untracked = git(cwd, ["ls-files", "--others", "--exclude-standard", "--full-name"]);
  return [...new Set([...tracked.split("\n"), ...untracked.split("\n")].filter(Boolean))].sort();
}

/** The tag scheme `changeset publish` creates in a monorepo: `<package name>@<version>`. */
export const RELEASE_TAG_PATTERN = "@otpkit/*@*";

export interface BaseRef {
  /** The commit everything is compared with. */
  commit: string;
  /** What the user would call it: the ref given, `merge-base(HEAD, main)`, a tag, ... */
  label: string;
  /** One sentence saying why this base was chosen, for the output. */
  reason: string;
  /** How it was found. */
  source: "explicit" | "merge-base" | "release-tag" | "first-commit";
}

export interface ResolveBaseOptions {
  /** `--base REF`: compare with the point where HEAD diverged from REF. */
  base?: string | undefined;
  /** The main branch (changesets' `baseBranch`). */
  mainBranch?: string;
  /**
   * What to do on the main branch when no release tag exists: fall back to the repository's
   * first commit (spec:changeset: everything since the beginning is unreleased), or return
   * undefined (the gate: nothing has been released, so there is nothing to gate yet).
   */
  onMainWithoutTag: "first-commit" | "none";
}

/**
 * Chooses the base ref:
 * - `--base REF` wins; the base is `git merge-base REF HEAD` (as `changeset status --since` does),
 *   so a `main` that moved on since the branch was cut does not count as a change of this branch.
 * - Off the main branch: `git merge-base HEAD main` (`origin/main` when there is no local `main`).
 * - On the main branch (or, with a detached HEAD, when main contains HEAD): the last release tag
 *   (`git describe --tags --abbrev=0 --match '@otpkit/*@*'`, the tags `changeset publish` creates).
 * - On main without any release tag: the repository's first commit, or undefined (see
 *   `onMainWithoutTag`).
 */
export function resolveBase(cwd: string, options: ResolveBaseOptions): BaseRef | undefined {
  const head = resolveCommit(cwd, "HEAD");
  if (!head) throw new GitError("this repository has no commit yet: nothing to compare with");
  if (options.base) {
    const target = resolveCommit(cwd, options.base);
    if (!target) throw new GitError(`--base ${options.base} does not name a commit`);
    const mergeBase = tryGit(cwd, ["merge-base", target, "HEAD"])?.trim();
    if (!mergeBase) throw new GitError(`--base ${options.base} shares no history with HEAD`);
    return {
      commit: mergeBase,
      label: options.base,
      reason:
        mergeBase === target
          ? `--base ${options.base}`
          : `--base ${options.base}: the point where HEAD diverged from it (${short(mergeBase)})`,
      source: "explicit",
    };
  }

  const main = options.mainBranch ?? "main";
  const mainRef = [main, `origin/${main}`, `refs/remotes/origin/${main}`].find((ref) => resolveCommit(cwd, ref));
  if (mainRef) {
    const mergeBase = tryGit(cwd, ["merge-base", "HEAD", mainRef])?.trim();
    // On a named branch, its name decides (a new branch without commits is still "not main");
    // on a detached HEAD (CI), HEAD is "on main" when main contains it.
    const branch = tryGit(cwd, ["symbolic-ref", "--quiet", "--short", "HEAD"])?.trim();
    const onMain = branch ? branch === main : mergeBase === head;
    if (mergeBase && !onMain) {
      return {
        commit: mergeBase,
        label: `merge-base(HEAD, ${mainRef})`,
        reason: `HEAD is not on ${main}: comparing with the point where it diverged from ${mainRef} (${short(mergeBase)})`,
        source: "merge-base",
      };
    }
  }

  // On main (or an ancestor of it, or in a repository without a main branch).
  const tag = tryGit(cwd, ["describe", "--tags", "--abbrev=0", "--match", RELEASE_TAG_PATTERN, "HEAD"])?.trim();
  if (tag) {
    const commit = resolveCommit(cwd, tag);
    if (commit) {
      return { commit, label: tag, reason: `on ${main}: comparing with the last release tag ${tag}`, source: "release-tag" };
    }
  }
  if (options.onMainWithoutTag === "none") return undefined;
  const roots = git(cwd, ["rev-list", "--max-parents=0", "HEAD"]).split("\n").filter(Boolean);
  const first = roots[roots.length - 1]!;
  return {
    commit: first,
    label: `first commit ${short(first)}`,
    reason:
      `on ${main} and no release tag (${RELEASE_TAG_PATTERN}) exists yet: comparing with the repository's ` +
      `first commit ${short(first)}, so everything since the beginning counts as unreleased. ` +
      `Pass --base REF to compare with something else.`,
    source: "first-commit",
  };
}

export function short(commit: string): string {
  return commit.slice(0, 7);
}
