/**
 * Whether to try again, and when: pure functions of the policy, the attempt, what happened and the
 * time left. The transport classifies each attempt into a `Happened` and acts on the decision.
 *
 * The rule that matters most: an operation that is not idempotent (sending an OTP costs money) is
 * repeated only when the request provably never reached the server. A timeout, a reset after
 * sending or a 5xx may mean the server already acted, so those are never retried for it.
 */
import type { RetryOptions } from "./types.js";

export type RetryPolicy = Required<Omit<RetryOptions, "onRetry">> & Pick<RetryOptions, "onRetry">;

/** A call's retry policy, and whether its request is safe to send again once it may have arrived. */
export interface CallPolicy {
  readonly retry: RetryPolicy;
  readonly idempotent: boolean;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelay: 500, maxDelay: 8000, maxRetryAfter: 20_000 };

/** The policy for one call: the call's setting wins; `false` turns retries off. */
export const retryPolicy = (client: RetryOptions | false | undefined, call: RetryOptions | false | undefined): RetryPolicy =>
  (call ?? client) === false ? { ...DEFAULT_RETRY, maxAttempts: 1 } : { ...DEFAULT_RETRY, ...client, ...call };

/** Statuses that mean "try again later" when the operation is idempotent. */
export const RETRY_STATUSES = [408, 429, 500, 502, 503, 504];

/** How one attempt ended, as far as repeating it is concerned. */
export type Happened =
  /** An HTTP answer; `wait` is the delay in ms the server asked for, if it asked for one. */
  | { readonly kind: "answer"; readonly status: number; readonly wait?: number }
  /** A 3xx, refused. */
  | { readonly kind: "redirect" }
  /** The connection failed before a byte of the request left. */
  | { readonly kind: "not-sent" }
  /** The connection failed after the request may have left (a reset, a body cut off, an unknown error). */
  | { readonly kind: "sent" }
  /** The attempt's own timeout, the call's deadline, or the caller's signal stopped it. */
  | { readonly kind: "timeout" | "deadline" | "abort" };

export type RetryDecision = { readonly retry: false } | { readonly retry: true; readonly delay: number };

const STOP: RetryDecision = { retry: false };

/**
 * Whether to make another attempt after attempt number `attempt`, and after what delay. `timeLeft`
 * is the time until the deadline in ms; `jitter` is a random draw in [0, 1), passed in so the
 * decision stays a pure function.
 */
export function retryDecision(policy: CallPolicy, attempt: number, happened: Happened, timeLeft: number, jitter: number): RetryDecision {
  if (attempt >= policy.retry.maxAttempts || !repeatable(happened, policy.idempotent)) return STOP;
  const delay = retryDelay(policy.retry, attempt, happened.kind === "answer" ? happened.wait : undefined, jitter);
  // A retry never sleeps past the deadline: the call ends with what it has instead.
  return delay < timeLeft ? { retry: true, delay } : STOP;
}

/** The README's retry table: what may be repeated, for an idempotent operation and for any other. */
function repeatable(happened: Happened, idempotent: boolean): boolean {
  switch (happened.kind) {
    case "answer":
      return idempotent && RETRY_STATUSES.includes(happened.status);
    case "not-sent":
      return true;
    case "sent":
    case "timeout":
      return idempotent;
    default:
      return false;
  }
}

/**
 * Milliseconds to wait before the next attempt: the server's wish clamped to `maxRetryAfter`, or
 * else exponential backoff capped at `maxDelay`, with "equal jitter" (at least half the ceiling, so
 * clients spread out without retrying at once).
 */
export function retryDelay(policy: RetryPolicy, attempt: number, wait: number | undefined, jitter: number): number {
  if (wait !== undefined) return Math.min(Math.max(wait, 0), policy.maxRetryAfter);
  const ceiling = Math.min(policy.maxDelay, policy.baseDelay * 2 ** (attempt - 1));
  return ceiling / 2 + (jitter * ceiling) / 2;
}

/**
 * The delay in ms a server asks for: `Retry-After` in seconds or as an HTTP date, or else the
 * vendor's reset header in Unix epoch seconds. Undefined when it asks for none, or in a form not
 * understood (a malformed `Retry-After` means backoff, not the reset header).
 */
export function serverWait(headers: Headers, resetHeader: string | undefined, nowMs: number): number | undefined {
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter) {
    const wait = /^\d+(\.\d+)?$/.test(retryAfter) ? Number(retryAfter) * 1000 : Date.parse(retryAfter) - nowMs;
    return Number.isNaN(wait) ? undefined : wait;
  }
  const reset = resetHeader ? headers.get(resetHeader)?.trim() : undefined;
  return reset && /^\d+$/.test(reset) ? Number(reset) * 1000 - nowMs : undefined;
}

/** Connection errors that happen before a single byte of the request is written. */
const NOT_SENT = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|EADDRNOTAVAIL|UND_ERR_CONNECT_TIMEOUT)$/;

/** The error codes in an error's `cause` chain and inside AggregateErrors. */
export function errorCodes(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== "object" || depth > 8) return [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  const nested = (Array.isArray(errors) ? errors : []).concat(cause);
  return [typeof code === "string" ? [code] : [], ...nested.map((e) => errorCodes(e, depth + 1))].flat();
}

/**
 * True unless the failure proves the request never left: every code found names a failure to
 * connect. A bare `TypeError: Failed to fetch` (browsers) proves nothing, so it counts as sent.
 */
export function mayHaveBeenSent(error: unknown): boolean {
  const codes = errorCodes(error);
  return !codes.length || !codes.every((code) => NOT_SENT.test(code));
}
