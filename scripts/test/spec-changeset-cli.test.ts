/**
 * `pnpm spec:changeset` end to end, in temporary git repositories: what it prints, the one
 * changeset it writes, that re-running never duplicates it, and the base-ref rules.
 */
import parseChangeset from "@changesets/parse";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { main } from "../spec-changeset/cli.ts";
import { runSpecChangeset } from "../spec-changeset/run.ts";
import { createTempRepo, runMain, runTsx, scriptsDir, type TempRepo } from "./fixtures/spec-changeset/temp-repo.ts";

const cli = path.join(scriptsDir, "spec-changeset/cli.ts");
const repos: TempRepo[] = [];
function repo(options?: Parameters<typeof createTempRepo>[0]): TempRepo {
  const r = createTempRepo(options);
  repos.push(r);
  return r;
}
afterEach(() => {
  while (repos.length) repos.pop()!.cleanup();
});

function run(r: TempRepo, options: { base?: string; dryRun?: boolean } = {}) {
  const lines: string[] = [];
  const result = runSpecChangeset({ cwd: r.dir, ...options, log: (line) => lines.push(line) });
  return { result, output: lines.join("\n") };
}

const addMaxLength = (text: string) => text.replace(/(\n      properties:\n        pin:\n          type: string\n)/, "$1          maxLength: 10\n");

