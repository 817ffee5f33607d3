/**
 * The changeset gate: fails when a public package or a spec changed since the base ref without a
 * changeset that releases that package. CI runs it as
 *
 *   pnpm --filter @otpkit/scripts run --silent changeset-gate [--base REF]
 *
 * What counts as a change of a package (see ../spec-changeset/README.md, "The changeset gate"):
 * - any file under the package's directory, except what users never get or see change:
 *   tests, fixtures, vitest config, caches, turbo.json, README.md (shipped with the next
 *   release), CHANGELOG.md (written by `changeset version`);
 * - package.json, only when a field other than `version`, `scripts` and `devDependencies` changed;
 * - `specs/<vendor>.yaml`, for `packages/<vendor>`, when the classifier finds any change (a
 *   comment or `$ref` layout change needs no release). The changeset must also bump at least as
 *   much as the spec diff needs.
 *
 * What covers a package: a changeset added since the base that releases it. An empty changeset
 * (`pnpm changeset --empty`) says "no release needed" for package files, not for spec changes.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { BUMP_RANK, type Bump } from "../spec-changeset/classify.ts";
import { changesetsSince } from "../spec-changeset/changesets.ts";
import { changedFilesSince, repoRoot, resolveBase, short, showFile, tryGit, type BaseRef } from "../spec-changeset/git.ts";
import { changesetForDiff, CHANGESET_DIR, diffSpecs, packageForSpec } from "../spec-changeset/run.ts";
import { bin, defaultRunner, listWorkspacePackages, type Runner } from "./workspace.ts";

/** Files under a package directory whose change does not need a release. */
const NOT_RELEASED: [RegExp, string][] = [
  [/^(test|tests|__tests__|__mocks__)\//, "tests"],
  [/(^|\/)[^/]*\.(test|spec)\.[cm]?[jt]sx?$/, "tests"],
  [/(^|\/)(fixtures?|__fixtures__)\//, "test fixtures"],
  [/^vitest\.config\.[cm]?[jt]s$/, "test config"],
  [/^(\.vitest|coverage|\.turbo|node_modules|dist)\//, "generated files"],
  [/^turbo\.json$/, "task config"],
  [/^README\.md$/i, "README (shipped with the next release)"],
  [/^CHANGELOG\.md$/, "changelog (written by changeset version)"],
];
/** package.json fields users never see. */
const UNPUBLISHED_FIELDS = new Set(["version", "scripts", "devDependencies"]);

export interface ChangedPackage {
  name: string;
  /** Why it counts as changed: files, or the spec. */
  reasons: string[];
  /** Set when its spec changed: the release type the spec diff needs. */
  spec?: { file: string; needs: Bump; expectedChangeset: string | undefined };
  coveredBy: { file: string; type: Bump | "none" }[];
}

export interface GateResult {
  ok: boolean;
  skipped: boolean;
  base?: BaseRef;
  changed: ChangedPackage[];
  /** Changed packages without a covering changeset. */
  missing: string[];
  problems: string[];
  warnings: string[];
}

export interface GateOptions {
  cwd: string;
  base?: string | undefined;
  log?: (line: string) => void;
  runner?: Runner;
}

export async function runChangesetGate(options: GateOptions): Promise<GateResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const runner = options.runner ?? defaultRunner;
  const root = repoRoot(options.cwd);
  const result: GateResult = { ok: true, skipped: false, changed: [], missing: [], problems: [], warnings: [] };

  // On main before the first release, everything since the first commit is unreleased, so every
  // change since then needs a changeset (the first-release changesets cover the initial code).
  const base = resolveBase(root, { base: options.base, onMainWithoutTag: "first-commit" });
  if (!base) {
    result.skipped = true;
    log("changeset gate: skipped: no base commit to compare with (a repository without commits?).");
    return result;
  }
  result.base = base;
  log(`changeset gate: comparing with ${base.label} (${short(base.commit)}): ${base.reason}`);

  const packages = listWorkspacePackages(root);
  const publicPackages = packages.filter((p) => !p.private);
  const byName = new Map(packages.map((p) => [p.name, p]));
  const changed = new Map<string, ChangedPackage>();
  const entry = (name: string) => {
    let c = changed.get(name);
    if (!c) changed.set(name, (c = { name, reasons: [], coveredBy: [] }));
    return c;
  };

  const files = changedFilesSince(root, base.commit);
  for (const file of files) {
    const pkg = publicPackages.find((p) => file.startsWith(`${p.relDir}/`));
    if (!pkg) continue;
    const inner = file.slice(pkg.relDir.length + 1);
    if (NOT_RELEASED.some(([re]) => re.test(inner))) continue;
    if (inner === "package.json" && !publishedManifestChanged(root, base.commit, file)) continue;
    entry(pkg.name).reasons.push(file);
  }

  for (const diff of diffSpecs(root, base.commit)) {
    if (!["changed", "new", "removed"].includes(diff.status)) continue;
    const pkg = packageForSpec(root, diff.vendor);
    if (!pkg || pkg.private) {
      result.warnings.push(`${diff.specFile} changed, but there is no public package at packages/${diff.vendor}`);
      continue;
    }
    const changeset = changesetForDiff(root, diff);
    const c = entry(pkg.name);
    c.reasons.push(`${diff.specFile} (${diff.classification!.changes.length} change(s))`);
    // A new spec's first release may be announced by a hand-written changeset: no list to match.
    c.spec = { file: diff.specFile, needs: changeset?.releaseType ?? "patch", expectedChangeset: diff.status === "new" ? undefined : changeset?.fileName };
  }

  // Changesets added (or edited) since the base.
  const pending = changesetsSince(root, base.commit, files);
  const changesetFiles = pending.map((c) => c.file);
  let waiver: string | undefined;
  for (const { file, releases, error } of pending) {
    if (error) {
      result.problems.push(`${file} is not a valid changeset: ${error}`);
      continue;
    }
    if (!releases.length) waiver = file;
    for (const release of releases) {
      const pkg = byName.get(release.name);
      if (!pkg) result.problems.push(`${file} releases ${release.name}, which is not a package of this workspace`);
      else if (pkg.private) result.problems.push(`${file} releases ${release.name}, which is private and never released`);
      else if (!["major", "minor", "patch", "none"].includes(release.type)) result.problems.push(`${file}: unknown bump "${release.type}" for ${release.name}`);
      const c = changed.get(release.name);
      if (c) c.coveredBy.push({ file, type: release.type as Bump | "none" });
    }
  }

  for (const c of [...changed.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    result.changed.push(c);
    const releasing = c.coveredBy.filter((x) => x.type !== "none");
    if (!releasing.length) {
      if (waiver && !c.spec) {
        log(`- ${c.name}: changed (${c.reasons.join(", ")}); no release, as the empty changeset ${waiver} says.`);
        continue;
      }
      result.missing.push(c.name);
      const fix = c.spec ? "run `pnpm spec:changeset`" : "run `pnpm changeset` (or `pnpm changeset --empty` if no release is needed)";
      result.problems.push(`${c.name} changed without a changeset (${c.reasons.join(", ")}): ${fix}`);
      continue;
    }
    const top = releasing.reduce((a, b) => (BUMP_RANK[b.type as Bump] > BUMP_RANK[a.type as Bump] ? b : a));
    if (c.spec && BUMP_RANK[top.type as Bump] < BUMP_RANK[c.spec.needs]) {
      result.problems.push(
        `${c.name}: ${c.spec.file} needs a ${c.spec.needs} release, but its changesets give only ${top.type} (${top.file}): run \`pnpm spec:changeset\``,
      );
      continue;
    }
    if (c.spec?.expectedChangeset && !existsSync(path.join(root, CHANGESET_DIR, c.spec.expectedChangeset))) {
      result.warnings.push(
        `${c.name}: no changeset matches the current state of ${c.spec.file} (expected .changeset/${c.spec.expectedChangeset}); if the spec changed after its changeset was written, run \`pnpm spec:changeset\` to refresh the list of changes`,
      );
    }
    log(`- ${c.name}: changed (${c.reasons.join(", ")}); covered by ${releasing.map((x) => `${x.file} (${x.type})`).join(", ")}.`);
  }
  if (!changed.size) log("- no public package and no spec changed.");

  if (!result.problems.length && changesetFiles.length) {
    await validateWithChangesets(root, base, changesetFiles, runner, result, log);
  }

  for (const w of result.warnings) log(`! ${w}`);
  for (const p of result.problems) log(`✗ ${p}`);
  result.ok = result.problems.length === 0;
  log(result.ok ? "changeset gate: ok" : `changeset gate: FAILED (${result.problems.length} problem(s))`);
  return result;
}

/** True when package.json changed in a field users see (not only version/scripts/devDependencies). */
function publishedManifestChanged(root: string, base: string, file: string): boolean {
  const before = showFile(root, base, file);
  const afterPath = path.join(root, file);
  if (before === undefined || !existsSync(afterPath)) return true;
  try {
    const a = JSON.parse(before) as Record<string, unknown>;
    const b = JSON.parse(readFileSync(afterPath, "utf8")) as Record<string, unknown>;
    for (const key of UNPUBLISHED_FIELDS) {
      delete a[key];
      delete b[key];
    }
    return canonical(a) !== canonical(b);
  } catch {
    return true;
  }
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * `changeset status --since=<base>`: changesets' own validation of the changesets (config,
 * package names, dependents) and the release plan they produce. It only sees changesets git
 * knows about, so it is skipped while one is still untracked.
 */
async function validateWithChangesets(
  root: string,
  base: BaseRef,
  changesetFiles: string[],
  runner: Runner,
  result: GateResult,
  log: (line: string) => void,
): Promise<void> {
  const untracked = changesetFiles.filter((f) => !tryGit(root, ["ls-files", "--error-unmatch", "--", f]));
  if (untracked.length) {
    log(`(changeset status skipped: ${untracked.join(", ")} not added to git yet)`);
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "otpkit-gate-"));
  const output = path.join(dir, "status.json");
  try {
    const status = await runner(bin("changeset"), ["status", `--since=${base.commit}`, `--output=${output}`], { cwd: root, capture: true });
    if (status.status !== 0 || !existsSync(output)) {
      result.problems.push(`changeset status failed:\n${(status.stdout + status.stderr).trim()}`);
      return;
    }
    const plan = JSON.parse(readFileSync(output, "utf8")) as { releases: { name: string; type: string; oldVersion: string; newVersion: string }[] };
    const releases = plan.releases.filter((r) => r.type !== "none");
    log(
      releases.length
        ? `Release plan (changeset status): ${releases.map((r) => `${r.name} ${r.oldVersion} → ${r.newVersion} (${r.type})`).join(", ")}`
        : "Release plan (changeset status): nothing to release",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

