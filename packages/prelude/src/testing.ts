/**
 * `@otpkit/prelude/testing`: an in-process mock of Prelude's Verify API v2 for your own tests. The
 * statuses, error bodies and example values come from specs/prelude.yaml (generated into
 * ./generated/mock.ts); the engine is @otpkit/runtime/testing. Written here by hand is only what
 * the spec cannot say: the verification window of a target (opened by a create, resent by a repeat
 * inside it, closed by the right code, too many checks or the clock), the timeline and the list of
 * what the mock created, and which numbers lookup knows.
 *
 * @packageDocumentation
 */
import { createMock, type Mock, type MockBehaviour, type MockCall, type MockOptions } from "@otpkit/runtime/testing";
import { mockSpec, type PreludeMockFaults } from "./generated/mock.js";
import type { PreludeOperationId } from "./generated/spec.js";
import type { Channel, CheckLifecycleEvent, CheckVerificationRequest, CheckVerificationResponse, CreateVerificationRequest, LifecycleEvent, ListPhoneVerificationsInput, LookupResponse, PhoneVerification, PhoneVerificationSummary } from "./generated/types.js";

export { createMockClock, type MockClock, type MockFault, type MockRequest } from "@otpkit/runtime/testing";
export type { PreludeMockFaults };

/** Options of `createPreludeMock`: a clock, faults per operation, a random source, the checks a window takes. */
export interface PreludeMockOptions extends MockOptions<PreludeMockFaults> {
  /**
   * How many checks a verification window takes: after the last one it is closed, and a check for
   * its target gets `expired_or_not_found`. Prelude sets it per account (dashboard) and publishes
   * no default; the mock's is 5.
   */
  readonly maxChecks?: number;
}

/** The Prelude mock: `fetch`, `handle`, `requests`, `codeFor(verification id or target)`, `reset()`. */
export type PreludeMock = Mock<PreludeOperationId>;

interface Verification {
  readonly id: string;
  readonly request: CreateVerificationRequest;
  readonly code: string;
  readonly channels: readonly Channel[];
  readonly challenged: boolean;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly events: LifecycleEvent[];
  attempts: number;
  checks: number;
  convertedAt?: number;
  /** Closed without the right code: the last check was used, or a PSD2 transaction did not match. */
  closed: boolean;
}

/** Every verification the mock created, newest first. */
type State = Verification[];

// Prelude publishes none of these numbers; the spec's examples show them, and the mock reads them there.
const examples = mockSpec.operations;
const created = examples.createVerification.responses[200].examples;
const history = examples.getPhoneVerification.responses[200].examples;
const [creation, attempt, check] = history.converted.lifecycle.events;
/** How long a window stays open (10 minutes in the `converted` history example). */
const LIFETIME = Date.parse(history.converted.expires_at) - Date.parse(history.converted.created_at);
/** What a verification and each message cost, in that example. */
const COST = { create: creation.create.cost, attempt: attempt.attempt.cost };
/** The example's checked code has five digits, as Prelude's default message ("12345 is your verification code"). */
const CODE_LENGTH = check.check.value.length;
/** The built-in template whose codes are bound to a payment (the `psd2` history example's). */
const PSD2_TEMPLATE = history.psd2.template_id;
/** A page of the list, without `limit`: the `firstPage` example holds two, with more after them. */
const PAGE = examples.listPhoneVerifications.responses[200].examples.firstPage.verifications.length;
/** The numbers lookup knows: its examples' (a mobile line and a landline). */
const LINES: readonly LookupResponse[] = Object.values(examples.lookup.responses[200].examples) as unknown as LookupResponse[];
/** Checks a window takes when the test does not say (Prelude's is a per-account setting). */
const MAX_CHECKS = 5;
/** Ids as Prelude's (`vrf_01jc0t6fwwfgfsq1md24mhyztj`): a prefix and 26 characters of lower-case Crockford base32. */
const ID = { length: 26, alphabet: "0123456789abcdefghjkmnpqrstvwxyz" } as const;

