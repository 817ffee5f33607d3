/**
 * Contract tests of @otpkit/prelude against a Prism mock of specs/prelude.yaml (started with --errors
 * by ./global-setup.ts). Every test is generated from the spec by scripts/contract: there is nothing
 * to write here when an operation, a status or an example is added. Request snapshots live in
 * __snapshots__/requests/; review their diff like code (`vitest run -u` rewrites them).
 */
import { contractSuite } from "../../../scripts/contract/suite.ts";
import * as sdk from "../src/index.js";

contractSuite("prelude", sdk);
