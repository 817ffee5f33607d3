/**
 * Ding: create an authentication, check a wrong code, resend, check the right code, read the
 * authentication's history, send onboarding feedback, and meet Ding's "HTTP 200 but rate limited".
 * Only @otpkit/ding's public API is used; in mock mode each answer is one of the named examples of
 * specs/ding.yaml, picked with Prism's Prefer header.
 */
import { ApiError, OutcomeError, ValidationError, createDingClient, operationSpecs, type DingClient } from "@otpkit/ding";
import { short, wrongCode, type Flow, type StepContext, type StepDef } from "../flow.ts";

interface State {
  authenticationUuid?: string;
  code?: string;
  validated?: true;
}

const step = <D>(def: StepDef<DingClient, State, D>) => def;

/** The code the user received: asked with --live (the spec's example code in mock mode). */
async function askCode(context: StepContext<State>): Promise<string | undefined> {
  context.state.code ??= await context.askCode("Enter the code Ding sent by SMS", "123456");
  return context.state.code ? undefined : "no code was entered";
}

export const ding: Flow<DingClient, State> = {
  id: "ding",
  name: "Ding",
  packageName: "@otpkit/ding",
  errors: { ApiError, OutcomeError, ValidationError },
  live: {
    host: "api.ding.live",
    env: [
      { oneOf: ["DING_API_KEY"], what: "Ding API key" },
      { oneOf: ["DING_CUSTOMER_UUID"], what: "Ding customer UUID" },
      { oneOf: ["OTPKIT_DEMO_PHONE"], what: "the phone number that receives the code" },
    ],
    usesPhone: true,
    baseUrlEnv: "DING_BASE_URL",
  },
  mock: { env: { DING_API_KEY: "mock-api-key", DING_CUSTOMER_UUID: "cf222c97-267d-4a29-9e1b-c85d9c31cc42" }, phone: "+12025550143" },

  createClient: ({ env, baseUrl, fetch, timeout, deadline }) =>
    createDingClient({ apiKey: env["DING_API_KEY"] ?? "", customerUuid: env["DING_CUSTOMER_UUID"] ?? "", baseUrl, fetch, timeout, deadline }),
  initialState: () => ({}),

  steps: [
    step({
      op: "createAuthentication",
      send: (ding, { phone, options }) => ding.createAuthentication({ phone_number: phone }, options),
      operation: operationSpecs["create-authentication"],
      costs: "Ding sends a code by SMS and bills the authentication",
      expected: "code sent: pending",
      expect: { resolves: 200, check: (auth) => (auth.status === "pending" ? undefined : `status is ${auth.status}`) },
      save: (auth, state) => void (state.authenticationUuid = auth.authentication_uuid),
      show: (auth, metadata) => [
        `authentication ${short(auth.authentication_uuid)}`,
        `status ${auth.status}`,
        `expires ${auth.expires_at}`,
        metadata.headers.get("deprecation") !== null && `Deprecation: ${metadata.headers.get("deprecation")} (API v1)`,
      ],
    }),
    step({
      op: "check",
      send: (ding, { state, options }) => ding.check({ authentication_uuid: state.authenticationUuid!, check_code: wrongCode(state.code!) }, options),
      operation: operationSpecs.check,
      needs: ["authenticationUuid"],
      // Ding answers 200 {status: "invalid"}: the client turns it into an error you cannot miss.
      expected: "wrong code → OutcomeError",
      mock: { prefer: "example=invalid" },
      expect: { rejects: "OutcomeError", outcome: "invalid" },
      prepare: askCode,
    }),
    step({
      op: "retry",
      send: (ding, { state, options }) => ding.retry({ authentication_uuid: state.authenticationUuid! }, options),
      operation: operationSpecs.retry,
      costs: "Ding sends the code again and bills the new attempt",
      needs: ["authenticationUuid"],
      expected: "resend → approved",
      // A real Ding may refuse a resend that comes too early; that is a typed outcome too.
      liveAlso: { rejects: "OutcomeError", outcome: "denied" },
      expect: { resolves: 200, check: (retry) => (retry.status === "approved" ? undefined : `status is ${retry.status}`) },
      // A new message went out: with --live, ask for the code again.
      save: (_, state) => void (state.code = undefined),
      show: (retry) => [`status ${retry.status}`, `${retry.remaining_retry ?? "?"} resends left`, retry.next_retry_at && `next from ${retry.next_retry_at}`],
    }),
    step({
      op: "check",
      send: (ding, { state, options }) => ding.check({ authentication_uuid: state.authenticationUuid!, check_code: state.code! }, options),
      operation: operationSpecs.check,
      needs: ["authenticationUuid"],
      expected: "right code → valid",
      expect: { resolves: 200, check: (check) => (check.status === "valid" ? undefined : `status is ${check.status}`) },
      prepare: askCode,
      save: (_, state) => void (state.validated = true),
      show: (check) => [`status ${check.status}`, "the user is verified"],
    }),
    step({
      op: "getAuthenticationStatus",
      send: (ding, { state, options }) => ding.getAuthenticationStatus({ auth_uuid: state.authenticationUuid! }, options),
      operation: operationSpecs.getAuthenticationStatus,
      needs: ["authenticationUuid"],
      expected: "the authentication's events",
      expect: { resolves: 200, check: (status) => (status.events?.length ? undefined : "no events") },
      // Event contents (the message text, the checked code) stay out of the output.
      show: (status) => [`${status.events?.length ?? 0} events: ${(status.events ?? []).map((event) => [event.type, "status" in event && event.status].filter(Boolean).join(" ")).join(", ")}`],
    }),
    step({
      op: "feedback",
      send: (ding, { phone, options }) => ding.feedback({ phone_number: phone, status: "onboarded" }, options),
      operation: operationSpecs.feedback,
      needs: ["validated"],
      expected: "onboarded → recorded",
      expect: { resolves: 200, check: (feedback) => (feedback.uuid ? undefined : "no feedback uuid") },
      show: (feedback) => [`feedback ${short(feedback.uuid)} recorded`, "Ding tunes its fraud checks with it"],
    }),
    step({
      op: "createAuthentication",
      send: (ding, { phone, options }) => ding.createAuthentication({ phone_number: phone }, options),
      operation: operationSpecs["create-authentication"],
      // Ding answers 200 {status: "rate_limited"} and sends nothing: a typed OutcomeError, not a
      // "successful" authentication that never arrives.
      expected: "OutcomeError rate_limited",
      mockOnly: "Ding decides when to rate-limit; provoking it would take many billed codes",
      mock: { prefer: "example=rateLimited" },
      expect: { rejects: "OutcomeError", outcome: "rate_limited" },
    }),
  ],
};
