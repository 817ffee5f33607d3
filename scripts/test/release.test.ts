/**
 * `pnpm release` and the tarball checks, in temporary repositories whose packages carry a tiny
 * hand-written dist/ (no build needed): the files-list rules, publint and attw on real tarballs,
 * the dry run (which must leave the working tree as it found it; one run, read by two tests), the
 * CLI's exit codes, and the order of the real release's steps with the upload stubbed out.
 * `changeset version` runs changesets' code in this process (./fixtures/changesets-in-process.ts),
 * except under the CLI's process run.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { main } from "../release/cli.ts";
import { checkAllTarballs, runRelease, type ReleaseResult } from "../release/release.ts";
import { checkTarball, filesListProblems, packWorkspacePackages, type PackResult } from "../release/tarballs.ts";
import { defaultRunner, type Runner } from "../release/workspace.ts";
import { runSpecChangeset } from "../spec-changeset/run.ts";
import { changesetsInProcess } from "./fixtures/changesets-in-process.ts";
import { createTempRepo, gitEnv, packageJson, runMain, runTsx, scriptsDir, writeDist, type TempRepo } from "./fixtures/spec-changeset/temp-repo.ts";

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function repo(options: Parameters<typeof createTempRepo>[0] = { vendors: ["smscx"], withDist: true }): TempRepo {
  const r = createTempRepo(options);
  cleanups.push(r.cleanup);
  return r;
}
const collect = () => {
  const lines: string[] = [];
  return { lines, log: (line: string) => lines.push(line), text: () => lines.join("\n") };
};
const specEdit = (r: TempRepo) => r.editSpec("smscx", (t) => t.replace(/(\n      properties:\n        pin:\n          type: string\n)/, "$1          maxLength: 10\n"));

/** Everything in the repository's working tree that git sees, with content hashes. */
function snapshot(r: TempRepo): string {
  return r.git("status", "--porcelain", "--untracked-files=all") + r.git("ls-files", "-s") + r.git("diff") + r.changesets().map((f) => f + r.read(`.changeset/${f}`)).join("");
}

function writeGoodPackage(pkg: string): void {
  mkdirSync(pkg);
  writeFileSync(path.join(pkg, "package.json"), packageJson("@otpkit/good", "1.0.0", {}));
  writeDist(pkg);
}

function writeBadPackage(pkg: string): void {
  mkdirSync(path.join(pkg, "dist"), { recursive: true });
  mkdirSync(path.join(pkg, "src"));
  mkdirSync(path.join(pkg, "test"));
  const manifest = JSON.parse(packageJson("@otpkit/bad", "1.0.0", {}));
  manifest.files = ["dist", "src", "test"];
  writeFileSync(path.join(pkg, "package.json"), JSON.stringify(manifest));
  writeFileSync(path.join(pkg, "src/index.ts"), "export const value = 1;\n");
  writeFileSync(path.join(pkg, "test/a.test.ts"), "\n");
  writeFileSync(path.join(pkg, "dist/index.js"), "export const value = 1;\n");
  writeFileSync(path.join(pkg, "dist/index.js.map"), JSON.stringify({ version: 3, sources: ["../src/index.ts"], names: [], mappings: "" }));
}