/** Prelude writes RFC 3339 times in UTC; the mock to the second. */
const format = (ms: number) => new Date(ms).toISOString().slice(0, 19) + "Z";
/** Amounts are exact decimals (Prelude never rounds them): the mock adds them in units of their last digit. */
const DIGITS = COST.create.amount.split(".")[1]!.length;
const units = (amount: string) => Math.round(Number(amount) * 10 ** DIGITS);
const total = (v: Verification) => ({ amount: ((units(COST.create.amount) + v.attempts * units(COST.attempt.amount)) / 10 ** DIGITS).toFixed(DIGITS), currency: COST.create.currency });
/** The object without its undefined fields (the API leaves out what it does not know). */
const defined = <T extends object>(fields: T) => Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;

const isOpen = (v: Verification, now: number) => v.convertedAt === undefined && !v.closed && now < v.expiresAt;
const isPhone = (v: Verification) => v.request.target.type === "phone_number";
const openFor = (state: State, target: string, now: number) => state.find((v) => v.request.target.value === target && isOpen(v, now));

function channelsOf({ target, options = {} }: CreateVerificationRequest): readonly Channel[] {
  if (target.type === "email_address") return [];
  if (options.method === "voice") return ["voice"];
  if (options.force_challenge) return created.challenged.channels;
  return options.channels ?? (options.preferred_channel ? [options.preferred_channel] : created.success.channels);
}

/** A new window for the request's target; its code is the custom one, or `code_size` digits. */
function opened(request: CreateVerificationRequest, at: number, code: MockCall<State>["code"]): Verification {
  const { options = {} } = request;
  return {
    id: `vrf_${code(ID.length, ID.alphabet)}`,
    request,
    code: options.custom_code ?? code(options.code_size ?? CODE_LENGTH),
    channels: channelsOf(request),
    challenged: !!options.force_challenge,
    createdAt: at,
    expiresAt: at + LIFETIME,
    events: [{ type: "create", create: { created_at: format(at), cost: COST.create } }],
    attempts: 0,
    checks: 0,
    closed: false,
  };
}

/** Records one message: the first (`initial`) or a resend inside the window (`user_retry`), delivered at once. */
function send(v: Verification, at: number, id: string): void {
  const created_at = format(at);
  const trigger = v.attempts === 0 ? "initial" : "user_retry";
  const delivery_events = [{ received_at: created_at, status: "submitted" as const }, { received_at: created_at, status: "delivered" as const }];
  v.events.push({ type: "attempt", attempt: { id, created_at, ...defined({ channel: v.channels[0] }), trigger, status: "succeeded", delivery_status: "delivered", cost: COST.attempt, delivery_events } });
  v.attempts++;
}

function statusOf(v: Verification, now: number): PhoneVerification["status"] {
  if (v.convertedAt !== undefined) return "converted";
  if (!isOpen(v, now)) return "not_converted";
  return v.challenged ? "challenged" : "pending_check";
}

/** A check's verdict: a `prelude:psd2` code also needs the transaction it was issued for (its template variables). */
function verdict(v: Verification, { code, psd2 }: CheckVerificationRequest): CheckVerificationResponse["status"] {
  if (v.request.options?.template_id === PSD2_TEMPLATE) {
    if (!psd2) return "transaction_missing";
    const issued = v.request.options.variables ?? {};
    if (psd2.amount !== issued.amount || psd2.currency !== issued.currency || psd2.recipient !== issued.recipient) return "transaction_mismatch";
  }
  return code === v.code ? "success" : "failure";
}

const masked = ({ value: _value, ...check }: CheckLifecycleEvent["check"]) => check;

