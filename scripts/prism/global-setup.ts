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
 * starts its own servers here, and the teardown stops them and proves they are gone (the pid is
 * no longer Prism, nothing answers on its port, the watchdog has exited), failing the run
 * otherwise. The setup runs in vitest's main process, so its teardown runs whether tests pass or
 * fail; the SIGINT/SIGTERM hooks of ./index.ts stop Prism when the run is interrupted, and the
 * watchdog each server gets kills it if this process dies without running any hook (SIGKILL).
 */
import type { TestProject } from "vitest/node";
import type { Vendor } from "./index.ts";
import { acquirePrisms, describeHandle, releaseAll } from "./shared.ts";

declare module "vitest" {
  export interface ProvidedContext {
    prismUrl: string;
    prismUrls: Partial<Record<Vendor, string>>;
  }
}

export function prismGlobalSetup(first: Vendor, ...more: Vendor[]) {
  return async function setup(project: TestProject): Promise<() => Promise<void>> {
    // Own servers' watchdogs guard this process, vitest's main process.
    const prisms = await acquirePrisms([first, ...more]);
    for (const prism of Object.values(prisms)) console.log(describeHandle(prism));
    project.provide("prismUrl", prisms[first].url);
    project.provide("prismUrls", Object.fromEntries(Object.values(prisms).map((p) => [p.vendor, p.url])));
    return () => releaseAll(Object.values(prisms));
  };
}
