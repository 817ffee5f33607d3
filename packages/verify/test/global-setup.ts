/**
 * The Prism mocks of the three vendors the verify tests use (specs/smscx.yaml, ding.yaml and
 * prelude.yaml, with `--errors`): the shared global setup of the vendor packages, so `pnpm test`
 * reuses its run's servers and a run of this package alone starts and stops its own.
 */
import { prismGlobalSetup } from "../../../scripts/prism/global-setup.ts";

export default prismGlobalSetup("smscx", "ding", "prelude");