/** The timeline; the codes checked stay hidden while the window is open, as Prelude hides them. */
function timeline(v: Verification, now: number): PhoneVerification {
  const { metadata, options, signals = {} } = v.request;
  const events = isOpen(v, now) ? v.events.map((e) => (e.type === "check" ? { ...e, check: masked(e.check) } : e)) : v.events;
  return {
    id: v.id,
    created_at: format(v.createdAt),
    expires_at: format(v.expiresAt),
    phone_number: v.request.target.value,
    status: statusOf(v, now),
    ...defined({ correlation_id: metadata?.correlation_id, template_id: options?.template_id, device_platform: signals.device_platform, device_model: signals.device_model, app_version: signals.app_version, ip_address: signals.ip }),
    signals: { is_trusted_user: signals.is_trusted_user ?? false, ...defined({ device_id: signals.device_id, os_version: signals.os_version, user_agent: signals.user_agent, ja4_fingerprint: signals.ja4_fingerprint }) },
    lifecycle: { events, total_cost: total(v) },
  };
}

function summary(v: Verification, now: number): PhoneVerificationSummary {
  const converted = v.convertedAt !== undefined;
  return {
    id: v.id,
    created_at: format(v.createdAt),
    phone_number: v.request.target.value,
    status: statusOf(v, now),
    delivered: v.attempts > 0,
    attempts: v.attempts,
    channels: v.channels.slice(0, 1).map((channel) => ({ channel, converted })),
    cost: total(v),
    ...defined({ converted_at: converted ? format(v.convertedAt!) : undefined, device_platform: v.request.signals?.device_platform }),
  };
}

type Filters = Required<ListPhoneVerificationsInput>;
type Filter = (v: Verification, s: PhoneVerificationSummary, value: never) => boolean;
/** The list's filters, ANDed. The mock knows no number's region, so a `region` filter matches nothing. */
const FILTERS: { [K in keyof Filters]?: (v: Verification, s: PhoneVerificationSummary, value: Filters[K]) => boolean } = {
  channels: (_, s, value) => s.channels.some((c) => value.includes(c.channel)),
  device_platform: (_, s, value) => s.device_platform === value,
  from: (v, _, value) => v.createdAt >= Date.parse(value),
  to: (v, _, value) => v.createdAt < Date.parse(value),
  max_attempts: (v, _, value) => v.attempts <= value,
  min_attempts: (v, _, value) => v.attempts >= value,
  phone_number: (_, s, value) => s.phone_number.slice(1) === value.replace(/^\+/, ""),
  region: () => false,
  status: (_, s, value) => s.status === value,
  template_id: (v, _, value) => v.request.options?.template_id === value,
};

/** A cursor as in the spec's example: the base64 JSON of the last id on the page. */
const cursorAfter = (id: string) => btoa(JSON.stringify({ id }));
/** Where the page after `cursor` starts; a cursor the mock did not give (or after a verification it no longer has) ends the list. */
function startOf(all: readonly PhoneVerificationSummary[], cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const at = all.findIndex((s) => cursorAfter(s.id) === cursor);
  return at < 0 ? all.length : at + 1;
}

