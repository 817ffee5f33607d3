/**
 * The consumer suite's own logic, without a registry or a runtime: judging a row (runtime,
 * flows, the closed-port retry decision), skips (always printed, a failure under CI=true), the
 * closing line, flow discovery (a package without a flow is reported), the generated entries, the
 * tools cache and Chromium lookup, and the upgrade loop's spec edit.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createStyle } from "../demo/style.ts";
import { entrySource } from "../consumer/bundle.ts";
import { discoverFlows, flowsDir } from "../consumer/discover.ts";
import type { HarnessResult } from "../consumer/harness/run.ts";
import { harnessProblems, judgeRow, renderTable, summaryLine, tally, underCi } from "../consumer/report.ts";
import type { RowSpec } from "../consumer/runtimes/types.ts";
import { findChromium, toolsCache } from "../consumer/tools.ts";
import { bump, editSpec, UPGRADE } from "../consumer/upgrade.ts";
import { parseSpec, isObject } from "../lib/specs.ts";

const plain = createStyle({ NO_COLOR: "1" }, { isTTY: false });
const spec = (over: Partial<RowSpec> = {}): RowSpec => ({ id: "node22-esm", label: "Node 22 ESM", installer: "pnpm", runtime: "Node v22.", refused: "retried", run: async () => ({ kind: "skipped", reason: "" }), ...over });

function result(over: Partial<HarnessResult> = {}): HarnessResult {
  return {
    runtime: "Node v22.23.3",
    importMs: 12,
    flows: [{ package: "@otpkit/smscx", ok: true, steps: [{ name: "a", ok: true, ms: 1 }] }],
    refused: [{ package: "@otpkit/smscx", error: "ConnectionError", requestSent: false, attempts: 3, requests: 3 }],
    ms: 20,
    ...over,
  };
}

describe("a row", () => {
  it("passes when the runtime, every flow and the closed-port decision are as expected", () => {
    const row = judgeRow(spec(), { kind: "harness", result: result(), imports: "import 12 ms" }, ["@otpkit/smscx"], "pnpm 4 s", 900);
    expect(row.verdict).toBe("pass");
    expect(row.flows).toBe("1/1 packages, 1/1 steps");
    expect(row.refused).toBe("retried ×3");
  });

  it("fails on another runtime, a missing or failed flow, or a retry the runtime cannot justify", () => {
    expect(harnessProblems(spec(), result({ runtime: "Node v20.19.0" }), ["@otpkit/smscx"])).toEqual(["ran on Node v20.19.0, not Node v22.…"]);
    expect(harnessProblems(spec(), result(), ["@otpkit/smscx", "@otpkit/ding"])).toEqual(["@otpkit/ding: its flow did not run", "@otpkit/ding: the billed call to a closed port was not made"]);
    const failed = result({ flows: [{ package: "@otpkit/smscx", ok: false, steps: [{ name: "wrong PIN", ok: false, ms: 1, error: "expected ApiError" }] }] });
    expect(harnessProblems(spec(), failed, ["@otpkit/smscx"])).toEqual(['@otpkit/smscx: step "wrong PIN" failed: expected ApiError']);
    // workerd and browsers cannot prove a refused request never left: a retry there would be a guess.
    const guessed = harnessProblems(spec({ runtime: "workerd", refused: "not retried" }), result({ runtime: "workerd" }), ["@otpkit/smscx"]);
    expect(guessed).toEqual([expect.stringMatching(/expected not retried .* got ConnectionError, requestSent false, 3 attempt/)]);
  });

  it("fails when tsc reports errors, and shows them", () => {
    const row = judgeRow(spec({ refused: undefined }), { kind: "typescript", errors: 2, output: "flows/smscx.ts(20,7): error TS2578: Unused '@ts-expect-error' directive.", files: 4 }, [], "npm 3 s", 1);
    expect(row.verdict).toBe("fail");
    expect(renderTable([row], plain).join("\n")).toContain("TS2578");
  });
});

describe("skips", () => {
  const skipped = judgeRow(spec({ label: "Chromium (headless)" }), { kind: "skipped", reason: "Chromium is not installed: `sudo apt-get install chromium`" }, [], "npm 3 s", 1);

  it("are printed with their reason and counted", () => {
    expect(underCi(skipped, false).verdict).toBe("skip");
    const text = renderTable([underCi(skipped, false)], plain).join("\n");
    expect(text).toMatch(/Chromium \(headless\).*SKIPPED/);
    expect(text).toContain("skipped: Chromium (headless)\n  Chromium is not installed: `sudo apt-get install chromium`");
    expect(summaryLine(tally(["pass", "skip"]))).toBe("consumers: 1 passed, 0 failed, 1 skipped");
  });

  it("fail under CI=true", () => {
    const row = underCi(skipped, true);
    expect(row.verdict).toBe("fail");
    expect(row.problems).toContain("skipped rows fail under CI=true");
    expect(summaryLine(tally(["pass", row.verdict]))).toBe("consumers: 1 passed, 1 failed");
  });
});

describe("flow discovery", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("finds one flow per public package, the runtime aside", async () => {
    const { flows, problems } = await discoverFlows(path.resolve(flowsDir, "../../.."));
    expect(problems).toEqual([]);
    expect(flows.map((f) => [f.package, f.mocks])).toEqual(expect.arrayContaining([
        ["@otpkit/smscx", ["smscx"]],
        ["@otpkit/ding", ["ding"]],
        ["@otpkit/equinix-metal", ["equinix-metal"]],
        ["@otpkit/prelude", ["prelude"]],
        ["@otpkit/verify", ["smscx", "ding"]],
      ]));
  });

  it("reports a new package that has no flow, and a flow written for another package", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "otpkit-discover-"));
    dirs.push(root);
    writeFileSync(path.join(root, "pnpm-workspace.yaml"), "packages:\n  - packages/*\n");
    for (const [folder, name] of [["runtime", "@otpkit/runtime"], ["prelude", "@otpkit/prelude"], ["smscx", "@otpkit/smscx"], ["ding", "@otpkit/ding"]]) {
      mkdirSync(path.join(root, "packages", folder!), { recursive: true });
      writeFileSync(path.join(root, "packages", folder!, "package.json"), JSON.stringify({ name, version: "0.0.0" }));
    }
    const flows = path.join(root, "flows");
    mkdirSync(flows);
    cpSync(path.join(flowsDir, "../harness"), path.join(root, "harness"), { recursive: true });
    cpSync(path.join(flowsDir, "smscx.ts"), path.join(flows, "smscx.ts"));
    cpSync(path.join(flowsDir, "smscx.ts"), path.join(flows, "ding.ts"));
    const found = await discoverFlows(root, flows);
    expect(found.flows.map((f) => f.package)).toEqual(["@otpkit/smscx"]);
    expect(found.problems).toEqual([`flows/ding.ts must export \`flow\` with package "@otpkit/ding"`, `@otpkit/prelude has no consumer flow: add flows/prelude.ts (see scripts/consumer/README.md)`]);
  });
});

describe("generated entries", () => {
  const flows = [{ package: "@otpkit/smscx", file: "/x/flows/smscx.ts" }];
  const config = { mocks: { smscx: "http://127.0.0.1:1" }, refusedUrl: "http://127.0.0.1:2" };

  it("load the packages by name the way each kind of consumer does", () => {
    expect(entrySource("esm", flows, config)).toContain('await import("@otpkit/smscx")');
    expect(entrySource("cjs", flows, config)).toContain('require("@otpkit/smscx")');
    expect(entrySource("cjs", flows, config)).not.toContain("import(");
    expect(entrySource("worker", flows, config)).toContain('import * as module0 from "@otpkit/smscx"');
    expect(entrySource("browser", flows, config)).toContain('fetch("/result"');
  });
});

describe("tools", () => {
  it("are cached in $OTPKIT_TOOLS_CACHE, else under XDG_CACHE_HOME, else ~/.cache", () => {
    expect(toolsCache({ OTPKIT_TOOLS_CACHE: "/c" })).toBe("/c");
    expect(toolsCache({ XDG_CACHE_HOME: "/x" })).toBe("/x/otpkit/consumer-tools");
    expect(toolsCache({})).toBe(path.join(os.homedir(), ".cache/otpkit/consumer-tools"));
  });

  it("a missing Chromium says how to install it", async () => {
    const browser = await findChromium({ OTPKIT_CHROMIUM: "no-such-chromium-here", PATH: process.env["PATH"] });
    expect(browser.bin).toBeUndefined();
    expect(browser.missing).toMatch(/apt-get install chromium/);
  });
});

describe("the upgrade loop's spec edit", () => {
  it("adds an optional string field to the response schema, and removes it again", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "otpkit-upgrade-"));
    try {
      const file = path.join(dir, "spec.yaml");
      const original = readFileSync(path.resolve(flowsDir, "../../..", UPGRADE.spec), "utf8");
      writeFileSync(file, original);
      const schema = () => {
        const doc = parseSpec(readFileSync(file, "utf8"));
        const schemas = (doc["components"] as Record<string, Record<string, { properties: Record<string, unknown>; required: string[] }>>)["schemas"]!;
        return schemas[UPGRADE.schema]!;
      };
      editSpec(file, "add");
      expect(isObject(schema().properties[UPGRADE.field] as never)).toBe(true);
      expect(schema().required).not.toContain(UPGRADE.field);
      editSpec(file, "remove");
      expect(schema().properties[UPGRADE.field]).toBeUndefined();
      expect(parseSpec(readFileSync(file, "utf8"))).toEqual(parseSpec(original));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(bump("0.1.0")).toBe("0.2.0");
    expect(bump("0.9.3")).toBe("0.10.0");
  });
});
