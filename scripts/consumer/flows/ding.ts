/**
 * @otpkit/ding as a consumer uses it: an authentication without a phone number is refused before
 * anything is sent (and is a type error), one is created (billed), a wrong code is Ding's
 * "200 but invalid" as a typed OutcomeError, the right code is valid. Prism answers from
 * specs/ding.yaml; `Prefer` picks the named example.
 */
import type * as Ding from "@otpkit/ding";
import { check, rejects, type Flow } from "../harness/flow.js";

const credentials = { apiKey: "consumer-suite-key", customerUuid: "cf222c97-267d-4a29-9e1b-c85d9c31cc42" };

export const flow: Flow<typeof Ding> = {
  package: "@otpkit/ding",
  mocks: ["ding"],
  billed: ({ createDingClient }, { baseUrl, fetch, retry }) => createDingClient({ ...credentials, baseUrl, fetch, retry }).createAuthentication({ phone_number: "+12025550143" }),

  async run({ createDingClient, OutcomeError, ValidationError }, t) {
    const ding = createDingClient({ ...credentials, baseUrl: t.mock("ding"), fetch: t.fetch });
    let authentication_uuid = "";
    await t.step("no phone number: refused, nothing sent", async () => {
      // @ts-expect-error phone_number is required
      const error = await rejects(ding.createAuthentication({ ip: "192.0.2.1" }), ValidationError);
      check(error.issues.some((issue) => issue.path === "body.phone_number"), `issues: ${JSON.stringify(error.issues)}`);
      check(t.requests() === 0, `${t.requests()} requests sent`);
    });
    await t.step("createAuthentication (billed): pending", async () => {
      const auth = await ding.createAuthentication({ phone_number: "+12025550143" });
      check(auth.status === "pending" && auth.authentication_uuid, `status ${auth.status}, authentication_uuid ${auth.authentication_uuid}`);
      authentication_uuid = auth.authentication_uuid;
    });
    await t.step("wrong code: OutcomeError invalid", async () => {
      const error = await rejects(ding.check({ authentication_uuid, check_code: "000000" }, { headers: { Prefer: "example=invalid" } }), OutcomeError);
      check(error.outcome === "invalid", `outcome ${error.outcome}`);
    });
    await t.step("right code: valid", async () => {
      const result = await ding.check({ authentication_uuid, check_code: "123456" });
      check(result.status === "valid", `status ${result.status}`);
    });
  },
};