describe("files-list rules", () => {
  test("a clean package passes", () => {
    expect(filesListProblems(["CHANGELOG.md", "LICENSE", "README.md", "dist/index.cjs", "dist/index.cjs.map", "dist/index.d.cts", "dist/index.d.ts", "dist/index.js", "dist/index.js.map", "package.json"])).toEqual([]);
  });

  test("tests, fixtures, sources, configs, caches and anything but build output are refused; README, LICENSE and the dist entry points are required", () => {
    const problems = filesListProblems([
      "package.json",
      "src/index.ts",
      "test/client.test.ts",
      "dist/client.test.js",
      "test/fixtures/body.json",
      "tsconfig.json",
      "tsdown.config.ts",
      ".turbo/turbo-build.log",
      "notes.txt",
      "dist/index.js",
      "dist/notes.md",
      "readme.md",
      "LICENSE.txt",
    ]);
    const allowed = "not in the allowed list (package.json, README.md, CHANGELOG.md, LICENSE, and the build's .js, .cjs, .d.ts, .d.cts and sourcemaps in dist/)";
    expect(problems).toEqual([
      "src/index.ts: a source file (sourcemaps embed sourcesContent, so sources are not shipped) must not be published",
      "test/client.test.ts: a test file must not be published",
      "dist/client.test.js: a test file must not be published",
      "test/fixtures/body.json: a test file must not be published",
      "tsconfig.json: a TypeScript config must not be published",
      "tsdown.config.ts: a build or test config must not be published",
      ".turbo/turbo-build.log: a build or test cache must not be published",
      `notes.txt: ${allowed}`,
      `dist/notes.md: ${allowed}`,
      `readme.md: ${allowed}`,
      `LICENSE.txt: ${allowed}`,
      "README.md is missing: npm would show an empty page",
      "LICENSE is missing: the license field alone does not carry the license text",
      "dist/index.cjs is missing: package.json's main, module, types and exports point at the dist/index files",
      "dist/index.d.ts is missing: package.json's main, module, types and exports point at the dist/index files",
      "dist/index.d.cts is missing: package.json's main, module, types and exports point at the dist/index files",
    ]);
    expect(filesListProblems(["LICENSE", "README.md", "package.json"])).toEqual(["dist/ is empty: build the package before packing it"]);
  });
});

describe("tarball checks on packed packages", () => {
  // A well-formed and a broken package, packed once (one pnpm run) for the two tests that check them.
  let dir = "";
  let packs: { good: PackResult; bad: PackResult };
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "otpkit-release-test-"));
    writeFileSync(path.join(dir, "pnpm-workspace.yaml"), "packages:\n  - good\n  - bad\n");
    writeGoodPackage(path.join(dir, "good"));
    writeBadPackage(path.join(dir, "bad"));
    const [good, bad] = await packWorkspacePackages(dir, ["@otpkit/good", "@otpkit/bad"], dir);
    packs = { good: good!, bad: bad! };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("a well-formed package passes publint, attw and the files list", async () => {
    const report = await checkTarball(packs.good);
    expect(report.files).toEqual(["LICENSE", "README.md", "dist/index.cjs", "dist/index.d.cts", "dist/index.d.ts", "dist/index.js", "dist/index.js.map", "package.json"]);
    expect(report.problems).toEqual([]);
    expect(report.publint?.ok).toBe(true);
    expect(report.attw?.ok).toBe(true);
    expect(report.ok).toBe(true);
  });

  test("a package shipping sources and tests, with broken types and a sourcemap without sources, fails", async () => {
    const report = await checkTarball(packs.bad);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        "src/index.ts: a source file (sourcemaps embed sourcesContent, so sources are not shipped) must not be published",
        "test/a.test.ts: a test file must not be published",
        "README.md is missing: npm would show an empty page",
        "LICENSE is missing: the license field alone does not carry the license text",
        "dist/index.js.map: points at sources that are not in the tarball and embeds no sourcesContent",
        "publint found problems",
        "attw (Are The Types Wrong) found problems",
      ]),
    );
    expect(report.publint?.output).toMatch(/index\.cjs|does not exist/);
  });

  test("checkAllTarballs: every public package as it is now; an unbuilt package fails with a clear message", async () => {
    const built = repo();
    const ok = collect();
    const result = await checkAllTarballs({ cwd: built.dir, log: ok.log });
    expect(result.ok).toBe(true);
    expect(result.tarballs.map((t) => `${t.name}@${t.version}`)).toEqual(["@otpkit/runtime@0.0.0", "@otpkit/smscx@0.0.0"]);
    expect(ok.text()).toContain("Tarball check OK (2 packages).");

    const unbuilt = repo({ vendors: ["smscx"] });
    const ko = collect();
    const failed = await checkAllTarballs({ cwd: unbuilt.dir, log: ko.log });
    expect(failed.ok).toBe(false);
    expect(failed.problems).toEqual(["@otpkit/runtime: no dist/ (run `pnpm build` first)", "@otpkit/smscx: no dist/ (run `pnpm build` first)"]);
  });
});

