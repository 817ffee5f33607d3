/**
 * vitest global setup shared by the vendor packages: one Prism mock per test run, started from
 * the package's own spec with `--errors`, its URL handed to tests as `inject("prismUrl")`, and
 * stopped when the run ends, fails or is interrupted.
 *
 * It runs in vitest's main process (not in a test worker), so its teardown runs whether tests pass
 * or fail, and the SIGINT/SIGTERM hooks of ./index.ts stop Prism when the run is interrupted. Each
 * vendor package runs its own vitest, so the three servers start in parallel under `turbo run test`.
 * The watchdog that startPrism arms for every server (./index.ts) kills Prism if this process dies
 * without running any hook (SIGKILL).
 *
 * Orphan check: teardown does not just ask Prism to stop, it proves it is gone (the pid no longer
 * is this Prism, nothing answers on its port, the watchdog has exited) and fails the run otherwise.
 */
import path from "node:path";
import type { TestProject } from "vitest/node";
import { assertStopped } from "../contract/orphans.ts";
import { specPath, specsDir, startPrism, type Vendor } from "./index.ts";

declare module "vitest" {
  export interface ProvidedContext {
    prismUrl: string;
    prismPid: number;
    prismStartMs: number;
  }
}

export function prismGlobalSetup(vendor: Vendor) {
  return async function setup(project: TestProject): Promise<() => Promise<void>> {
    // Its watchdog's owner is this process, vitest's main process. Under `pnpm test` a dozen Prism
    // servers start at once (three per vendor run, more in the scripts suite): on a loaded 2-core
    // machine one took over 30 s to answer, so it gets 90 s, as the scripts suite's servers do.
    const prism = await startPrism({ spec: specPath(vendor), readyTimeoutMs: 90_000 });
    const label = path.relative(path.dirname(specsDir), prism.spec);
    console.log(`[prism] ${label} --errors on ${prism.url} (pid ${prism.pid}), ready in ${Math.round(prism.startMs)} ms`);
    project.provide("prismUrl", prism.url);
    project.provide("prismPid", prism.pid);
    project.provide("prismStartMs", Math.round(prism.startMs));
    return async () => {
      await prism.stop(); // Prism, then its watchdog.
      await assertStopped(label, prism.pid, prism.url, prism.watchdog);
    };
  };
}
