/**
 * The Prism mocks of SMS.cx and Ding (`--errors`, from specs/smscx.yaml and specs/ding.yaml), as
 * the vendor packages get theirs: under `pnpm test` the test run's shared servers, run on its own
 * the suite's own servers, stopped and proven gone at teardown (scripts/prism/shared.ts).
 */
import type { TestProject } from "vitest/node";
import { acquirePrisms, describeHandle, releaseAll } from "../../../scripts/prism/shared.ts";

declare module "vitest" {
  export interface ProvidedContext {
    smscxUrl: string;
    dingUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const prisms = await acquirePrisms(["smscx", "ding"]);
  for (const prism of Object.values(prisms)) console.log(describeHandle(prism));
  project.provide("smscxUrl", prisms.smscx.url);
  project.provide("dingUrl", prisms.ding.url);
  return () => releaseAll(Object.values(prisms));
}
