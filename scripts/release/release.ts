/**
 * `pnpm release [--dry-run] [--all]`: build, test, `changeset version`, check the tarballs, then
 * `changeset publish` (which uploads only versions that are not on the registry yet and tags
 * them `<name>@<version>`).
 *
 * The dry run does everything except the upload and never changes the working tree:
 * `changeset version` runs in a temporary clone of the repository (a `git clone --shared` of
 * HEAD with the working tree's uncommitted changes copied over), the packages that would be
 * published are packed there with `pnpm pack` (so `workspace:^` ranges get the new versions),
 * with what git ignores in their real directories (the builds' `dist/`, generated sources) copied
 * in, and every tarball's files are listed and checked (publint, attw, files list). The clone is
 * deleted afterwards.
 *
 * `checkAllTarballs` (`check-tarballs`) packs every public package as it is now, in the checkout,
 * without versioning, and checks each tarball the same way.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { changedFilesSince, git, repoRoot, resolveCommit } from "../spec-changeset/git.ts";
import { checkTarball, formatReport, packWorkspacePackages, type PackResult, type TarballReport } from "./tarballs.ts";
import { bin, defaultRunner, listWorkspacePackages, readManifest, type Runner, type WorkspacePackage } from "./workspace.ts";

export interface ReleaseOptions {
  cwd: string;
  dryRun?: boolean;
  /** Check the tarballs of every public package, not only the ones being released. */
  all?: boolean;
  /** Skip `pnpm build` and `pnpm test` (the caller ran them already). */
  skipChecks?: boolean;
  /** Do not ask the registry which versions are published (dry run only). */
  offline?: boolean;
  /** Real release: do not commit the version bump before publishing. */
  noCommit?: boolean;
  /** Real release: allow uncommitted changes. */
  allowDirty?: boolean;
  /** Keep the temporary clone and tarballs, and print where they are. */
  keepTemp?: boolean;
  runner?: Runner;
  log?: (line: string) => void;
}

export interface PlannedRelease {
  name: string;
  oldVersion: string;
  newVersion: string;
  /** Why it would be published: bumped by `changeset version`, or not on the registry yet. */
  reason: "bumped" | "unpublished";
  changelog?: string;
}

export interface ReleaseResult {
  ok: boolean;
  releases: PlannedRelease[];
  tarballs: TarballReport[];
  problems: string[];
}

class StepFailed extends Error {}

