/**
 * `@otpkit/ding/testing`: an in-process mock of the Ding OTP API for your own tests. The statuses,
 * error bodies and example values come from specs/ding.yaml (generated into ./generated/mock.ts);
 * the engine is @otpkit/runtime/testing. Written here by hand is only what the spec cannot say: how
 * an authentication moves from pending to validated or expired, when a retry is approved, and which
 * events it records on the way.
 *
 * @packageDocumentation
 */
import { createMock, type Mock, type MockBehaviour, type MockOptions } from "@otpkit/runtime/testing";
import { mockSpec, type DingMockFaults } from "./generated/mock.js";
import type { DingOperationId } from "./generated/spec.js";
import type { AuthenticationStatusResponse, CheckStatus, CreateAuthenticationRequest, CreateCheckRequest, FeedbackRequest, RetryAuthenticationRequest } from "./generated/types.js";

export { createMockClock, type MockClock, type MockFault, type MockRequest } from "@otpkit/runtime/testing";
export type { DingMockFaults };

/** Options of `createDingMock`: a clock, faults per operation, a random source. */
export type DingMockOptions = MockOptions<DingMockFaults>;

/** The Ding mock: `fetch`, `handle`, `requests`, `codeFor(authentication_uuid)`, `reset()`. */
export type DingMock = Mock<DingOperationId>;

type Event = NonNullable<AuthenticationStatusResponse["events"]>[number];

interface Authentication {
  readonly uuid: string;
  readonly request: CreateAuthenticationRequest;
  readonly code: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly events: Event[];
  validated: boolean;
  /** Messages sent: the first one, then one per approved retry. */
  attempts: number;
  lastSentAt: number;
}

interface State {
  readonly authentications: Map<string, Authentication>;
  /** Feedback statuses already sent, per phone number. */
  readonly feedback: Map<string, Set<string>>;
}

// Ding publishes no numbers for these; the spec's examples show them, and the mock reads them there.
const examples = mockSpec.operations;
const pending = examples["create-authentication"].responses[200].examples.pending;
const approved = examples.retry.responses[200].examples.approved;
/** How long an authentication can be checked or retried (10 minutes in the `pending` example). */
const LIFETIME = Date.parse(pending.expires_at) - Date.parse(pending.created_at);
/** The wait between two messages (60 s in the `approved` retry example). */
const RETRY_INTERVAL = Date.parse(approved.next_retry_at) - Date.parse(approved.created_at);
/** Retries per authentication: the `approved` example has 2 left after the first. */
const RETRIES = approved.remaining_retry + 1;
/** What an authentication costs, from the `validated` status example's balance update. */
const PRICE = examples.getAuthenticationStatus.responses[200].examples.validated.events[0].amount;
/** The codes in the spec's examples have six digits. */
const CODE_LENGTH = 6;

/** Ding writes RFC 3339 times in UTC, to the second. */
const format = (ms: number) => new Date(ms).toISOString().slice(0, 19) + "Z";

/** Records one message sent (the first one, or an approved retry): its cost, the attempt and its delivery. */
function send(auth: Authentication, at: number, uuid: () => string): void {
  const { sender_id } = auth.request;
  const attempt_number = ++auth.attempts;
  const id = uuid();
  const created_at = format(at);
  auth.lastSentAt = at;
  auth.events.push(
    { type: "balance_update", created_at, balance_update_type: attempt_number === 1 ? "authentication" : "attempt", amount: PRICE },
    { type: "attempt", created_at, id, content: `Your ${sender_id ? `${sender_id} ` : ""}code is ${auth.code}`, ...(sender_id ? { sender_id } : {}), capability: "text", attempt_number, status: "delivered" },
    { type: "delivery_status", created_at, status: "delivered", attempt_id: id, attempt_number, originated_at: created_at },
  );
}

/** What `getAuthenticationStatus` shows: the authentication, the signals it was created with, and its events. */
function status(auth: Authentication): AuthenticationStatusResponse {
  const { phone_number, template_id, correlation_id, customer_uuid: _c, sender_id: _s, callback_url: _u, locale: _l, ...signals } = auth.request;
  return {
    uuid: auth.uuid,
    phone_number,
    ...(template_id === undefined ? {} : { template_id }),
    ...(correlation_id === undefined ? {} : { correlation_id }),
    created_at: format(auth.createdAt),
    signals,
    events: auth.events,
  };
}

