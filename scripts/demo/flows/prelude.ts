/**
 * Prelude (Verify API v2, Ding's successor): look the number up, refuse a malformed one before
 * sending, send a code, check a wrong one, resend within the window (`retry`), check the right
 * one, read the verification's timeline, walk the verification history page by page, report the
 * funnel; then meet the outcomes Prelude answers with a 200: a blocked verification and a PSD2
 * code checked against another payment. Only @otpkit/prelude's public API is used; in mock mode
 * each answer is one of the named examples of specs/prelude.yaml, picked with Prism's Prefer header.
 */
import {
  ApiError,
  OutcomeError,
  ValidationError,
  createPreludeClient,
  operationSpecs,
  type ApiPromise,
  type CallOptions,
  type ListPhoneVerificationsItem,
  type PreludeClient,
  type ResponseMetadata,
} from "@otpkit/prelude";
import { plural } from "../style.ts";
import { short, wrongCode, type Flow, type Mode, type StepContext, type StepDef } from "../flow.ts";

interface State {
  verificationId?: string;
  code?: string;
  verified?: true;
}

const step = <D>(def: StepDef<PreludeClient, State, D>) => def;
const target = (phone: string) => ({ type: "phone_number", value: phone }) as const;

/** The code the user received: asked with --live (the spec's example code in mock mode). */
async function askCode(context: StepContext<State>): Promise<string | undefined> {
  context.state.code ??= await context.askCode("Enter the code Prelude sent", "12345");
  return context.state.code ? undefined : "no code was entered";
}

/** At most this many verifications are walked with --live, where the history may be long. */
const WALK_LIMIT = 50;

/**
 * `listPhoneVerificationsAll` as one demo step (the runner judges a step by its answer): every
 * verification of the last day for the demo's number, with the answer to the last page's request.
 * In mock mode a request that carries a cursor asks Prism for the spec's last page.
 */
function walkHistory(prelude: PreludeClient, phone: string, mode: Mode, options: CallOptions): ApiPromise<ListPhoneVerificationsItem[]> {
  const started = performance.now();
  let last: { request: Request; response: Response } | undefined;
  const watch: NonNullable<CallOptions["middleware"]>[number] = {
    onRequest: ({ request }) => {
      if (mode === "mock" && new URL(request.url).searchParams.has("cursor")) request.headers.set("prefer", "example=lastPage");
      return request;
    },
    onResponse: ({ request, response }) => void (last = { request, response }),
  };
  const result = (async () => {
    const items: ListPhoneVerificationsItem[] = [];
    const from = new Date(Date.now() - 86_400_000).toISOString();
    for await (const item of prelude.listPhoneVerificationsAll({ phone_number: phone, from }, { ...options, middleware: [watch] })) {
      items.push(item);
      if (items.length === WALK_LIMIT) break;
    }
    const { request, response } = last!;
    // The last page's answer; a retry of it, if any, shows in the demo's onRetry lines.
    const metadata: ResponseMetadata = { operationId: "listPhoneVerifications", method: request.method, url: request.url, status: response.status, headers: response.headers, attempts: 1, duration: performance.now() - started };
    return { data: items, metadata };
  })();
  const data = result.then((r) => r.data);
  // The runner reads withMetadata() only: a failed walk must not also be an unhandled rejection here.
  data.catch(() => undefined);
  return Object.assign(data, { withMetadata: () => result });
}

