/**
 * The errors of a call that ends without a usable answer: cancelled (`AbortError`), out of time
 * (`TimeoutError`), a failed connection (`ConnectionError`), or a redirect refused (an `ApiError`
 * that says where it pointed). Each message says whether the request may have reached the server,
 * and what to do next.
 */
import { AbortError, ApiError, ConnectionError, TimeoutError, type OtpkitError } from "./errors.js";
import { describe, gaveUp, MAY_HAVE_ARRIVED, notRepeated } from "./messages.js";
import { answered, responseMetadata } from "./metadata.js";
import { mentions, safeUrl, scrubHeaders, scrubText } from "./redact.js";
import { errorCodes, type Happened } from "./retry.js";
import type { Attempts } from "./transport.js";

/** What the last attempt ended with, when it was no answer to return. */
export interface Failed {
  readonly happened: Happened;
  readonly response?: Response;
  readonly error?: unknown;
}

/** The error that ends a call after attempt number `attempt`, which will not be repeated. */
export function attemptFailure(attempts: Attempts, attempt: number, failed: Failed): OtpkitError {
  const { context, plan } = attempts;
  const { settings } = plan;
  const who = describe(context);
  const fields = { ...context, attempts: attempt };
  const advice = notRepeated(plan.operation, context.method);
  switch (failed.happened.kind) {
    case "redirect":
      return redirectRefused(attempts, attempt, failed.response!);
    case "abort":
      return new AbortError(`${who}: cancelled by the caller's signal.${MAY_HAVE_ARRIVED}`, { ...fields, reason: attempts.signal?.reason });
    case "deadline":
      return new TimeoutError(
        `${who}: the ${settings.deadline} ms deadline passed after ${attempt} attempt(s).${MAY_HAVE_ARRIVED}${advice || " Allow more time or try again later."}`,
        { ...fields, limit: "deadline", ms: settings.deadline },
      );
    case "timeout":
      return new TimeoutError(`${who}: no answer within the ${settings.timeout} ms timeout.${MAY_HAVE_ARRIVED}${gaveUp(attempt)}${advice || " Try again later."}`, {
        ...fields,
        limit: "timeout",
        ms: settings.timeout,
      });
    default: {
      const sent = failed.happened.kind !== "not-sent";
      const cause = scrubCause(failed.error, plan.secrets);
      const next = sent ? `${MAY_HAVE_ARRIVED}${gaveUp(attempt)}${advice || " Try again later."}` : ` Nothing was sent.${gaveUp(attempt)} Check the network and the baseUrl.`;
      return new ConnectionError(`${who}: ${sent ? "the connection failed" : "could not connect"}${codeOf(cause)}.${next}`, { ...fields, requestSent: sent }, cause);
    }
  }
}

/** The caller's signal fired while the transport waited to retry. */
export function waitAborted(attempts: Attempts, attempt: number, reason: unknown): AbortError {
  const message = `${describe(attempts.context)}: cancelled by the caller's signal while waiting to retry, after ${attempt} attempt(s).`;
  return new AbortError(message, { ...attempts.context, attempts: attempt, reason });
}

/**
 * A redirect is never followed: another origin would receive the credential and the request (a
 * phone number), and a billed POST would be sent a second time. An OTP API has no reason to redirect.
 */
function redirectRefused(attempts: Attempts, attempt: number, response: Response): ApiError {
  const { config, context } = attempts;
  const { secrets } = attempts.plan;
  const exchange = { ...context, attempts: attempt, start: attempts.start };
  const metadata = responseMetadata(config.vendor, exchange, response, scrubHeaders(response.headers, secrets));
  const location = response.headers.get("location");
  return new ApiError(
    `${describe(context)}: HTTP ${response.status} redirect${location ? ` to ${safeUrl(absolute(location, attempts.url), secrets)}` : ""} not followed: credentials and requests go only to ${config.origin}. If the API moved and you trust the new address, make it the baseUrl.`,
    answered(metadata, config.vendor.name),
  );
}

/** A Location header resolved against the request URL; as sent when it is not a URL at all. */
function absolute(location: string, base: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

/** ` (ECONNREFUSED)`: the first error code in the cause chain (AggregateErrors included), or else the message. */
function codeOf(error: unknown): string {
  const [code] = errorCodes(error);
  return code ? ` (${code})` : error instanceof Error ? ` (${error.message})` : "";
}

/** The underlying error, unless a credential leaked into its message (a custom fetch might do that). */
const scrubCause = (error: unknown, secrets: readonly string[]): unknown =>
  error instanceof Error && mentions(`${error.stack}${error.message}`, secrets) ? new Error(scrubText(error.message, secrets)) : error;
