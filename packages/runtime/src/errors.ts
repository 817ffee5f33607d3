/**
 * Every error otpkit throws is an `OtpkitError`; the subclasses say what went wrong. Messages are
 * built by the code that detects the failure, so they can say what happened and what to do next.
 * No error holds a credential: requests are never stored, URLs are stripped of secrets and any
 * text that came from the server is scrubbed of the client's credentials before it lands here.
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

/** Base class of every error otpkit throws. */
export class OtpkitError extends Error implements RequestContext {
  override readonly name: string = "OtpkitError";
  declare readonly vendor?: string;
  declare readonly operationId?: string;
  declare readonly method?: string;
  declare readonly url?: string;

  constructor(message: string, context?: RequestContext, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    // Only the context that is known becomes a property, so logs show no empty fields.
    for (const [key, value] of Object.entries(context ?? {})) if (value !== undefined) Object.assign(this, { [key]: value });
  }

  /** A plain object with the message, for logs (`JSON.stringify(error)`). */
  toJSON(): Record<string, unknown> {
    return { ...(this as object), name: this.name, message: this.message };
  }
}

/** The client was created with options that cannot work (no credential, a bad base URL…). */
export class ConfigurationError extends OtpkitError {
  override readonly name = "ConfigurationError";
}

/** One problem found by validation: where, and what is wrong. */
export interface ValidationIssue {
  /** Dotted path of the offending value: `body.ttl`, `path.otpId`, `data[0].status`. */
  readonly path: string;
  /** What is wrong, with the value received: `must be ≤ 1800, got 5000`. */
  readonly message: string;
}

/**
 * Input that breaks the spec's constraints (nothing was sent), or a webhook payload that does
 * not match the spec. `issues` lists every problem, not just the first.
 */
export class ValidationError extends OtpkitError {
  override readonly name = "ValidationError";
  constructor(
    message: string,
    readonly issues: readonly ValidationIssue[],
    context?: RequestContext,
  ) {
    super(message, context);
  }
}

/**
 * The server answered with a status other than 2xx. `body` is the parsed error body (typed per
 * vendor), `code` and `type` the vendor's error code and type where it sends them.
 */
export class ApiError<Op extends string = string, Body = unknown, Code = unknown, Type = unknown> extends OtpkitError {
  override readonly name: string = "ApiError";
  declare readonly operationId: Op;
  declare readonly method: string;
  declare readonly url: string;
  readonly status: number;
  readonly body: Body | undefined;
  readonly code: Code | undefined;
  readonly type: Type | undefined;
  readonly requestId: string | undefined;
  readonly rateLimit: RateLimit | undefined;
  readonly metadata: ResponseMetadata;

  constructor(
    message: string,
    metadata: ResponseMetadata,
    fields: { vendor?: string; body?: Body; code?: Code; type?: Type },
  ) {
    super(message, { vendor: fields.vendor, operationId: metadata.operationId, method: metadata.method, url: metadata.url });
    this.status = metadata.status;
    this.body = fields.body;
    this.code = fields.code;
    this.type = fields.type;
    this.requestId = metadata.requestId;
    this.rateLimit = metadata.rateLimit;
    this.metadata = metadata;
  }
}

/**
 * The server's answer could not be used: an HTML page from a proxy, JSON cut off in the middle,
 * or an empty body where the API documents JSON. `text` holds the start of what arrived.
 */
export class ResponseParseError<Op extends string = string> extends ApiError<Op, undefined, undefined, undefined> {
  override readonly name = "ResponseParseError";
  constructor(
    message: string,
    metadata: ResponseMetadata,
    readonly text: string,
    vendor?: string,
  ) {
    super(message, metadata, { vendor });
  }
}

/**
 * The server answered 2xx, but its body says the operation did not happen (Ding's
 * `status: "rate_limited"`). `outcome` is that status; `body` the whole answer.
 */
export class OutcomeError<Op extends string = string, Body = unknown, Outcome = unknown> extends OtpkitError {
  override readonly name = "OutcomeError";
  declare readonly operationId: Op;
  constructor(
    message: string,
    readonly outcome: Outcome,
    readonly body: Body,
    readonly metadata: ResponseMetadata,
    vendor?: string,
  ) {
    super(message, { vendor, operationId: metadata.operationId, method: metadata.method, url: metadata.url });
  }
}

/**
 * No usable response arrived: the connection failed. `requestSent` says whether the request may
 * have reached the server: `false` only when it provably did not (connection refused, DNS).
 */
export class ConnectionError extends OtpkitError {
  override readonly name = "ConnectionError";
  constructor(
    message: string,
    context: RequestContext,
    readonly requestSent: boolean,
    readonly attempts: number,
    cause?: unknown,
  ) {
    super(message, context, cause);
  }
}

/** A time limit ran out: `timeout` (one attempt) or `deadline` (the whole call). */
export class TimeoutError extends OtpkitError {
  override readonly name = "TimeoutError";
  constructor(
    message: string,
    context: RequestContext,
    readonly limit: "timeout" | "deadline",
    readonly ms: number,
    readonly attempts: number,
  ) {
    super(message, context);
  }
}

/** The caller's `AbortSignal` fired. `reason` is the signal's reason. */
export class AbortError extends OtpkitError {
  override readonly name = "AbortError";
  constructor(
    message: string,
    context: RequestContext,
    readonly reason: unknown,
    readonly attempts: number,
  ) {
    super(message, context);
  }
}