export async function runRelease(options: ReleaseOptions): Promise<ReleaseResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const runner = options.runner ?? defaultRunner;
  const root = repoRoot(options.cwd);
  const result: ReleaseResult = { ok: false, releases: [], tarballs: [], problems: [] };
  const temp = mkdtempSync(path.join(os.tmpdir(), "otpkit-release-"));
  const step = async (command: string, args: string[], cwd = root) => {
    log(`$ ${[path.basename(command), ...args].join(" ")}`);
    const r = await runner(command, args, { cwd });
    if (r.status !== 0) throw new StepFailed(`\`${path.basename(command)} ${args.join(" ")}\` failed (exit ${r.status})`);
  };

  try {
    if (options.dryRun) log("Release dry run: everything but the upload; the working tree is not changed.");
    else if (!options.allowDirty) {
      const dirty = git(root, ["status", "--porcelain"]).trim();
      if (dirty) throw new StepFailed(`the working tree has uncommitted changes; commit or stash them first (or pass --allow-dirty):\n${dirty}`);
    }

    if (!options.skipChecks) {
      await step("pnpm", ["build"]);
      await step("pnpm", ["test"]);
    } else {
      log("(build and tests skipped: --skip-checks)");
    }

    const before = new Map(listWorkspacePackages(root).map((p) => [p.name, p.version]));
    // Where `changeset version` runs: a temporary clone for the dry run, the repository otherwise.
    const workRoot = options.dryRun ? cloneWorkingTree(root, path.join(temp, "repo")) : root;
    if (options.dryRun) log(`Temporary clone for \`changeset version\`: ${workRoot}`);
    await step(bin("changeset"), ["version"], workRoot);
    const after = listWorkspacePackages(workRoot);
    for (const pkg of after) {
      if (pkg.private) continue;
      const old = before.get(pkg.name) ?? "0.0.0";
      if (old !== pkg.version) {
        result.releases.push({ name: pkg.name, oldVersion: old, newVersion: pkg.version, reason: "bumped", changelog: newestChangelogSection(pkg.dir) });
      }
    }
    if (!options.offline) {
      for (const pkg of after.filter((p) => !p.private && !result.releases.some((r) => r.name === p.name))) {
        const published = await isPublished(pkg.name, pkg.version, runner, root);
        if (published === false) result.releases.push({ name: pkg.name, oldVersion: pkg.version, newVersion: pkg.version, reason: "unpublished" });
        if (published === undefined) log(`! could not ask the registry about ${pkg.name}@${pkg.version}; assuming it is published`);
      }
    }

    if (!result.releases.length) {
      log(options.offline ? "Nothing to release: no pending changeset (the registry was not asked: --offline)." : "Nothing to release: no pending changeset and every public version is on the registry.");
    }
    for (const r of result.releases) {
      log(r.reason === "bumped" ? `${r.name}: ${r.oldVersion} → ${r.newVersion}` : `${r.name}@${r.newVersion}: not on the registry yet`);
      if (r.changelog) log(indent(r.changelog, "    | "));
    }

    // The new versions, which the build embeds (the User-Agent): also with --skip-checks, which
    // skips only the checks that run before versioning.
    if (!options.dryRun && result.releases.some((r) => r.reason === "bumped")) {
      await step("pnpm", ["build"]);
    }

    const toCheck = options.all ? after.filter((p) => !p.private) : after.filter((p) => result.releases.some((r) => r.name === p.name));
    if (toCheck.length) log(`Tarballs (${options.all ? "every public package" : "packages to publish"}):`);
    const packDir = path.join(temp, "tarballs");
    mkdirSync(packDir, { recursive: true });
    if (options.dryRun) {
      const ignored = ignoredPaths(root);
      for (const pkg of toCheck) prepareForPack(root, workRoot, pkg, after, ignored);
    }
    for (const report of await packAndCheck(workRoot, toCheck, packDir, runner)) {
      result.tarballs.push(report);
      log(formatReport(report));
      if (!report.ok) result.problems.push(`${report.name}@${report.version}: tarball check failed`);
    }
    if (result.problems.length) throw new StepFailed(result.problems.join("\n"));

    if (options.dryRun) {
      const publishing = result.releases.map((r) => `${r.name}@${r.newVersion}`);
      log(publishing.length ? `Dry run OK. \`changeset publish\` would upload: ${publishing.join(", ")}` : "Dry run OK. Nothing would be uploaded.");
      result.ok = true;
      return result;
    }

    if (!options.noCommit && git(root, ["status", "--porcelain"]).trim()) {
      await step("git", ["add", "-A", "--", ".changeset", ...after.map((p) => p.relDir)]);
      const summary = result.releases.filter((r) => r.reason === "bumped").map((r) => `${r.name}@${r.newVersion}`);
      await step("git", ["commit", "-m", `Version packages\n\n${summary.map((s) => `- ${s}`).join("\n")}`]);
    }
    await step(bin("changeset"), ["publish"]);
    log("Published. Push the release commit and its tags: git push --follow-tags");
    result.ok = true;
    return result;
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
    result.problems = [...new Set([...result.problems, error.message])];
    log(`✗ release ${options.dryRun ? "dry run " : ""}failed: ${error.message}`);
    if (!options.dryRun) log("Nothing was published. `git status` shows what `changeset version` changed, if it ran.");
    return result;
  } finally {
    if (options.keepTemp) log(`(kept ${temp})`);
    else rmSync(temp, { recursive: true, force: true });
  }
}

/** Packs every public package as it is now (built beforehand) and checks each tarball. */
export async function checkAllTarballs(options: { cwd: string; runner?: Runner; log?: (line: string) => void; keepTemp?: boolean }): Promise<ReleaseResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const runner = options.runner ?? defaultRunner;
  const root = repoRoot(options.cwd);
  const result: ReleaseResult = { ok: false, releases: [], tarballs: [], problems: [] };
  const temp = mkdtempSync(path.join(os.tmpdir(), "otpkit-tarballs-"));
  try {
    const built: WorkspacePackage[] = [];
    for (const pkg of listWorkspacePackages(root).filter((p) => !p.private)) {
      if (existsSync(path.join(pkg.dir, "dist"))) {
        built.push(pkg);
        continue;
      }
      result.problems.push(`${pkg.name}: no dist/ (run \`pnpm build\` first)`);
      log(`✗ ${pkg.name}: no dist/ in ${pkg.relDir}: run \`pnpm build\` first`);
    }
    for (const report of await packAndCheck(root, built, temp, runner)) {
      result.tarballs.push(report);
      log(formatReport(report));
      if (!report.ok) result.problems.push(`${report.name}@${report.version}: tarball check failed`);
    }
    result.ok = result.problems.length === 0;
    log(result.ok ? `Tarball check OK (${result.tarballs.length} packages).` : `Tarball check FAILED:\n${result.problems.map((p) => `  - ${p}`).join("\n")}`);
    return result;
  } finally {
    if (options.keepTemp) log(`(kept ${temp})`);
    else rmSync(temp, { recursive: true, force: true });
  }
}

