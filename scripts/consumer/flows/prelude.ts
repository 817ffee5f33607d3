/**
 * @otpkit/prelude as a consumer uses it: a verification without a target is refused before
 * anything is sent (and is a type error), one is created (billed), a wrong code is Prelude's
 * "200 but failure" as a typed OutcomeError, the right code is a success. Prism answers from
 * specs/prelude.yaml; `Prefer` picks the named example.
 */
import type * as Prelude from "@otpkit/prelude";
import { check, rejects, type Flow } from "../harness/flow.js";

const accessToken = "consumer-suite-key";
const target = { type: "phone_number", value: "+30123456789" } as const;

export const flow: Flow<typeof Prelude> = {
  package: "@otpkit/prelude",
  mocks: ["prelude"],
  billed: ({ createPreludeClient }, { baseUrl, fetch, retry }) => createPreludeClient({ accessToken, baseUrl, fetch, retry }).createVerification({ target }),

  async run({ createPreludeClient, OutcomeError, ValidationError }, t) {
    const prelude = createPreludeClient({ accessToken, baseUrl: t.mock("prelude"), fetch: t.fetch });
    await t.step("no target: refused, nothing sent", async () => {
      // @ts-expect-error target is required
      const error = await rejects(prelude.createVerification({ signals: { ip: "192.0.2.1" } }), ValidationError);
      check(error.issues.some((issue) => issue.path === "body.target"), `issues: ${JSON.stringify(error.issues)}`);
      check(t.requests() === 0, `${t.requests()} requests sent`);
    });
    await t.step("createVerification (billed): success", async () => {
      const verification = await prelude.createVerification({ target, signals: { ip: "192.0.2.1" } });
      check(verification.status === "success" && verification.id, `status ${verification.status}, id ${verification.id}`);
    });
    await t.step("wrong code: OutcomeError failure", async () => {
      const error = await rejects(prelude.checkVerification({ target, code: "00000" }, { headers: { Prefer: "example=failure" } }), OutcomeError);
      check(error.outcome === "failure", `outcome ${error.outcome}`);
    });
    await t.step("right code: success", async () => {
      const result = await prelude.checkVerification({ target, code: "12345" });
      check(result.status === "success", `status ${result.status}`);
    });
  },
};
