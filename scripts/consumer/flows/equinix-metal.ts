/**
 * @otpkit/equinix-metal as a consumer uses it: verifying without a code is refused before anything
 * is sent (and is a type error), an OTP is sent by SMS (billed), a wrong code is a typed ApiError
 * (400), the right code is accepted (204). Prism answers from specs/equinix-metal.yaml; `Prefer`
 * picks the named example.
 */
import type * as EquinixMetal from "@otpkit/equinix-metal";
import { check, rejects, type Flow } from "../harness/flow.js";

const apiKey = "consumer-suite-key";

export const flow: Flow<typeof EquinixMetal> = {
  package: "@otpkit/equinix-metal",
  mocks: ["equinix-metal"],
  billed: ({ createEquinixMetalClient }, { baseUrl, fetch, retry }) => createEquinixMetalClient({ apiKey, baseUrl, fetch, retry }).receiveCodes(),

  async run({ createEquinixMetalClient, ApiError, ValidationError }, t) {
    const metal = createEquinixMetalClient({ apiKey, baseUrl: t.mock("equinix-metal"), fetch: t.fetch });
    await t.step("no code: refused, nothing sent", async () => {
      // @ts-expect-error otp is required
      const error = await rejects(metal.findEnsureOtp({}), ValidationError);
      check(error.issues.some((issue) => issue.path === "path.otp"), `issues: ${JSON.stringify(error.issues)}`);
      check(t.requests() === 0, `${t.requests()} requests sent`);
    });
    await t.step("receiveCodes (billed): 204", async () => {
      const result = await metal.receiveCodes().withMetadata();
      check(result.metadata.status === 204, `status ${result.metadata.status}`);
    });
    await t.step("wrong code: ApiError 400", async () => {
      const error = await rejects(metal.findEnsureOtp({ otp: "000000" }, { headers: { Prefer: "code=400, example=invalidOtp" } }), ApiError);
      check(error.status === 400, `status ${error.status}`);
    });
    await t.step("right code: 204", async () => {
      const result = await metal.findEnsureOtp({ otp: "123456" }).withMetadata();
      check(result.metadata.status === 204, `status ${result.metadata.status}`);
    });
  },
};
