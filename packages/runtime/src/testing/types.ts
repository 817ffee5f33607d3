/**
 * The shapes of the in-process mock: what a vendor package generates from its spec (`MockSpec`),
 * what it writes by hand where the spec cannot say it (`MockBehaviour`, its state machine), and
 * what a user gets (`Mock`, `MockOptions`, `MockFault`).
 */
import type { OperationSpec, VendorSpec } from "../types.js";

/** One documented response of an operation, generated from the spec. */
export interface MockResponseSpec {
  /** The response headers the spec declares, each with the example value the mock sends. */
  readonly headers?: Readonly<Record<string, string | number>>;
  /** The response's named examples, in the spec's order; the first is the one answered by default. */
  readonly examples?: Readonly<Record<string, unknown>>;
}

/**
 * Which documented answer a request that breaks the spec gets, from `x-otpkit-invalid-input` on a
 * named error example. The first rule that fires wins; a request that breaks the spec where no rule
 * fires gets the operation's first 400 (else 422) example, as Prism answers it.
 */
export interface MockInputRule {
  /** The input field: a path, query or header parameter or a body field, by its name; `options.code_size` for one inside an object field. */
  readonly field: string;
  /**
   * JSON Schema keywords (`required`, `type`, `minimum`, `pattern`, `format`, …) whose violation gets
   * this answer, plus `empty` (the field is an empty string) and `*` (anything wrong with it).
   */
  readonly rules: readonly string[];
  readonly status: number;
  /** The named example answered. */
  readonly example: string;
}

/** What the mock knows about one operation, generated from the spec. */
export interface MockOperationSpec {
  /** The operation as the client knows it: method, path, input schema. */
  readonly operation: OperationSpec;
  /** Every documented response, by status. */
  readonly responses: { readonly [status: number]: MockResponseSpec };
  readonly inputRules?: readonly MockInputRule[];
}

/** What the mock knows about a vendor's API, generated from its spec (`src/generated/mock.ts`). */
export interface MockSpec<Id extends string = string> {
  readonly vendor: VendorSpec;
  readonly operations: { readonly [K in Id]: MockOperationSpec };
}

/**
 * What a handler answers: the name of one of the operation's documented examples (`"wrongPin"`),
 * or a status and body (the status defaults to the operation's success status).
 */
export type MockReply = string | { readonly status?: number; readonly body?: unknown };

/** A valid, authorised request, as a handler of the vendor's state machine sees it. */
export interface MockCall<State> {
  /** The mock's state, created by the behaviour's `createState` (and again on `reset()`). */
  readonly state: State;
  /** Path parameters, decoded. */
  readonly path: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /**
   * The input as the spec names it and the mock checked it, `{ path, query, header, body }`: query
   * values typed by their schemas (`limit` a number), a repeated array parameter as an array.
   */
  readonly input: Readonly<Record<string, unknown>>;
  /** The parsed JSON body (already checked against the spec). */
  readonly body: Readonly<Record<string, unknown>>;
  /** The credential the request carried (API key or bearer token). */
  readonly credential: string;
  /** The mock clock's time of this request. */
  readonly now: Date;
  /** A fresh lower-case UUID (v4 layout), from the mock's random source. */
  uuid(): string;
  /** A random string of `length` characters from `alphabet` (digits by default). */
  code(length: number, alphabet?: string): string;
}

/** Answers one operation from the state; it may change the state. */
export type MockHandler<State> = (call: MockCall<State>) => MockReply;

/**
 * A vendor's state machine: what the spec cannot say (an OTP becomes VERIFIED after the right PIN).
 * Written by hand beside the generated mock data (`packages/<vendor>/src/testing.ts`). An operation
 * without a handler answers its first documented success example, as Prism does.
 */
export interface MockBehaviour<State, Id extends string = string> {
  createState(): State;
  readonly handlers: { readonly [K in Id]?: MockHandler<State> };
  /** The code the mock "sent" for an id (an OTP id, an authentication id), if any. */
  codeFor(state: State, id: string): string | undefined;
}

/** A source of time: a `MockClock`, or anything with `now()`. */
export interface MockTimeSource {
  now(): Date | number;
}

/** A clock a test moves by hand, so expiry is testable without waiting. */
export interface MockClock extends MockTimeSource {
  now(): Date;
  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** Sets the clock to a time. */
  set(time: Date | number | string): void;
}

/**
 * What goes wrong instead of the normal answer:
 * - the name of a documented example of the operation: an error (`"insufficientCredit"`, `"rateLimit"`
 *   with its rate-limit headers) or a 2xx that says the operation did not happen (`"rateLimited"`);
 * - an HTTP status (`500`, `401`): its first documented example, or a problem+json body when the
 *   spec documents none for that status;
 * - `"hang"`: no answer until the request's signal aborts (the client's timeout or deadline), or
 *   `reset()` ends it as a dropped connection;
 * - `"reset"`: the connection is reset (a network error, after the request was sent).
 */
export type MockFaultAnswer<Name extends string = string> = Name | "hang" | "reset" | number;

/** A fault, always or for the next `times` requests; `headers` replace or add response headers. */
export type MockFault<Name extends string = string> =
  | MockFaultAnswer<Name>
  | { readonly answer: MockFaultAnswer<Name>; readonly times?: number; readonly headers?: Readonly<Record<string, string>> };

/** Options every vendor mock takes. */
export interface MockOptions<Faults extends object = { readonly [operationId: string]: MockFault | undefined }> {
  /** Where the mock's "now" comes from: `createMockClock()` or any `{ now() }`. Default: the system clock. */
  readonly clock?: MockTimeSource;
  /** Per operationId, what goes wrong instead of the normal answer. */
  readonly faults?: Faults;
  /** Random numbers in [0, 1) for ids and codes. Default `Math.random`; pass a seeded one for repeatable ids. */
  readonly random?: () => number;
}

/** One request the mock received. */
export interface MockRequest<Id extends string = string> {
  /** The operation it was routed to; undefined when no operation has its method and path. */
  readonly operationId: Id | undefined;
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  /** Path parameters, decoded. */
  readonly path: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** The body, parsed as JSON (the text when it is not JSON; undefined when there is none). */
  readonly body: unknown;
  /** The mock clock's time when it arrived. */
  readonly at: Date;
  /** The status answered; undefined for a hang or a reset, and while the answer is pending. */
  readonly status: number | undefined;
}

/** An in-process mock of a vendor API. */
export interface Mock<Id extends string = string> {
  /** A WHATWG `fetch` that answers from the mock: pass it as the client's `fetch` option. */
  readonly fetch: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
  /** Answers one request: for msw (`http.all(url, ({ request }) => mock.handle(request))`) or any router. */
  handle(request: Request): Promise<Response>;
  /** Every request received, oldest first. */
  readonly requests: readonly MockRequest<Id>[];
  /** The code the mock "sent" for an id (SMS.cx `otpId`, Ding `authentication_uuid`), if any. */
  codeFor(id: string): string | undefined;
  /** Forgets the state and the requests, re-arms the faults, and drops any hanging request's connection. */
  reset(): void;
}
