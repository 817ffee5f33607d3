/**
 * vitest global setup shared by the vendor packages: one Prism mock per test run, started from
 * the package's own spec with `--errors`, its URL handed to tests as `inject("prismUrl")`, and
 * stopped when the run ends, fails or is interrupted.
 */
import type { TestProject } from "vitest/node";
import { specPath, startPrism, type Vendor } from "./index.ts";

declare module "vitest" {
  export interface ProvidedContext {
    prismUrl: string;
    prismPid: number;
    prismStartMs: number;
  }
}

export function prismGlobalSetup(vendor: Vendor) {
  return async function setup(project: TestProject): Promise<() => Promise<void>> {
    const prism = await startPrism({ spec: specPath(vendor) });
    project.provide("prismUrl", prism.url);
    project.provide("prismPid", prism.pid);
    project.provide("prismStartMs", Math.round(prism.startMs));
    return () => prism.stop();
  };
}