export const prelude: Flow<PreludeClient, State> = {
  id: "prelude",
  name: "Prelude",
  packageName: "@otpkit/prelude",
  errors: { ApiError, OutcomeError, ValidationError },
  live: {
    host: "api.prelude.dev",
    env: [
      { oneOf: ["PRELUDE_API_KEY"], what: "Prelude v2 API key" },
      { oneOf: ["OTPKIT_DEMO_PHONE"], what: "the phone number that receives the code" },
    ],
    usesPhone: true,
    baseUrlEnv: "PRELUDE_BASE_URL",
  },
  mock: { env: { PRELUDE_API_KEY: "mock-api-key" }, phone: "+30123456789" },

  createClient: ({ env, baseUrl, fetch, timeout, deadline }) => createPreludeClient({ accessToken: env["PRELUDE_API_KEY"] ?? "", baseUrl, fetch, timeout, deadline }),
  initialState: () => ({}),

  steps: [
    step({
      op: "lookup",
      send: (prelude, { phone, options }) => prelude.lookup({ phone_number: phone }, options),
      operation: operationSpecs.lookup,
      expected: "a mobile line",
      expect: { resolves: 200, check: (line) => (line.line_type === "mobile" ? undefined : `line type ${line.line_type}: Prelude sends codes to mobile lines only`) },
      show: (line) => [`line ${line.line_type}`, line.network_info?.carrier_name && `carrier ${line.network_info.carrier_name}`, line.flags?.length ? `flags ${line.flags.join(", ")}` : undefined],
    }),
    step({
      op: "createVerification",
      send: (prelude, { options }) => prelude.createVerification({ target: target("0612345678") }, options),
      operation: operationSpecs.createVerification,
      // Checked against the spec before anything is sent (or billed).
      expected: "not E.164 → ValidationError",
      expect: { rejects: "ValidationError", path: "body.target.value" },
    }),
    step({
      op: "createVerification",
      send: (prelude, { phone, options }) => prelude.createVerification({ target: target(phone) }, options),
      operation: operationSpecs.createVerification,
      costs: "Prelude sends a code and bills the verification",
      expected: "code sent: success",
      // A window left open by an earlier run makes a real create a retry: a code is on its way too.
      liveAlso: { resolves: 200, check: (verification) => (verification.status === "retry" ? undefined : `status is ${verification.status}`) },
      expect: { resolves: 200, check: (verification) => (verification.status === "success" ? undefined : `status is ${verification.status}`) },
      save: (verification, state) => void (state.verificationId = verification.id),
      show: (verification) => [`verification ${short(verification.id)}`, `status ${verification.status}`, `by ${verification.method}${verification.channels ? ` (${verification.channels.join(", ")})` : ""}`],
    }),
    step({
      op: "checkVerification",
      send: (prelude, { phone, state, options }) => prelude.checkVerification({ target: target(phone), code: wrongCode(state.code!) }, options),
      operation: operationSpecs.checkVerification,
      needs: ["verificationId"],
      // Prelude answers 200 {status: "failure"}: the client turns it into an error you cannot miss.
      expected: "wrong code → OutcomeError",
      mock: { prefer: "example=failure" },
      expect: { rejects: "OutcomeError", outcome: "failure" },
      prepare: askCode,
    }),
    step({
      op: "createVerification",
      send: (prelude, { phone, options }) => prelude.createVerification({ target: target(phone) }, options),
      operation: operationSpecs.createVerification,
      costs: "Prelude sends the code again and bills the new attempt",
      needs: ["verificationId"],
      // The same request inside the window is Prelude's resend: status retry, a success the caller can tell apart.
      expected: "again in the window → retry",
      mock: { prefer: "example=retry" },
      expect: { resolves: 200, check: (verification) => (verification.status === "retry" ? undefined : `status is ${verification.status}`) },
      // A new message went out: with --live, ask for the code again.
      save: (_, state) => void (state.code = undefined),
      show: (verification) => [`status ${verification.status}`, `same verification ${short(verification.id)}`],
    }),
    step({
      op: "checkVerification",
      send: (prelude, { phone, state, options }) => prelude.checkVerification({ target: target(phone), code: state.code! }, options),
      operation: operationSpecs.checkVerification,
      needs: ["verificationId"],
      expected: "right code → success",
      expect: { resolves: 200, check: (check) => (check.status === "success" ? undefined : `status is ${check.status}`) },
      prepare: askCode,
      save: (_, state) => void (state.verified = true),
      show: (check) => [`status ${check.status}`, "the user is verified"],
    }),
    step({
      op: "getPhoneVerification",
      send: (prelude, { state, options }) => prelude.getPhoneVerification({ id: state.verificationId! }, options),
      operation: operationSpecs.getPhoneVerification,
      needs: ["verificationId"],
      expected: "the verification's timeline",
      expect: { resolves: 200, check: (verification) => (verification.lifecycle?.events.length ? undefined : "no lifecycle events") },
      // Message contents and checked codes stay out of the output.
      show: (verification) => [
        `status ${verification.status}`,
        `${plural(verification.lifecycle?.events.length ?? 0, "event")}: ${(verification.lifecycle?.events ?? []).map((event) => (event.type === "attempt" ? `attempt ${event.attempt.channel ?? ""} ${event.attempt.delivery_status ?? ""}`.trim() : event.type === "check" ? `check ${event.check.is_valid ? "valid" : "invalid"}` : event.type)).join(", ")}`,
        verification.lifecycle?.total_cost && `cost ${verification.lifecycle.total_cost.amount} ${verification.lifecycle.total_cost.currency}`,
      ],
    }),
    step({
      op: "listPhoneVerificationsAll",
      send: (prelude, { phone, mode, options }) => walkHistory(prelude, phone, mode, options),
      operation: operationSpecs.listPhoneVerifications,
      expected: "every page of the history",
      expect: { resolves: 200, check: (items) => (items.length ? undefined : "no verification in the last day") },
      show: (items) => [`${plural(items.length, "verification")}: ${items.map((v) => `${short(v.id)} ${v.status}`).join(", ")}`],
    }),
    step({
      op: "sendFeedbacks",
      send: (prelude, { phone, options }) => prelude.sendFeedbacks({ feedbacks: [{ target: target(phone), type: "verification.completed" }] }, options),
      operation: operationSpecs.sendFeedbacks,
      needs: ["verified"],
      expected: "completed → recorded",
      expect: { resolves: 200, check: (feedback) => (feedback.status === "success" ? undefined : `status is ${String(feedback.status)}`) },
      show: () => ["Prelude's fraud models learn the funnel's outcome"],
    }),
    step({
      op: "createVerification",
      send: (prelude, { phone, options }) => prelude.createVerification({ target: target(phone) }, options),
      operation: operationSpecs.createVerification,
      // Prelude answers 200 {status: "blocked"} and sends nothing: a typed OutcomeError, not a
      // "successful" verification whose code never arrives.
      expected: "OutcomeError blocked",
      mockOnly: "Prelude decides when to block; provoking it would take suspicious, billed requests",
      mock: { prefer: "example=blocked" },
      expect: { rejects: "OutcomeError", outcome: "blocked" },
    }),
    step({
      op: "checkVerification",
      send: (prelude, { phone, options }) => prelude.checkVerification({ target: target(phone), code: "12345", psd2: { amount: "59.90", currency: "EUR", recipient: "Acme Store" } }, options),
      operation: operationSpecs.checkVerification,
      // PSD2 dynamic linking: the code was issued for another amount, so it is invalid now.
      expected: "PSD2 mismatch → OutcomeError",
      mockOnly: "needs a code issued under the prelude:psd2 template, which Prelude enables per account",
      mock: { prefer: "example=transactionMismatch" },
      expect: { rejects: "OutcomeError", outcome: "transaction_mismatch" },
    }),
  ],
};
