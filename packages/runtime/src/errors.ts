/**
 * Every error otpkit throws is an `OtpkitError`; the subclass says what went wrong. Messages are
 * written where the failure is detected, so they can say what happened and what to do next.
 * No error holds a credential: requests are never stored, URLs are stripped of secrets, and text
 * that came from the server is scrubbed of the client's credentials before it lands here.
 *
 * The classes only name things: each one is its base plus declared fields, so they cost almost
 * nothing in a browser bundle.
 */
import type { RateLimit, ResponseMetadata } from "./types.js";

/** Where a failed call was going. */
export interface RequestContext {
  /** The vendor, as named in messages (`SMS.cx`). */
  readonly vendor?: string;
  /** The operationId, when the call went through a named method. */
  readonly operationId?: string;
  readonly method?: string;
  /** The request URL, without credentials. */
  readonly url?: string;
}

/**
 * Marks otpkit's errors across copies of the runtime: an app may load both its ESM and its
 * CommonJS build (through different dependents), and `instanceof` must still hold across them.
 */
const BRAND = Symbol.for("@otpkit/runtime.error");

/** Base class of every error otpkit throws. */
export class OtpkitError extends Error implements RequestContext {
  declare readonly vendor?: string;
  declare readonly operationId?: string;
  declare readonly method?: string;
  declare readonly url?: string;

  /** `fields` become the error's properties (context, status, body…). */
  constructor(message: string, fields?: object, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    Object.assign(this, fields);
  }

  /**
   * `instanceof` by prototype, or else, for an otpkit error, by class name along its prototype
   * chain, so an error thrown by another copy of @otpkit/runtime (its other build) is still an
   * `ApiError` here.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (!(value as { [BRAND]?: boolean } | null)?.[BRAND]) return false;
    for (let proto = Object.getPrototypeOf(value); proto; proto = Object.getPrototypeOf(proto)) {
      if (Object.hasOwn(proto, "name") && proto.name === this.prototype.name) return true;
    }
    return false;
  }

  /** A plain object with the message, for logs (`JSON.stringify(error)`). */
  toJSON(): Record<string, unknown> {
    return { ...(this as object), name: this.name, message: this.message };
  }
}

/** The client was created with options that cannot work (no credential, a bad base URL…). */
export class ConfigurationError extends OtpkitError {
}

/** One problem found by validation: where, and what is wrong. */
export interface ValidationIssue {
  /** Dotted path of the offending value: `body.ttl`, `path.otpId`, `data[0].status`. */
  readonly path: string;
  /** What is wrong, with the value received: `must be ≤ 1800, got 5000`. */
  readonly message: string;
}

/**
 * Input that breaks the spec's constraints (nothing was sent), or a webhook payload that does not
 * match the spec. `issues` lists every problem, not just the first.
 */
export class ValidationError extends OtpkitError {
  declare readonly issues: readonly ValidationIssue[];
}

/** Fields every error about an HTTP answer carries. */
interface Answered<Op extends string> {
  readonly operationId: Op;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly requestId: string | undefined;
  readonly rateLimit: RateLimit | undefined;
  /** Status, headers, request id, rate limit and attempts of the failed exchange. */
  readonly metadata: ResponseMetadata;
}

/**
 * The server answered with a status other than 2xx (or with a redirect otpkit will not follow).
 * `body` is the parsed error body, typed per vendor; `code` and `type` are the vendor's error code
 * and type where it sends them.
 */
export class ApiError<Op extends string = string, Body = unknown, Code = unknown, Type = unknown>
  extends OtpkitError
  implements Answered<Op>
{
  declare readonly operationId: Op;
  declare readonly method: string;
  declare readonly url: string;
  declare readonly status: number;
  declare readonly requestId: string | undefined;
  declare readonly rateLimit: RateLimit | undefined;
  declare readonly metadata: ResponseMetadata;
  declare readonly body: Body | undefined;
  declare readonly code: Code | undefined;
  declare readonly type: Type | undefined;
}

/**
 * The server's answer could not be used: an HTML page from a proxy, JSON cut off in the middle,
 * or an empty body where the API documents JSON. `text` holds the start of what arrived.
 */
export class ResponseParseError<Op extends string = string> extends ApiError<Op, undefined, undefined, undefined> {
  declare readonly text: string;
}

/**
 * The server answered 2xx, but its body says the operation did not happen (Ding's
 * `status: "rate_limited"`). `outcome` is that value; `body` the whole answer.
 */
export class OutcomeError<Op extends string = string, Body = unknown, Outcome = unknown>
  extends OtpkitError
  implements Answered<Op>
{
  declare readonly operationId: Op;
  declare readonly method: string;
  declare readonly url: string;
  declare readonly status: number;
  declare readonly requestId: string | undefined;
  declare readonly rateLimit: RateLimit | undefined;
  declare readonly metadata: ResponseMetadata;
  declare readonly outcome: Outcome;
  declare readonly body: Body;
}

/** Fields of the errors raised before any answer arrived. */
interface Unanswered {
  /** Attempts made, the failed one included. */
  readonly attempts: number;
}

/**
 * No usable answer arrived: the connection failed. `requestSent` is `false` only when the request
 * provably never left (connection refused, DNS failure); otherwise it may have reached the server.
 */
export class ConnectionError extends OtpkitError implements Unanswered {
  declare readonly requestSent: boolean;
  declare readonly attempts: number;
}

/** A time limit ran out: `timeout` (one attempt) or `deadline` (the whole call), after `ms`. */
export class TimeoutError extends OtpkitError implements Unanswered {
  declare readonly limit: "timeout" | "deadline";
  declare readonly ms: number;
  declare readonly attempts: number;
}

/** The caller's `AbortSignal` fired. `reason` is the signal's reason. */
export class AbortError extends OtpkitError implements Unanswered {
  declare readonly reason: unknown;
  declare readonly attempts: number;
}

// Each class names itself on its prototype (a string literal, so minifiers keep it): messages,
// stack traces and logs say `ApiError: …`, and `instanceof` across copies compares these names.
for (const [type, name] of [
  [OtpkitError, "OtpkitError"],
  [ConfigurationError, "ConfigurationError"],
  [ValidationError, "ValidationError"],
  [ApiError, "ApiError"],
  [ResponseParseError, "ResponseParseError"],
  [OutcomeError, "OutcomeError"],
  [ConnectionError, "ConnectionError"],
  [TimeoutError, "TimeoutError"],
  [AbortError, "AbortError"],
] as const) {
  Object.defineProperty(type.prototype, "name", { value: name, writable: true, configurable: true });
}
Object.defineProperty(OtpkitError.prototype, BRAND, { value: true });
