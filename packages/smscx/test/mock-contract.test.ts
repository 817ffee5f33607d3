/**
 * `createSmscxMock` against specs/smscx.yaml, by the contract harness (scripts/contract):
 * every answer it can give passes Prism's response validation (mock-answers.ts), and the contract
 * flows give the same results on Prism and on the mock (mock-compare.ts). Written here: the
 * scenarios that walk the OTP state machine, and how a flow's example OTP is created on the mock.
 */
import { mockAnswersSuite } from "../../../scripts/contract/mock-answers.ts";
import { mockCompareSuite } from "../../../scripts/contract/mock-compare.ts";
import type { SmscxClient } from "../src/index.js";
import * as sdk from "../src/index.js";
import * as testing from "../src/testing.js";

const PHONE = "+33612246400";

mockAnswersSuite<SmscxClient>("smscx", sdk, testing, {
  scenarios: {
    "new OTPs: defaults, every option, a national number, letters, a long message": async ({ client }) => {
      await client.newOtp({ phoneNumber: PHONE });
      await client.newOtp({ phoneNumber: PHONE, countryIso: "FR", from: "InfoText", template: "Your code is {{pin}}", trackId: "7e57d004-2b97-4e7a-b45f-5387367791cd", ttl: 1800, maxAttempts: 10, pinType: "alphanumeric", pinLength: 10, otpCallbackUrl: "https://hooks.example.com/otp" });
      await client.newOtp({ phoneNumber: "0612246400", countryIso: "FR" });
      await client.newOtp({ phoneNumber: "0612246400", countryIso: "XX" });
      await client.newOtp({ phoneNumber: "+8801712345678", pinType: "letters", template: `${"x".repeat(400)} {{pin}}` });
      for (const bad of [{ phoneNumber: "0612246400" }, { phoneNumber: "call me" }, { phoneNumber: PHONE, template: "no pin" }]) await client.newOtp(bad).catch(() => undefined);
    },
    "verified after a wrong PIN, then refused": async ({ client, mock }) => {
      const { otpId } = await client.newOtp({ phoneNumber: PHONE });
      await client.verifyPin({ otpId, pin: "not it" }).catch(() => undefined);
      await client.getOtpStatus({ otpId });
      await client.verifyPin({ otpId, pin: mock.codeFor(otpId)! });
      await client.getOtpStatus({ otpId });
      await client.verifyPin({ otpId, pin: mock.codeFor(otpId)! }).catch(() => undefined);
      await client.cancelOtp({ otpId }).catch(() => undefined);
    },
    "failed after maxAttempts wrong PINs": async ({ client, mock }) => {
      const { otpId } = await client.newOtp({ phoneNumber: PHONE, maxAttempts: 1 });
      await client.verifyPin({ otpId, pin: "not it" }).catch(() => undefined);
      await client.getOtpStatus({ otpId });
      await client.verifyPin({ otpId, pin: mock.codeFor(otpId)! }).catch(() => undefined);
    },
    "expired after its ttl": async ({ client, mock, clock }) => {
      const { otpId } = await client.newOtp({ phoneNumber: PHONE, ttl: 60 });
      clock.advance(60_000);
      await client.getOtpStatus({ otpId });
      await client.verifyPin({ otpId, pin: mock.codeFor(otpId)! }).catch(() => undefined);
      await client.cancelOtp({ otpId }).catch(() => undefined);
    },
    "cancelled, then refused": async ({ client, mock }) => {
      const { otpId } = await client.newOtp({ phoneNumber: PHONE });
      await client.cancelOtp({ otpId });
      await client.getOtpStatus({ otpId });
      await client.cancelOtp({ otpId }).catch(() => undefined);
      await client.verifyPin({ otpId, pin: mock.codeFor(otpId)! }).catch(() => undefined);
    },
    "an unknown otpId": async ({ client }) => {
      const otpId = "a17fb13d-f4ac-4d93-9439-ef41ab8de390";
      for (const call of [client.getOtpStatus({ otpId }), client.verifyPin({ otpId, pin: "1544" }), client.cancelOtp({ otpId })]) await call.catch(() => undefined);
    },
  },
  answers: [
    "NewOtp 201 PENDING",
    "NewOtp 400",
    "GetOtpStatus 200 PENDING",
    "GetOtpStatus 200 VERIFIED",
    "GetOtpStatus 200 FAILED",
    "GetOtpStatus 200 EXPIRED",
    "GetOtpStatus 200 CANCELLED",
    "GetOtpStatus 404",
    "VerifyPin 200 VERIFIED",
    "VerifyPin 400",
    "VerifyPin 404",
    "CancelOtp 200",
    "CancelOtp 403",
    "CancelOtp 404",
  ],
});

mockCompareSuite<SmscxClient>("smscx", sdk, testing, {
  // Flows that name an OTP (the spec's example otpId, and its example PIN) get one the mock created.
  async prepare({ input, client, mock }) {
    if (!("otpId" in input)) return input;
    const { otpId } = await client.newOtp({ phoneNumber: PHONE });
    return { ...input, otpId, ...("pin" in input ? { pin: mock.codeFor(otpId)! } : {}) };
  },
});
