/**
 * One Prism mock per vendor for the whole run, from specs/smscx.yaml and specs/ding.yaml with
 * `--errors`, started and stopped with scripts/prism as the vendor packages' global setup does
 * (that one serves a single spec, so it is not reused as is); teardown proves both are gone.
 */
import path from "node:path";
import type { TestProject } from "vitest/node";
import { assertStopped } from "../../../scripts/contract/orphans.ts";
import { specPath, specsDir, startPrisms } from "../../../scripts/prism/index.ts";

declare module "vitest" {
  export interface ProvidedContext {
    smscxUrl: string;
    dingUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const servers = await startPrisms({ smscx: specPath("smscx"), ding: specPath("ding") });
  for (const prism of Object.values(servers)) {
    console.log(`[prism] ${path.relative(path.dirname(specsDir), prism.spec)} --errors on ${prism.url} (pid ${prism.pid}), ready in ${Math.round(prism.startMs)} ms`);
  }
  project.provide("smscxUrl", servers.smscx.url);
  project.provide("dingUrl", servers.ding.url);
  return async () => {
    await Promise.all(Object.values(servers).map((prism) => prism.stop()));
    for (const prism of Object.values(servers)) await assertStopped(path.basename(prism.spec), prism.pid, prism.url, prism.watchdog);
  };
}