describe("pnpm release --dry-run", () => {
  // One dry run, read by the two tests below (each dry run versions, packs and checks: seconds of
  // CPU): a committed runtime changeset, an uncommitted spec change of smscx with the changeset
  // spec:changeset wrote for it (the dry run must see both), and ding, which only depends on the
  // runtime. --keep-temp keeps the clone to read a tarball; the CLI test proves it goes otherwise.
  let r: TempRepo;
  let before = "";
  let result: ReleaseResult;
  const out = collect();
  beforeAll(async () => {
    r = createTempRepo({ vendors: ["ding", "smscx"], withDist: true });
    r.write(".changeset/runtime.md", '---\n"@otpkit/runtime": minor\n---\n\nRetries honour `Retry-After`.\n');
    r.commitAll("runtime changeset");
    specEdit(r);
    runSpecChangeset({ cwd: r.dir, log: () => {} });
    before = snapshot(r);
    result = await runRelease({ cwd: r.dir, dryRun: true, all: true, skipChecks: true, offline: true, keepTemp: true, log: out.log, runner: changesetsInProcess() });
  });
  afterAll(() => {
    r?.cleanup();
    const kept = /^\(kept (.*)\)$/m.exec(out.text())?.[1];
    if (kept) rmSync(kept, { recursive: true, force: true });
  });

  test("versions in a temporary clone, packs and checks what would be published, and leaves the working tree as it was", () => {
    expect(out.text()).not.toContain("failed");
    expect(result.ok).toBe(true);
    const smscx = result.releases.find((x) => x.name === "@otpkit/smscx");
    expect(smscx).toMatchObject({ oldVersion: "0.0.0", newVersion: "0.1.0", reason: "bumped" });
    expect(smscx!.changelog).toContain("- **Vendor API:** SMS.cx OTP API changes from `specs/smscx.yaml`: 1 breaking change.");
    expect(smscx!.changelog).toContain("  - Operation `VerifyPin`: request field `pin` now has `maxLength: 10` (narrowed input: breaking)");
    const tarball = result.tarballs.find((t) => t.name === "@otpkit/smscx");
    expect(tarball).toMatchObject({ version: "0.1.0", ok: true });
    expect(tarball!.files).toEqual(["CHANGELOG.md", "LICENSE", "README.md", "dist/index.cjs", "dist/index.d.cts", "dist/index.d.ts", "dist/index.js", "dist/index.js.map", "package.json"]);
    expect(out.text()).toContain("@otpkit/smscx: 0.0.0 → 0.1.0");
    expect(out.text()).toContain("    dist/index.d.cts");
    expect(out.text()).toContain("Dry run OK. `changeset publish` would upload: @otpkit/ding@0.0.1, @otpkit/runtime@0.1.0, @otpkit/smscx@0.1.0");

    expect(snapshot(r)).toBe(before);
    expect(JSON.parse(r.read("packages/smscx/package.json")).version).toBe("0.0.0");
    expect(r.exists("packages/smscx/CHANGELOG.md")).toBe(false);
  });

  test("--all checks every public package; a dependent's tarball gets the new version range; --keep-temp keeps the clone", () => {
    expect(result.releases.map((x) => `${x.name} ${x.oldVersion} → ${x.newVersion}`)).toEqual(["@otpkit/ding 0.0.0 → 0.0.1", "@otpkit/runtime 0.0.0 → 0.1.0", "@otpkit/smscx 0.0.0 → 0.1.0"]);
    expect(out.text()).toContain("Tarballs (every public package):");
    expect(result.tarballs.map((t) => `${t.name}@${t.version}`)).toEqual(["@otpkit/ding@0.0.1", "@otpkit/runtime@0.1.0", "@otpkit/smscx@0.1.0"]);
    const ding = result.tarballs[0]!;
    const manifest = JSON.parse(defaultRunner("tar", ["-xzOf", ding.tarball, "package/package.json"], { cwd: r.dir, capture: true }).stdout);
    expect(manifest.dependencies).toEqual({ "@otpkit/runtime": "^0.1.0" });
    expect(result.releases[0]!.changelog).toContain("- **SDK:** now uses `@otpkit/runtime@0.1.0`; see its CHANGELOG for what changed.");
    const clone = /Temporary clone for `changeset version`: (.*)$/m.exec(out.text())![1]!;
    expect(out.text()).toContain(`(kept ${path.dirname(clone)})`);
    expect(existsSync(clone)).toBe(true);
  });

  // The file's one real process run of this CLI, and its one run of the real `changeset version`
  // (the other tests run changesets' code in this process). The CLI's exit 0 runs as a process in
  // every `pnpm test` too: turbo's //#release:dry-run is this CLI (--dry-run --all --skip-checks
  // --offline) on the real workspace, and fails the run on any other exit code.
  test("the CLI: a tarball that ships tests fails the dry run with exit 1, only the packages to publish are packed, the clone is gone; bad flags exit 2", async () => {
    const r = repo();
    r.write("packages/smscx/test/fixture.json", "{}\n");
    const manifest = JSON.parse(r.read("packages/smscx/package.json"));
    manifest.files.push("test");
    r.write("packages/smscx/package.json", JSON.stringify(manifest, null, 2));
    r.write(".changeset/smscx.md", '---\n"@otpkit/smscx": patch\n---\n\nShip tests by mistake.\n');
    const out = runTsx(path.join(scriptsDir, "release/cli.ts"), ["--dry-run", "--skip-checks", "--offline"], r.dir);
    expect(out.stderr).toBe("");
    expect(out.status).toBe(1);
    expect(out.stdout).toContain("Tarballs (packages to publish):");
    expect(out.stdout).toContain("@otpkit/smscx@0.0.1: otpkit-smscx-0.0.1.tgz");
    expect(out.stdout).not.toContain("@otpkit/runtime@");
    expect(out.stdout).toContain("✗ test/client.test.ts: a test file must not be published");
    expect(out.stdout).toContain("✗ release dry run failed: @otpkit/smscx@0.0.1: tarball check failed");
    const clone = /Temporary clone for `changeset version`: (.*)$/m.exec(out.stdout)![1]!;
    expect(existsSync(path.dirname(clone))).toBe(false);
    expect((await runMain(main, ["--publish-please"], r.dir)).status).toBe(2);
  });
});

