/**
 * The changeset gate in temporary repositories: what counts as a change of a package, what
 * covers it, and where the base ref comes from. `changeset status` runs changesets' code in this
 * process (./fixtures/changesets-in-process.ts), except under the CLI test's last run.
 */
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { main } from "../release/gate-cli.ts";
import { runChangesetGate } from "../release/gate.ts";
import { runSpecChangeset } from "../spec-changeset/run.ts";
import { changesetsInProcess } from "./fixtures/changesets-in-process.ts";
import { createTempRepo, runMain, runTsx, scriptsDir, type TempRepo } from "./fixtures/spec-changeset/temp-repo.ts";

const repos: TempRepo[] = [];
function repo(): TempRepo {
  const r = createTempRepo({ vendors: ["smscx"] });
  repos.push(r);
  return r;
}
afterEach(() => {
  while (repos.length) repos.pop()!.cleanup();
});

/** The gate, with `changeset status` run in this process (./fixtures/changesets-in-process.ts). */
async function gate(r: TempRepo, base?: string) {
  const lines: string[] = [];
  const result = await runChangesetGate({ cwd: r.dir, base, log: (line) => lines.push(line), runner: changesetsInProcess() });
  return { result, output: lines.join("\n") };
}

/** A repository on a feature branch cut from main. */
function branch(): TempRepo {
  const r = repo();
  r.git("checkout", "-q", "-b", "feature");
  return r;
}

const specEdit = (r: TempRepo) => r.editSpec("smscx", (t) => t.replace(/(\n      properties:\n        pin:\n          type: string\n)/, "$1          maxLength: 10\n"));
const changeset = (r: TempRepo, name: string, releases: Record<string, string>, summary = "A change.") =>
  r.write(`.changeset/${name}.md`, `---\n${Object.entries(releases).map(([n, t]) => `"${n}": ${t}`).join("\n")}\n---\n\n${summary}\n`);

