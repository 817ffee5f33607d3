/**
 * Issue 3's gate: Prism, started with `--errors` from each spec, serves every named example of
 * every response of every operation without a violation, and accepts every named request-body
 * example. One test per case (scripts/lib/example-check.ts: `exampleCases` + `runExampleCase`), so
 * an example that breaks its schema fails CI under its own name. `pnpm check-examples` runs the
 * same cases from the command line.
 *
 * The Prism servers (one per spec, for the whole file) come from `acquirePrisms` in `beforeAll`:
 * under `pnpm test`, the test run's shared servers (scripts/prism/shared.ts, which stops them when
 * the run ends and proves they are gone); run on its own, this file starts them in parallel, and
 * `afterAll` stops them and proves they are gone: the pid is no longer Prism and nothing answers
 * on its port. scripts/prism/index.ts also kills its own servers on exit, SIGINT and SIGTERM of
 * this worker, and the watchdog it arms for each kills them when this worker or vitest's main
 * process (passed as an owner) dies without running afterAll (interrupted run, SIGKILL).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { exampleCases, runExampleCase } from "../lib/example-check.ts";
import { loadSpec } from "../lib/specs.ts";
import { specPath, specsDir, vendors, type Vendor } from "../prism/index.ts";
import { acquirePrisms, describeHandle, releaseAll, type PrismHandle } from "../prism/shared.ts";

const cases = Object.fromEntries(vendors.map((vendor) => [vendor, exampleCases(loadSpec(specPath(vendor)))])) as Record<Vendor, ReturnType<typeof exampleCases>>;

let servers: Record<Vendor, PrismHandle> | undefined;
// vitest's main process, read now: if it dies while Prism is still starting, this worker is
// re-parented and process.ppid no longer names it.
const mainPid = process.ppid;
// An interrupted run: vitest's main process exits without stopping this worker, which would go on
// starting and using Prism. Its IPC channel closes then; exit at once, and the exit hook of
// scripts/prism/index.ts kills every Prism this worker spawned, even one still starting.
const onMainGone = () => process.exit(130);
process.once("disconnect", onMainGone);

beforeAll(async () => {
  // This file runs in a vitest worker: each server's watchdog kills it if the worker or vitest's main
  // process goes away without running afterAll (see scripts/prism/index.ts).
  servers = await acquirePrisms(vendors, { owners: [mainPid] });
  for (const vendor of vendors) console.log(describeHandle(servers[vendor]));
}, 90_000);

afterAll(async () => {
  process.off("disconnect", onMainGone);
  await releaseAll(Object.values<PrismHandle>(servers ?? {}));
});

for (const vendor of vendors) {
  describe(`specs/${vendor}.yaml: Prism --errors serves every named example`, () => {
    test("has example cases", () => {
      expect(cases[vendor].length).toBeGreaterThan(0);
    });
    for (const c of cases[vendor]) {
      test(`${c.operationId} ${c.label}`, async () => {
        if (!servers) throw new Error("Prism did not start");
        const result = await runExampleCase(servers[vendor].url, c);
        const output = result.problems.length ? await servers[vendor].output() : "";
        expect(result.problems, `${c.method} ${c.url} (Prism output:\n${output.slice(-2000)})`).toEqual([]);
      });
    }
  });
}

// The contract suites (packages/<vendor>/test/contract.test.ts, scripts/contract) cover every
// operation of the spec they are given; this makes sure no spec goes without one.
test("every spec in specs/ is served here and has a vendor package running the contract suite", () => {
  const specs = readdirSync(specsDir).filter((f) => /\.ya?ml$/.test(f)).map((f) => f.replace(/\.ya?ml$/, ""));
  expect([...specs].sort()).toEqual([...vendors].sort());
  for (const vendor of specs) {
    const file = path.join(specsDir, "..", "packages", vendor, "test", "contract.test.ts");
    expect(existsSync(file), `${file} is missing`).toBe(true);
    expect(readFileSync(file, "utf8")).toContain(`contractSuite(${JSON.stringify(vendor)}, `);
  }
});