describe("pnpm release (real), with the upload stubbed", () => {
  /**
   * Runs everything for real in the temporary repository except build, test and the upload;
   * `changeset version` runs changesets' code in this process (./fixtures/changesets-in-process.ts).
   */
  function stubbedRunner(calls: string[]): Runner {
    const real = changesetsInProcess();
    return (command, args, options) => {
      const name = `${path.basename(command)} ${args.join(" ")}`;
      if (!/^(tar|publint|attw) /.test(name)) calls.push(name.replace(/\n[\s\S]*/, ""));
      if (/^pnpm (build|test)$/.test(name) || /^changeset publish/.test(name)) return { status: 0, stdout: "", stderr: "" };
      if (/^npm view/.test(name)) return { status: 1, stdout: "", stderr: "npm error code E404" };
      return real(command, args, { ...options, capture: true, env: gitEnv() });
    };
  }

  /**
   * A committed change with its changeset, released with the stubbed runner: a spec change and the
   * changeset spec:changeset writes, or (what the step order alone needs) a hand-written changeset.
   */
  async function releaseChange(options: { skipChecks?: boolean; specChange?: boolean } = {}) {
    const r = repo();
    if (options.specChange) {
      specEdit(r);
      runSpecChangeset({ cwd: r.dir, log: () => {} });
    } else {
      r.write(".changeset/smscx.md", '---\n"@otpkit/smscx": minor\n---\n\nA feature.\n');
    }
    r.commitAll("a change and its changeset");
    const calls: string[] = [];
    const out = collect();
    const result = await runRelease({ cwd: r.dir, skipChecks: options.skipChecks, runner: stubbedRunner(calls), log: out.log });
    return { r, calls, out, result };
  }

  test("build, test, version, rebuild, check tarballs, commit, publish, in that order", async () => {
    const { r, calls, out, result } = await releaseChange({ specChange: true });
    expect(out.text()).not.toContain("✗");
    expect(result.ok).toBe(true);
    expect(calls).toEqual([
      "pnpm build",
      "pnpm test",
      "changeset version",
      "npm view @otpkit/runtime@0.0.0 version --json",
      "pnpm build",
      expect.stringMatching(/^pnpm --recursive --filter=@otpkit\/runtime --filter=@otpkit\/smscx pack --pack-destination .* --json$/),
      "git add -A -- .changeset packages/runtime packages/smscx scripts",
      "git commit -m Version packages",
      "changeset publish",
    ]);
    expect(result.releases.map((x) => `${x.name}@${x.newVersion} (${x.reason})`)).toEqual(["@otpkit/smscx@0.1.0 (bumped)", "@otpkit/runtime@0.0.0 (unpublished)"]);
    expect(r.git("log", "-1", "--format=%B").trim()).toBe("Version packages\n\n- @otpkit/smscx@0.1.0");
    expect(r.git("status", "--porcelain").trim()).toBe("");
    const changelog = r.read("packages/smscx/CHANGELOG.md");
    expect(changelog).toContain("## 0.1.0\n\n### Minor Changes\n\n- **Vendor API:** SMS.cx OTP API changes from `specs/smscx.yaml`: 1 breaking change.");
    expect(changelog).toContain("  **Vendor API**\n\n  - Operation `VerifyPin`: request field `pin` now has `maxLength: 10` (narrowed input: breaking)");
    expect(r.changesets()).toEqual([]);
    expect(out.text()).toContain("Published. Push the release commit and its tags: git push --follow-tags");
  });

  test("--skip-checks skips build and test before versioning, but still builds the new versions", async () => {
    const { calls, result } = await releaseChange({ skipChecks: true });
    expect(result.ok).toBe(true);
    expect(calls.slice(0, 3)).toEqual(["changeset version", "npm view @otpkit/runtime@0.0.0 version --json", "pnpm build"]);
    expect(calls.filter((c) => c === "pnpm test")).toEqual([]);
  });

  test("refuses to release from a dirty working tree and never publishes after a failed step", async () => {
    const r = repo();
    r.write("packages/smscx/src/index.ts", "export const client = 2;\n");
    const calls: string[] = [];
    const dirty = await runRelease({ cwd: r.dir, runner: stubbedRunner(calls), log: () => {} });
    expect(dirty.ok).toBe(false);
    expect(dirty.problems[0]).toContain("the working tree has uncommitted changes");
    expect(calls).toEqual([]);

    r.git("checkout", "--", ".");
    const failing: Runner = (command, args, options) => {
      calls.push(`${path.basename(command)} ${args.join(" ")}`);
      return args[0] === "test" ? { status: 1, stdout: "", stderr: "" } : stubbedRunner([])(command, args, options);
    };
    const failed = await runRelease({ cwd: r.dir, runner: failing, log: () => {} });
    expect(failed.ok).toBe(false);
    expect(calls).toEqual(["pnpm build", "pnpm test"]);
    expect(readFileSync(path.join(r.dir, "packages/smscx/package.json"), "utf8")).toContain('"version": "0.0.0"');
  });
});