describe("changeset gate", () => {
  test("on main without a release tag, compares with the first commit: unchanged passes, a change needs a changeset", async () => {
    const r = repo();
    const clean = await gate(r);
    expect(clean.result).toMatchObject({ ok: true, skipped: false, changed: [] });
    expect(clean.output).toContain("no release tag (@otpkit/*@*) exists yet");
    r.write("packages/runtime/src/index.ts", "export const runtime = 2;\n");
    r.commitAll("runtime change before the first release, without changeset");
    expect((await gate(r)).result).toMatchObject({ ok: false, missing: ["@otpkit/runtime"] });
  });

  test("passes on main when nothing changed since the last release tag", async () => {
    const r = repo();
    r.git("tag", "@otpkit/smscx@0.0.0");
    const { result, output } = await gate(r);
    expect(result).toMatchObject({ ok: true, skipped: false, changed: [] });
    expect(output).toContain("on main: comparing with the last release tag @otpkit/smscx@0.0.0");
    expect(output).toContain("no public package and no spec changed");
  });

  test("on main with a release tag, changes since the tag need changesets", async () => {
    const r = repo();
    r.git("tag", "@otpkit/runtime@0.0.0");
    r.write("packages/runtime/src/index.ts", "export const runtime = 2;\n");
    r.commitAll("runtime change without changeset");
    expect((await gate(r)).result.missing).toEqual(["@otpkit/runtime"]);
  });

  test("fails when a spec changed without a changeset, passes once spec:changeset wrote one", async () => {
    const r = branch();
    specEdit(r);
    const failed = await gate(r);
    expect(failed.result.ok).toBe(false);
    expect(failed.result.missing).toEqual(["@otpkit/smscx"]);
    expect(failed.output).toContain("✗ @otpkit/smscx changed without a changeset (specs/smscx.yaml (1 change(s))): run `pnpm spec:changeset`");

    runSpecChangeset({ cwd: r.dir, log: () => {} });
    const local = await gate(r);
    expect(local.result.ok).toBe(true);
    expect(local.output).toContain("(changeset status skipped: .changeset/spec-smscx-");

    r.commitAll("spec change with its changeset");
    const committed = await gate(r);
    expect(committed.result.ok).toBe(true);
    expect(committed.output).toMatch(/- @otpkit\/smscx: changed \(specs\/smscx\.yaml \(1 change\(s\)\)\); covered by \.changeset\/spec-smscx-[0-9a-f]{8}\.md \(minor\)\./);
    expect(committed.output).toContain("Release plan (changeset status): @otpkit/smscx 0.0.0 → 0.1.0 (minor)");
  });

  test("a changeset whose bump is lower than the spec diff needs fails", async () => {
    const r = branch();
    specEdit(r);
    changeset(r, "too-small", { "@otpkit/smscx": "patch" });
    const { result, output } = await gate(r);
    expect(result.ok).toBe(false);
    expect(output).toContain("@otpkit/smscx: specs/smscx.yaml needs a minor release, but its changesets give only patch (.changeset/too-small.md)");
  });

  test("a hand-written changeset that is big enough passes, with a warning that the spec list is missing", async () => {
    const r = branch();
    specEdit(r);
    changeset(r, "by-hand", { "@otpkit/smscx": "minor" });
    const { result } = await gate(r);
    expect(result.ok).toBe(true);
    expect(result.warnings.join("\n")).toContain("no changeset matches the current state of specs/smscx.yaml");
  });

  test("tests, READMEs and package.json scripts/devDependencies need no changeset", async () => {
    const r = branch();
    r.write("packages/smscx/test/client.test.ts", "// another test\n");
    r.write("packages/smscx/test/fixtures/body.json", "{}\n");
    r.write("packages/smscx/README.md", "# smscx\n");
    r.write("packages/smscx/vitest.config.ts", "export default {};\n");
    const manifest = JSON.parse(r.read("packages/smscx/package.json"));
    manifest.scripts.lint = "eslint .";
    manifest.devDependencies.publint = "0.3.25";
    r.write("packages/smscx/package.json", JSON.stringify(manifest, null, 2));
    r.write("scripts/anything.ts", "// private package\n");
    r.commitAll("no release needed");
    const { result, output } = await gate(r);
    expect(result.ok).toBe(true);
    expect(result.changed).toEqual([]);
    expect(output).toContain("no public package and no spec changed");
  });

  test("a source or dependency change needs a changeset; a hand-written one covers it", async () => {
    const r = branch();
    r.write("packages/runtime/src/index.ts", "export const runtime = 2;\n");
    const manifest = JSON.parse(r.read("packages/smscx/package.json"));
    manifest.dependencies.yaml = "2.9.1";
    r.write("packages/smscx/package.json", JSON.stringify(manifest, null, 2));
    const failed = await gate(r);
    expect(failed.result.missing).toEqual(["@otpkit/runtime", "@otpkit/smscx"]);
    expect(failed.output).toContain("run `pnpm changeset` (or `pnpm changeset --empty` if no release is needed)");

    changeset(r, "fix", { "@otpkit/runtime": "patch", "@otpkit/smscx": "patch" });
    r.commitAll("with changeset");
    const passed = await gate(r);
    expect(passed.result.ok).toBe(true);
    expect(passed.output).toContain("Release plan (changeset status): @otpkit/runtime 0.0.0 → 0.0.1 (patch), @otpkit/smscx 0.0.0 → 0.0.1 (patch)");
  });

  test("an empty changeset waives package changes but not spec changes", async () => {
    const r = branch();
    r.write("packages/runtime/src/index.ts", "export const runtime = 2;\n");
    r.write(".changeset/no-release.md", "---\n---\n\nRefactor, no release.\n");
    const waived = await gate(r);
    expect(waived.result.ok).toBe(true);
    expect(waived.output).toContain("- @otpkit/runtime: changed (packages/runtime/src/index.ts); no release, as the empty changeset .changeset/no-release.md says.");

    specEdit(r);
    expect((await gate(r)).result.missing).toEqual(["@otpkit/smscx"]);
  });

  test("a changeset for an unknown or private package fails", async () => {
    const r = branch();
    changeset(r, "typo", { "@otpkit/smsxc": "patch" });
    changeset(r, "private", { "@otpkit/scripts": "patch" });
    const { result } = await gate(r);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      ".changeset/private.md releases @otpkit/scripts, which is private and never released",
      ".changeset/typo.md releases @otpkit/smsxc, which is not a package of this workspace",
    ]);
  });

  test("a comment-only spec edit needs no changeset", async () => {
    const r = branch();
    r.editSpec("smscx", (t) => `# comment\n${t}`);
    expect((await gate(r)).result).toMatchObject({ ok: true, changed: [] });
  });

  // One run as its own process (exit code and stdout); the others call its main.
  test("the CLI: --base and exit codes", async () => {
    const r = repo();
    specEdit(r);
    r.commitAll("spec change on main");
    const cli = path.join(scriptsDir, "release/gate-cli.ts");
    const failed = runTsx(cli, ["--base", "HEAD~1"], r.dir);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain("changeset gate: FAILED (1 problem(s))");
    // On main without a release tag the default base is the first commit: the spec edit is uncovered.
    const fromFirst = await runMain(main, [], r.dir);
    expect(fromFirst.status).toBe(1);
    expect(fromFirst.stdout).toContain("no release tag (@otpkit/*@*) exists yet");
    // Committed, so the gate runs `changeset status`: the file's one run of the real changesets CLI
    // (the other tests run its code in this process).
    changeset(r, "smscx-pin", { "@otpkit/smscx": "minor" });
    r.commitAll("changeset");
    const covered = await runMain(main, [], r.dir);
    expect(covered.status).toBe(0);
    expect(covered.stdout).toContain("Release plan (changeset status): @otpkit/smscx 0.0.0 → 0.1.0 (minor)");
    expect((await runMain(main, ["--nope"], r.dir)).status).toBe(2);
  });
});