function behaviour(maxChecks: number): MockBehaviour<State, PreludeOperationId> {
  return {
    createState: () => [],
    // By verification id, or by target (Prelude checks by target): the newest verification's code.
    codeFor: (state, key) => state.find((v) => v.id === key || v.request.target.value === key)?.code,
    handlers: {
      createVerification({ state, body, now, uuid, code }) {
        const request = body as unknown as CreateVerificationRequest;
        const { target, options = {} } = request;
        if (options.code_size !== undefined && options.custom_code !== undefined) return "customSizeConflict";
        if ((LINES.find((line) => line.phone_number === target.value)?.line_type ?? "mobile") !== "mobile") return "invalidLineType";
        const at = now.getTime();
        const open = openFor(state, target.value, at);
        const v = open ?? opened(request, at, code);
        if (!open) state.unshift(v);
        send(v, at, `att_${code(ID.length, ID.alphabet)}`);
        const status = open ? "retry" : v.challenged ? "challenged" : "success";
        const method = target.type === "email_address" ? "email" : options.method === "voice" ? "voice" : "message";
        return { body: { id: v.id, method, status, ...(v.channels.length ? { channels: v.channels } : {}), ...defined({ metadata: v.request.metadata }), request_id: uuid() } };
      },

      checkVerification({ state, body, now, uuid }) {
        const request = body as unknown as CheckVerificationRequest;
        const at = now.getTime();
        const v = openFor(state, request.target.value, at);
        if (!v) return { body: { status: "expired_or_not_found", request_id: uuid() } };
        const status = verdict(v, request);
        v.checks++;
        if (status === "success") v.convertedAt = at;
        else if (v.checks >= maxChecks || status === "transaction_mismatch") v.closed = true;
        const detail = status === "transaction_missing" || status === "transaction_mismatch" ? status : undefined;
        v.events.push({ type: "check", check: { created_at: format(at), is_valid: status === "success", ...defined({ channel: v.channels[0], status_detail: detail, psd2_info: request.psd2 }), value: request.code } });
        return { body: { id: v.id, status, ...defined({ metadata: v.request.metadata }), request_id: uuid() } };
      },

      getPhoneVerification({ state, path, now }) {
        const v = state.find((candidate) => candidate.id === path.id && isPhone(candidate));
        // An id the mock did not create (or an email verification, which is not a phone one): the spec's 404, without a body.
        return v ? { body: timeline(v, now.getTime()) } : { status: 404 };
      },

      listPhoneVerifications({ state, input, now }) {
        const query = (input.query ?? {}) as ListPhoneVerificationsInput;
        const matches = (v: Verification, s: PhoneVerificationSummary) => Object.entries(query).every(([name, value]) => (FILTERS[name as keyof Filters] as Filter | undefined)?.(v, s, value as never) ?? true);
        const all = state.filter(isPhone).flatMap((v) => [summary(v, now.getTime())].filter((s) => matches(v, s)));
        const start = startOf(all, query.cursor);
        const page = all.slice(start, start + (query.limit ?? PAGE));
        return { body: { verifications: page, ...(start + page.length < all.length ? { next_cursor: cursorAfter(page.at(-1)!.id) } : {}) } };
      },

      sendFeedbacks: ({ uuid }) => ({ body: { status: "success", request_id: uuid() } }),

      lookup({ path, input }) {
        const known: LookupResponse = LINES.find((line) => line.phone_number === path.phone_number) ?? { phone_number: path.phone_number, line_type: "mobile", flags: [] };
        const { caller_name, ...line } = known;
        const cnam = ((input.query as { type?: string[] } | undefined)?.type ?? []).includes("cnam");
        return { body: cnam && caller_name !== undefined ? { ...line, caller_name } : line };
      },
    },
  };
}

/**
 * Creates an in-process, stateful mock of Prelude's Verify API v2: pass `mock.fetch` as the client's
 * `fetch`, or route requests to `mock.handle` (msw). `createVerification` opens a verification
 * window for the target and answers `success` (or `challenged` with `force_challenge`) with a fresh
 * id and code (`mock.codeFor(id)`, or `mock.codeFor(phoneNumber)`); the same request inside the
 * window answers `retry` and resends the same code. `checkVerification`, by target and code, answers
 * `success`, `failure` (until `maxChecks`), `expired_or_not_found` once the window is closed or ten
 * minutes have passed on the mock's clock, and the PSD2 statuses for `prelude:psd2` codes.
 * `getPhoneVerification` and `listPhoneVerifications` show what the mock created, page by page.
 * Requests are checked against the spec first, and bad ones get Prelude's documented 400. See the
 * README, "Testing your app".
 *
 * @example
 * ```ts
 * const mock = createPreludeMock();
 * const prelude = createPreludeClient({ accessToken: "test", fetch: mock.fetch });
 * const target = { type: "phone_number", value: "+30123456789" } as const;
 * await prelude.createVerification({ target });
 * await prelude.checkVerification({ target, code: mock.codeFor(target.value)! });
 * ```
 */
export function createPreludeMock(options: PreludeMockOptions = {}): PreludeMock {
  return createMock(mockSpec, behaviour(options.maxChecks ?? MAX_CHECKS), options);
}
