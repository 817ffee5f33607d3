/**
 * `createEquinixMetalMock` against specs/equinix-metal.yaml, by the contract harness
 * (scripts/contract): every answer it can give passes Prism's response validation
 * (mock-answers.ts), and the contract flows give the same results on Prism and on the mock
 * (mock-compare.ts). Written here: the scenarios that walk the state machine, and how a flow's
 * example OTP becomes one the mock accepts.
 */
import { mockAnswersSuite } from "../../../scripts/contract/mock-answers.ts";
import { mockCompareSuite } from "../../../scripts/contract/mock-compare.ts";
import { TEST_SECRET } from "../../../scripts/contract/suite.ts";
import type { EquinixMetalClient } from "../src/index.js";
import * as sdk from "../src/index.js";
import * as testing from "../src/testing.js";

mockAnswersSuite<EquinixMetalClient>("equinix-metal", sdk, testing, {
  scenarios: {
    "an SMS code, used once, then expired": async ({ client, mock, clock }) => {
      await client.receiveCodes();
      const code = mock.codeFor(TEST_SECRET)!;
      await client.findEnsureOtp({ otp: code });
      await client.findEnsureOtp({ otp: code }).catch(() => undefined);
      await client.receiveCodes();
      clock.advance(10 * 60_000);
      await client.findEnsureOtp({ otp: mock.codeFor(TEST_SECRET)! }).catch(() => undefined);
    },
    "recovery codes: listed, one used, regenerated": async ({ client }) => {
      const { recovery_codes: codes } = await client.findRecoveryCodes();
      await client.findEnsureOtp({ otp: codes![0]! });
      await client.findRecoveryCodes();
      await client.regenerateCodes();
      await client.findRecoveryCodes();
    },
  },
  answers: ["findEnsureOtp 204", "findEnsureOtp 400", "findRecoveryCodes 200", "regenerateCodes 200", "receiveCodes 204"],
});

mockCompareSuite<EquinixMetalClient>("equinix-metal", sdk, testing, {
  // The spec's example OTP becomes the code the mock sent by SMS.
  async prepare({ input, client, mock }) {
    if (!("otp" in input)) return input;
    await client.receiveCodes();
    return { ...input, otp: mock.codeFor(TEST_SECRET)! };
  },
});
