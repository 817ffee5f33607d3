/**
 * @otpkit/verify as a consumer uses it, over the vendor clients it installs next to it: a start
 * without a phone number sends nothing (and is a type error), a code is sent through SMS.cx
 * (billed), a wrong code and the right code are `check` outcomes, and when SMS.cx refuses before
 * sending (no credit), `start` moves on to Ding. Prism answers from specs/smscx.yaml and
 * specs/ding.yaml; a client whose `Prefer` header names a spec example makes that vendor answer it.
 */
import { createDingClient } from "@otpkit/ding";
import { createSmscxClient } from "@otpkit/smscx";
import type * as Verify from "@otpkit/verify";
import { check, type Flow, type FlowContext } from "../harness/flow.js";

const phoneNumber = "+33612246400";
const smscxKey = "consumer-suite-key";
const dingCredentials = { apiKey: "consumer-suite-key", customerUuid: "cf222c97-267d-4a29-9e1b-c85d9c31cc42" };

/** An SMS.cx client on the flow's mock; `prefer` makes Prism answer every call with that example. */
const smscxOn = (t: FlowContext, prefer?: string) => createSmscxClient({ apiKey: smscxKey, baseUrl: t.mock("smscx"), fetch: t.fetch, ...(prefer ? { headers: { Prefer: prefer } } : {}) });

export const flow: Flow<typeof Verify> = {
  package: "@otpkit/verify",
  mocks: ["smscx", "ding"],
  // `start` never throws: what the SMS.cx client decided about the closed port is in `tried`, and
  // the verifier must agree with it (move on only when the request provably never left).
  async billed({ createVerifier, smscxProvider }, { baseUrl, fetch, retry }) {
    const verifier = createVerifier({ providers: [smscxProvider(createSmscxClient({ apiKey: smscxKey, baseUrl, fetch, retry }))] });
    const started = await verifier.start({ phoneNumber });
    const attempt = started.tried[0];
    if (!attempt || attempt.outcome === "sent") throw new Error(`start: ${started.status}, tried ${JSON.stringify(started.tried)}`);
    const requestSent = (attempt.error as { requestSent?: unknown }).requestSent;
    const agrees = attempt.outcome === "not_sent" ? attempt.reason === "connection_refused" && requestSent === false : attempt.outcome === "unknown" && requestSent === true;
    if (!agrees) throw new Error(`start: ${attempt.outcome} ${"reason" in attempt ? attempt.reason : ""} after ${attempt.error.name} with requestSent ${String(requestSent)}`);
    throw attempt.error;
  },

  async run({ createVerifier, smscxProvider, dingProvider }, t) {
    const verifier = createVerifier({ providers: [smscxProvider(smscxOn(t))] });
    let id = "";
    await t.step("no phone number: invalid_phone_number, nothing sent", async () => {
      // @ts-expect-error phoneNumber is required
      const started = await verifier.start({});
      check(started.status === "invalid_phone_number", `status ${started.status}`);
      check(t.requests() === 0, `${t.requests()} requests sent`);
    });
    await t.step("start (billed) through SMS.cx: sent", async () => {
      const started = await verifier.start({ phoneNumber });
      check(started.status === "sent" && started.provider === "smscx", `status ${started.status}, tried ${JSON.stringify(started.tried)}`);
      check(started.id.startsWith("smscx:"), `id ${started.id}`);
      id = started.id;
    });
    await t.step("wrong code: wrong_code", async () => {
      // The id names its provider, so another verifier (whose SMS.cx answers "wrong PIN") can check it.
      const wrongPin = createVerifier({ providers: [smscxProvider(smscxOn(t, "code=400, example=wrongPin"))] });
      const result = await wrongPin.check({ id, code: "0000" });
      check(result.status === "wrong_code", `status ${result.status}`);
    });
    await t.step("right code: verified", async () => {
      const result = await verifier.check({ id, code: "1544" });
      check(result.status === "verified" && result.provider === "smscx", `status ${result.status}`);
    });
    await t.step("SMS.cx refuses before sending (no credit): failover to Ding", async () => {
      const noCredit = smscxProvider(smscxOn(t, "code=400, example=insufficientCredit"));
      const ding = dingProvider(createDingClient({ ...dingCredentials, baseUrl: t.mock("ding"), fetch: t.fetch }));
      const failovers: string[] = [];
      const failover = createVerifier({ providers: [noCredit, ding], onFailover: (e) => failovers.push(`${e.from} → ${e.to} (${e.reason})`) });
      const before = t.requests();
      const started = await failover.start({ phoneNumber });
      check(started.status === "sent" && started.provider === "ding", `status ${started.status}, tried ${JSON.stringify(started.tried)}`);
      const [first] = started.tried;
      check(first?.outcome === "not_sent" && first.reason === "insufficient_credit", `tried ${JSON.stringify(started.tried)}`);
      check(failovers.join() === "smscx → ding (insufficient_credit)", `onFailover: ${failovers.join("; ")}`);
      check(t.requests() - before === 2, `${t.requests() - before} requests sent, expected one to each vendor`);
    });
  },
};
