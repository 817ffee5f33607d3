/**
 * vitest global setup shared by the vendor packages: the Prism mock of each vendor the package
 * tests against (`--errors`, from `specs/<vendor>.yaml`), its URL handed to tests as
 * `inject("prismUrl")` (the first vendor) and `inject("prismUrls")` (every vendor, by name).
 *
 * A package adopts it with one line in its `vitest.config.ts`
 * (`globalSetup: ["./test/global-setup.ts"]`, that file being
 * `export default prismGlobalSetup("<vendor>")`); several specs: `prismGlobalSetup("ding", "prelude")`.
 *
 * Under `pnpm test` the servers are the test run's shared ones (./shared.ts: one Prism per vendor
 * for every suite, stopped and checked for orphans when the run ends). Run on its own, the suite
 * starts a broker of its own here, for its test files too (`OTPKIT_PRISM_BROKER`, which the
 * workers inherit): its mocks and its proxies (../contract/mock-answers.ts) then share one Prism
 * host, and the teardown stops it and proves everything is gone (the host's pid is no longer the
 * host, nothing answers on any port it served, the watchdog has exited), failing the run otherwise.
 * The setup runs in vitest's main process, so its teardown runs whether tests pass or fail; the
 * host exits when this process does, and its watchdog kills it if it cannot (SIGKILL).
 */
import type { TestProject } from "vitest/node";
import type { Vendor } from "./index.ts";
import { acquirePrisms, BROKER_ENV, describeHandle, startBroker } from "./shared.ts";

declare module "vitest" {
  export interface ProvidedContext {
    prismUrl: string;
    prismUrls: Partial<Record<Vendor, string>>;
  }
}

export function prismGlobalSetup(first: Vendor, ...more: Vendor[]) {
  return async function setup(project: TestProject): Promise<() => Promise<void>> {
    // The broker's host is guarded by this process, vitest's main process.
    const own = process.env[BROKER_ENV] ? undefined : await startBroker();
    if (own) process.env[BROKER_ENV] = own.url;
    const stopOwn = async () => {
      if (!own) return;
      delete process.env[BROKER_ENV];
      const problems = await own.stop();
      if (!problems.length) return;
      // vitest only logs an error thrown by a teardown ("error during close") and exits 0.
      process.exitCode = 1;
      throw new Error(problems.join("\n"));
    };
    const prisms = await acquirePrisms([first, ...more]).catch(async (error: unknown) => {
      await stopOwn();
      throw error;
    });
    for (const prism of Object.values(prisms)) console.log(describeHandle(prism));
    project.provide("prismUrl", prisms[first].url);
    project.provide("prismUrls", Object.fromEntries(Object.values(prisms).map((p) => [p.vendor, p.url])));
    // The servers are the broker's (the run's or this setup's own): only the own broker needs stopping.
    return stopOwn;
  };
}
