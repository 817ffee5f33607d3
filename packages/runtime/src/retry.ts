/**
 * What is safe to send again, and when. Pure decisions; the transport acts on them.
 *
 * The rule that matters most: an operation that is not idempotent (sending an OTP costs money) is
 * repeated only when the request provably never reached the server. A timeout, a reset after
 * sending or a 5xx may mean the server already acted, so those are never retried for it.
 */
import type { RetryOptions } from "./types.js";

export type RetryPolicy = Required<Omit<RetryOptions, "onRetry">> & Pick<RetryOptions, "onRetry">;

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelay: 500, maxDelay: 8000, maxRetryAfter: 20_000 };

/** The policy for one call: the call's setting wins; `false` turns retries off. */
export const retryPolicy = (client: RetryOptions | false | undefined, call: RetryOptions | false | undefined): RetryPolicy =>
  (call ?? client) === false ? { ...DEFAULT_RETRY, maxAttempts: 1 } : { ...DEFAULT_RETRY, ...client, ...call };

/** Statuses that mean "try again later" when the operation is idempotent. */
export const RETRY_STATUSES = [408, 429, 500, 502, 503, 504];

/** Connection errors that happen before a single byte of the request is written. */
const NOT_SENT = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|EADDRNOTAVAIL|UND_ERR_CONNECT_TIMEOUT)$/;

/** The error codes in an error's `cause` chain and inside AggregateErrors. */
export function errorCodes(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== "object" || depth > 8) return [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  return [typeof code === "string" ? [code] : [], ...(Array.isArray(errors) ? errors : []).concat(cause).map((e) => errorCodes(e, depth + 1))].flat();
}

/**
 * True unless the failure proves the request never left: every code found names a failure to
 * connect. A bare `TypeError: Failed to fetch` (browsers) proves nothing, so it counts as sent.
 */
export function mayHaveBeenSent(error: unknown): boolean {
  const codes = errorCodes(error);
  return !codes.length || !codes.every((code) => NOT_SENT.test(code));
}

/**
 * Milliseconds to wait before the next attempt. A server hint (`Retry-After` in seconds or as an
 * HTTP date, or else a reset header in Unix epoch seconds) wins, clamped to `maxRetryAfter`;
 * otherwise exponential backoff with jitter, capped at `maxDelay`.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, headers?: Headers, resetHeader?: string): number {
  const retryAfter = headers?.get("retry-after")?.trim();
  const reset = resetHeader && headers?.get(resetHeader)?.trim();
  const hint = retryAfter
    ? /^\d+(\.\d+)?$/.test(retryAfter)
      ? Number(retryAfter) * 1000
      : Date.parse(retryAfter) - Date.now()
    : reset && /^\d+$/.test(reset)
      ? Number(reset) * 1000 - Date.now()
      : NaN;
  if (!Number.isNaN(hint)) return Math.min(Math.max(hint, 0), policy.maxRetryAfter);
  const ceiling = Math.min(policy.maxDelay, policy.baseDelay * 2 ** (attempt - 1));
  // "Equal jitter": at least half the ceiling, so clients spread out without retrying at once.
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}