/** Packs `packages` (of the workspace at `root`) in one pnpm run and checks each tarball; a failed pack fails every package's report. */
async function packAndCheck(root: string, packages: WorkspacePackage[], outDir: string, runner: Runner): Promise<TarballReport[]> {
  if (!packages.length) return [];
  let packs: PackResult[];
  try {
    packs = await packWorkspacePackages(root, packages.map((p) => p.name), outDir, runner);
  } catch (error) {
    return packages.map((pkg) => failedReport(pkg, error));
  }
  const reports: TarballReport[] = [];
  for (const [i, pack] of packs.entries()) reports.push(await checkTarball(pack, { runner }).catch((error: unknown) => failedReport(packages[i]!, error)));
  return reports;
}

const failedReport = (pkg: WorkspacePackage, error: unknown): TarballReport => ({
  name: pkg.name,
  version: pkg.version,
  tarball: "",
  sizeBytes: 0,
  files: [],
  problems: [(error as Error).message],
  ok: false,
});

/**
 * A clone of HEAD plus the working tree's uncommitted changes, for the dry run (and the consumer
 * suite's real release). `--shared` borrows the object store (read-only), so the clone is instant
 * and the repository is untouched.
 */
export function cloneWorkingTree(root: string, target: string, options: { linkNodeModules?: boolean } = {}): string {
  const head = resolveCommit(root, "HEAD")!;
  git(path.dirname(target), ["clone", "--quiet", "--shared", "--no-checkout", root, target]);
  git(target, ["checkout", "--quiet", "--detach", head]);
  for (const file of changedFilesSince(root, head)) {
    const from = path.join(root, file);
    const to = path.join(target, file);
    if (existsSync(from)) {
      mkdirSync(path.dirname(to), { recursive: true });
      cpSync(from, to, { recursive: true });
    } else {
      rmSync(to, { force: true, recursive: true });
    }
  }
  // changesets resolves its changelog module from `.changeset/`, so it needs the installed tools
  // (a clone that gets its own `pnpm install` passes linkNodeModules: false).
  if (options.linkNodeModules !== false && existsSync(path.join(root, "node_modules")) && !existsSync(path.join(target, "node_modules"))) {
    symlinkSync(path.join(root, "node_modules"), path.join(target, "node_modules"), "dir");
  }
  return target;
}

/**
 * Makes a package in the clone packable as the real checkout would pack it: the files git ignores
 * there (the build's `dist/`, generated sources, caches: all that `pnpm build` and the tests left,
 * except node_modules) are copied over, so the clone's tarball holds what a release from the
 * checkout would ship and the files-list rules judge all of it; and links to the workspace
 * packages it depends on, which `pnpm pack` reads to replace `workspace:` ranges with the new
 * versions.
 */
function prepareForPack(root: string, workRoot: string, pkg: WorkspacePackage, workspace: WorkspacePackage[], ignored: string[]): void {
  for (const entry of ignored.filter((p) => p.startsWith(`${pkg.relDir}/`) && !/(^|\/)node_modules\/?$/.test(p))) {
    const target = path.join(workRoot, entry);
    if (existsSync(target)) continue;
    try {
      cpSync(path.join(root, entry), target, { recursive: true });
    } catch (error) {
      // A test's scratch file removed while it was copied: gone from the checkout too.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  const manifest = readManifest(pkg.dir);
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"] as const) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (!String(range).startsWith("workspace:")) continue;
      const target = workspace.find((p) => p.name === dep);
      if (!target) continue;
      const link = path.join(pkg.dir, "node_modules", ...dep.split("/"));
      if (existsSync(link)) continue;
      mkdirSync(path.dirname(link), { recursive: true });
      symlinkSync(path.join(workRoot, target.relDir), link, "dir");
    }
  }
}

/** The paths git ignores in the checkout (a directory as one `dir/` entry), repository-relative. */
function ignoredPaths(root: string): string[] {
  return git(root, ["ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"]).split("\0").filter(Boolean);
}

/** True / false when the registry answered, undefined when it could not be asked. */
async function isPublished(name: string, version: string, runner: Runner, cwd: string): Promise<boolean | undefined> {
  const r = await runner("npm", ["view", `${name}@${version}`, "version", "--json"], { cwd, capture: true, timeoutMs: 30_000 });
  if (r.status === 0) return r.stdout.trim() !== "" && r.stdout.includes(version);
  if (/E404|404 Not Found|is not in this registry/i.test(r.stdout + r.stderr)) return false;
  return undefined;
}

/** The first `## <version>` section of a package's CHANGELOG.md. */
function newestChangelogSection(dir: string): string | undefined {
  const file = path.join(dir, "CHANGELOG.md");
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, "utf8");
  const start = text.indexOf("\n## ");
  if (start < 0) return undefined;
  const next = text.indexOf("\n## ", start + 4);
  return text.slice(start + 1, next < 0 ? undefined : next).trim();
}

const indent = (text: string, prefix: string) =>
  text
    .split("\n")
    .map((l) => `${prefix}${l}`)
    .join("\n");