describe("spec:changeset in a temporary repository", () => {
  test("prints what it found and writes nothing when no spec changed", () => {
    const r = repo();
    const { result, output } = run(r);
    expect(output).toContain("no release tag (@otpkit/*@*) exists yet: comparing with the repository's first commit");
    expect(output).toContain("- specs/smscx.yaml: unchanged.");
    expect(output).toMatch(/No spec changed since first commit [0-9a-f]{7}: nothing to write\./);
    expect(result.written).toEqual([]);
    expect(r.changesets()).toEqual([]);
  });

  test("writes one changeset for a spec change, and re-running does not duplicate it", () => {
    const r = repo();
    r.editSpec("smscx", addMaxLength);

    const first = run(r);
    expect(first.output).toContain("- specs/smscx.yaml: 1 breaking, 0 non-breaking, 0 documentation → @otpkit/smscx: minor (breaking, released as minor while @otpkit/smscx is 0.x)");
    expect(first.output).toContain("[major] Operation `VerifyPin`: request field `pin` now has `maxLength: 10` (narrowed input: breaking)");
    expect(first.result.written).toHaveLength(1);
    const files = r.changesets();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^spec-smscx-[0-9a-f]{8}\.md$/);
    const parsed = parseChangeset(r.read(`.changeset/${files[0]}`));
    expect(parsed.releases).toEqual([{ name: "@otpkit/smscx", type: "minor" }]);
    expect(parsed.summary).toContain("- Operation `VerifyPin`: request field `pin` now has `maxLength: 10` (narrowed input: breaking)");

    const second = run(r);
    expect(second.result.written).toEqual([]);
    expect(second.output).toContain(`.changeset/${files[0]} already describes this change: nothing written.`);
    expect(second.output).toContain("Nothing to write: .changeset/ is up to date.");
    expect(r.changesets()).toEqual(files);
  });

  test("a further edit replaces the changeset; reverting the spec removes it", () => {
    const r = repo();
    r.editSpec("smscx", addMaxLength);
    run(r);
    const [old] = r.changesets();
    r.editSpec("smscx", (t) => t.replace("summary: Send a new OTP by SMS", "summary: Send an OTP by SMS"));
    const second = run(r);
    expect(second.output).toContain(`removed .changeset/${old} (written for an older state of the spec)`);
    const files = r.changesets();
    expect(files).toHaveLength(1);
    expect(files[0]).not.toBe(old);
    expect(r.read(`.changeset/${files[0]}`)).toContain("- Operation `NewOtp`: summary changed (documentation)");

    r.git("checkout", "--", "specs/smscx.yaml");
    const third = run(r);
    expect(third.output).toContain(`removed .changeset/${files[0]}`);
    expect(r.changesets()).toEqual([]);
  });

  test("a formatting-only edit needs no changeset", () => {
    const r = repo();
    r.editSpec("smscx", (t) => t.replace("openapi: 3.1.1", "# a comment\nopenapi: 3.1.1"));
    const { output, result } = run(r);
    expect(output).toContain("- specs/smscx.yaml: the file changed, but nothing the API or the SDK depends on");
    expect(result.written).toEqual([]);
    expect(r.changesets()).toEqual([]);
  });

  test("a new spec is a new package: one minor changeset listing its operations", () => {
    const r = repo();
    r.addVendor("equinix-metal");
    const { output } = run(r);
    expect(output).toContain("- specs/equinix-metal.yaml: new spec, so a new package → @otpkit/equinix-metal: minor");
    const [file] = r.changesets();
    expect(file).toMatch(/^spec-equinix-metal-[0-9a-f]{8}\.md$/);
    const text = r.read(`.changeset/${file}`);
    expect(text).toContain('"@otpkit/equinix-metal": minor');
    expect(text).toContain("first release of the client generated from `specs/equinix-metal.yaml`, with 4 operations.");
    expect(text).toContain("- Operation `receiveCodes`: `POST /user/otp/sms/receive`: Send an OTP to the current user's phone by SMS\n");
  });

  test("a new spec whose first release a hand-written changeset announces gets no second changeset", () => {
    const r = repo();
    r.addVendor("ding");
    r.write(".changeset/first-release-ding.md", '---\n"@otpkit/ding": minor\n---\n\nFirst release.\n');
    const { output, result } = run(r);
    expect(output).toContain("- specs/ding.yaml: new spec, so a new package; its first release is already announced by .changeset/first-release-ding.md: no changeset written.");
    expect(result.written).toEqual([]);
    expect(r.changesets()).toEqual(["first-release-ding.md"]);
  });

  test("off main: compares with the merge base and keeps changesets that were there before the branch", () => {
    const r = repo();
    r.write(".changeset/spec-smscx-0123abcd.md", '---\n"@otpkit/smscx": patch\n---\n\nAn earlier spec change.\n');
    r.commitAll("an earlier pending changeset");
    r.git("checkout", "-q", "-b", "feature");
    r.editSpec("smscx", addMaxLength);
    r.commitAll("spec change on a branch");
    const { output, result } = run(r);
    expect(output).toMatch(/HEAD is not on main: comparing with the point where it diverged from main/);
    expect(result.written).toHaveLength(1);
    expect(r.changesets()).toContain("spec-smscx-0123abcd.md");
    expect(r.changesets()).toHaveLength(2);
  });

  test("on main: compares with the last release tag", () => {
    const r = repo();
    r.editSpec("smscx", addMaxLength);
    r.commitAll("a released spec change");
    r.git("tag", "@otpkit/smscx@0.1.0");
    const { output } = run(r);
    expect(output).toContain("on main: comparing with the last release tag @otpkit/smscx@0.1.0");
    expect(output).toContain("No spec changed since @otpkit/smscx@0.1.0");
  });

  // One run as its own process (exit code, stdout, an empty stderr); the others call its main.
  test("the CLI: --base, --dry-run, exit codes", async () => {
    const r = repo();
    r.editSpec("smscx", addMaxLength);
    r.commitAll("spec change");

    const dry = runTsx(cli, ["--base", "HEAD~1", "--dry-run"], r.dir);
    expect(dry.stderr).toBe("");
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain("Comparing specs/*.yaml with HEAD~1");
    expect(dry.stdout).toContain('would write .changeset/spec-smscx-');
    expect(dry.stdout).toContain('"@otpkit/smscx": minor');
    expect(r.changesets()).toEqual([]);

    const unchanged = await runMain(main, ["--base", "HEAD"], r.dir);
    expect(unchanged.status).toBe(0);
    expect(unchanged.stdout).toContain("No spec changed since HEAD: nothing to write.");

    const real = await runMain(main, ["--", "--base", "HEAD~1"], r.dir);
    expect(real.status).toBe(0);
    expect(r.changesets()).toHaveLength(1);

    expect((await runMain(main, ["--base", "no-such-ref"], r.dir)).status).toBe(1);
    expect((await runMain(main, ["--bogus"], r.dir)).status).toBe(2);
  });
});