const behaviour: MockBehaviour<State, DingOperationId> = {
  createState: () => ({ authentications: new Map(), feedback: new Map() }),
  codeFor: (state, uuid) => state.authentications.get(uuid)?.code,
  handlers: {
    "create-authentication"({ state, body, now, uuid, code }) {
      const request = body as unknown as CreateAuthenticationRequest;
      if (request.app_realm !== undefined && request.device_type === undefined) return "appRealmRequireDeviceType";
      const at = now.getTime();
      const auth: Authentication = { uuid: uuid(), request, code: code(CODE_LENGTH), createdAt: at, expiresAt: at + LIFETIME, events: [], validated: false, attempts: 0, lastSentAt: at };
      send(auth, at, uuid);
      state.authentications.set(auth.uuid, auth);
      return { body: { authentication_uuid: auth.uuid, status: "pending", created_at: format(at), expires_at: format(auth.expiresAt) } };
    },

    check({ state, body, now, uuid }) {
      const { authentication_uuid, check_code } = body as unknown as CreateCheckRequest;
      const auth = state.authentications.get(authentication_uuid);
      if (!auth) return "noAssociatedAuthFound";
      const result: CheckStatus = auth.validated ? "already_validated" : now.getTime() >= auth.expiresAt ? "expired_auth" : check_code === auth.code ? "valid" : "invalid";
      auth.validated ||= result === "valid";
      auth.events.push({ type: "check", created_at: format(now.getTime()), id: uuid(), code: check_code, status: result });
      return { body: { authentication_uuid, status: result } };
    },

    feedback({ state, body, uuid }) {
      const { phone_number, status: given } = body as unknown as FeedbackRequest;
      if (![...state.authentications.values()].some((a) => a.request.phone_number === phone_number)) return "noAssociatedAuthFound";
      const sent = state.feedback.get(phone_number) ?? new Set();
      if (sent.has(given)) return "duplicatedFeedbackStatus";
      state.feedback.set(phone_number, sent.add(given));
      return { body: { uuid: uuid() } };
    },

    getAuthenticationStatus({ state, path }) {
      const auth = state.authentications.get(path.auth_uuid!);
      return auth ? { body: status(auth) } : "noAssociatedAuthFound";
    },

    retry({ state, body, now, uuid }) {
      const { authentication_uuid } = body as unknown as RetryAuthenticationRequest;
      const auth = state.authentications.get(authentication_uuid);
      if (!auth) return "noAssociatedAuthFound";
      const at = now.getTime();
      const answer = { authentication_uuid, created_at: format(at) };
      if (auth.validated) return { body: { ...answer, status: "already_validated" } };
      if (at >= auth.expiresAt) return { body: { ...answer, status: "expired_auth" } };
      const remaining = RETRIES - (auth.attempts - 1);
      if (remaining === 0) return { body: { ...answer, status: "rate_limited", remaining_retry: 0 } };
      const next = auth.lastSentAt + RETRY_INTERVAL;
      if (at < next) return { body: { ...answer, status: "denied", next_retry_at: format(next), remaining_retry: remaining } };
      send(auth, at, uuid);
      return { body: { ...answer, status: "approved", next_retry_at: format(at + RETRY_INTERVAL), remaining_retry: remaining - 1 } };
    },
  },
};

/**
 * Creates an in-process, stateful mock of the Ding OTP API: pass `mock.fetch` as the client's
 * `fetch`, or route requests to `mock.handle` (msw). `createAuthentication` answers `pending` with a
 * fresh `authentication_uuid` and code (`mock.codeFor(uuid)`); `check` answers `valid`, `invalid`,
 * `already_validated` or, after `expires_at` on the mock's clock, `expired_auth`; `retry` is
 * approved once a minute, three times; `getAuthenticationStatus` lists every message, delivery,
 * check and balance update. Requests are checked against the spec first, and bad ones get Ding's
 * documented 400. See the README, "Testing your app".
 *
 * @example
 * ```ts
 * const mock = createDingMock();
 * const ding = createDingClient({ apiKey: "test", customerUuid: "cf222c97-267d-4a29-9e1b-c85d9c31cc42", fetch: mock.fetch });
 * const auth = await ding.createAuthentication({ phone_number: "+12025550143" });
 * await ding.check({ authentication_uuid: auth.authentication_uuid!, check_code: mock.codeFor(auth.authentication_uuid!)! });
 * ```
 */
export function createDingMock(options?: DingMockOptions): DingMock {
  return createMock(mockSpec, behaviour, options);
}
