/**
 * @otpkit/smscx as a consumer uses it: a call without a phone number is refused before anything is
 * sent (and is a type error), an OTP is sent (billed), a wrong PIN is a typed ApiError (2029), the
 * right PIN verifies. Prism answers from specs/smscx.yaml; `Prefer` picks the named example.
 */
import type * as Smscx from "@otpkit/smscx";
import { check, rejects, type Flow } from "../harness/flow.js";

const apiKey = "consumer-suite-key";

export const flow: Flow<typeof Smscx> = {
  package: "@otpkit/smscx",
  mocks: ["smscx"],
  billed: ({ createSmscxClient }, { baseUrl, fetch, retry }) => createSmscxClient({ apiKey, baseUrl, fetch, retry }).newOtp({ phoneNumber: "+33612246400" }),

  async run({ createSmscxClient, ApiError, ValidationError }, t) {
    const smscx = createSmscxClient({ apiKey, baseUrl: t.mock("smscx"), fetch: t.fetch });
    let otpId = "";
    await t.step("no phone number: refused, nothing sent", async () => {
      // @ts-expect-error phoneNumber is required
      const error = await rejects(smscx.newOtp({ ttl: 180 }), ValidationError);
      check(error.issues.some((issue) => issue.path === "body.phoneNumber"), `issues: ${JSON.stringify(error.issues)}`);
      check(t.requests() === 0, `${t.requests()} requests sent`);
    });
    await t.step("newOtp (billed): PENDING", async () => {
      const otp = await smscx.newOtp({ phoneNumber: "+33612246400", ttl: 180, maxAttempts: 4 }, { headers: { Prefer: "example=created" } });
      check(otp.status === "PENDING", `status ${otp.status}`);
      otpId = otp.otpId;
    });
    await t.step("wrong PIN: ApiError 2029", async () => {
      const error = await rejects(smscx.verifyPin({ otpId, pin: "0000" }, { headers: { Prefer: "code=400, example=wrongPin" } }), ApiError);
      check(error.status === 400 && error.code === 2029, `status ${error.status}, code ${error.code}`);
    });
    await t.step("right PIN: VERIFIED", async () => {
      const result = await smscx.verifyPin({ otpId, pin: "1544" });
      check(result.status === "VERIFIED", `status ${result.status}`);
    });
  },
};
