/**
 * The `fetch` that openapi-fetch calls. It sits below the middleware chain, so middleware sees one
 * logical request while this layer makes the attempts. Per attempt it adds the credentials (only
 * for the API's own origin; middleware never sees them), enforces the per-attempt timeout, the
 * overall deadline and the caller's signal, reads the whole body (a body cut off is a failure of
 * that attempt), refuses redirects, and asks retry.ts whether to try again.
 */
import { AbortError, ApiError, ConnectionError, TimeoutError, type RequestContext } from "./errors.js";
import { answered, now, responseMetadata } from "./metadata.js";
import { mentions, safeUrl, scrubText } from "./redact.js";
import { errorCodes, mayHaveBeenSent, RETRY_STATUSES, retryDelay, type RetryPolicy } from "./retry.js";
import type { OperationSpec, VendorSpec } from "./types.js";

export type Fetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/** What a client fixes once. */
export interface TransportConfig {
  readonly vendor: VendorSpec;
  /** Origin of the base URL: the only one that receives credentials. */
  readonly origin: string;
  /** Credential headers, added per attempt and never visible to middleware. */
  readonly credentials: readonly (readonly [string, string])[];
  readonly fetch: Fetch;
}

/** What one call sets, and what the transport reports back. */
export interface CallState {
  readonly operation?: OperationSpec;
  readonly policy: RetryPolicy;
  readonly timeout?: number;
  readonly deadline?: number;
  readonly signal?: AbortSignal;
  /** Values to keep out of every message: the credentials, and secret inputs such as an OTP in a path. */
  readonly secrets: readonly string[];
  /** Set by the transport: attempts made so far. */
  attempts: number;
  /** Set by the transport: the request URL, without secrets. */
  url?: string;
  /**
   * Set by the caller when no middleware can see the answer: the transport's answer then has no
   * body or headers of its own, and the call reads `text` and `headers` below instead. That saves
   * building a second body stream for openapi-fetch to read again, and copying the headers: a large
   * share of the per-call cost.
   */
  direct?: boolean;
  /** Set by the transport for a direct answer: its body as text, and its headers (scrubbed). */
  text?: string;
  headers?: Headers;
}

const MAY_HAVE_ARRIVED = " The request may have reached the server.";
const decoder = new TextDecoder();

/** Names the call in messages: `SMS.cx NewOtp (POST https://api.sms.cx/otp)`. */
export const describe = (c: RequestContext): string => `${c.vendor} ${c.operationId ? c.operationId + " " : ""}(${c.method} ${c.url})`;

/** Why a call that may have reached the server was not sent again (empty when it may be). */
export const notRepeated = (operation: OperationSpec | undefined, method: string): string =>
  (operation ? operation.idempotent : method === "GET")
    ? ""
    : ` Not retried: ${operation?.id ?? method} ${operation?.costsMoney ? "costs money" : "is not idempotent"}; check whether it took effect before repeating it.`;

/** The `fetch` for one call: its own attempts, deadline and retry policy. */
export function createFetch(config: TransportConfig, state: CallState): Fetch {
  return async (input) => {
    const request = input as Request;
    const { method, url } = request;
    const start = now();
    const { operation, policy, timeout, deadline, secrets } = state;
    const body = request.body ? await request.arrayBuffer() : undefined;
    // A named method's request never carries a signal of its own (the caller's comes in the state);
    // a raw openapi-fetch call may have one on its Request.
    const signal = state.signal ?? (operation ? undefined : request.signal);
    const idempotent = operation ? operation.idempotent : method === "GET";
    const deadlineAt = start + (deadline ?? Infinity);
    const context: RequestContext = { vendor: config.vendor.name, operationId: operation?.id, method, url: (state.url = safeUrl(url, secrets)) };
    // Message parts, built only when a message is.
    const who = () => describe(context);
    const advice = () => notRepeated(operation, method);
    // Credentials go only to the API's own origin (middleware may have pointed the request elsewhere).
    // Request URLs are normalized, so the origin is followed by "/" (never by "@", ":" or ".evil").
    const headers = new Headers(request.headers);
    if (url.startsWith(config.origin + "/")) for (const [name, value] of config.credentials) headers.set(name, value);

    for (let attempt = 1; ; attempt++) {
      state.attempts = attempt;
      const limit = attemptLimit(signal, timeout, deadlineAt);
      // Message parts, built only when a message is.
      const fields = () => ({ ...context, attempts: attempt });
      const tries = () => (attempt > 1 ? ` Gave up after ${attempt} attempts.` : "");
      let response: Response | undefined;
      let failure: unknown;
      let delay = 0;
      let again = false;
      const decide = (retryable: boolean, answer?: Headers) => {
        delay = retryable ? retryDelay(policy, attempt, answer, config.vendor.headers?.reset) : 0;
        again = retryable && attempt < policy.maxAttempts && now() + delay < deadlineAt;
      };
      try {
        response = await config.fetch(url, { method, headers, body, signal: limit.signal, redirect: "manual" });
        const { status } = response;
        if (response.type === "opaqueredirect" || (status > 299 && status < 400 && status !== 304)) {
          // Never followed: another origin would receive the credentials and the request, and a
          // billed POST would be sent a second time. An OTP API has no reason to redirect.
          const location = response.headers.get("location");
          throw new ApiError(
            `${who()}: HTTP ${status} redirect${location ? ` to ${safeUrl(new URL(location, url).href, secrets)}` : ""} not followed: credentials and requests go only to ${config.origin}. If the API moved and you trust the new address, make it the baseUrl.`,
            answered(responseMetadata(config.vendor, { ...context, url: context.url!, method, attempts: attempt, start }, response), config.vendor.name),
          );
        }
        decide(idempotent && RETRY_STATUSES.includes(status), response.headers);
        // The body is read inside the attempt, so its time limits cover it too.
        if (!again) {
          let values = "";
          response.headers.forEach((value) => (values += value + "\n"));
          const answer = mentions(values, secrets) ? new Headers() : response.headers;
          if (answer !== response.headers) response.headers.forEach((value, name) => answer.append(name, scrubText(value, secrets)));
          const bytes = [101, 204, 205, 304].includes(status) ? null : await response.arrayBuffer();
          if (!state.direct) return new Response(bytes, { status, statusText: response.statusText, headers: answer });
          state.text = bytes ? decoder.decode(bytes) : "";
          state.headers = answer;
          return new Response(null, { status });
        }
      } catch (error) {
        failure = error;
      } finally {
        limit.done();
      }
      // Free the connection before waiting; the failed answer is not needed.
      await response?.body?.cancel().catch(() => undefined);

      if (failure !== undefined) {
        const stop = limit.reason();
        if (stop === "abort") throw new AbortError(`${who()}: cancelled by the caller's signal.${MAY_HAVE_ARRIVED}`, { ...fields(), reason: signal?.reason });
        if (stop === "deadline") {
          throw new TimeoutError(`${who()}: the ${deadline} ms deadline passed after ${attempt} attempt(s).${MAY_HAVE_ARRIVED}${advice() || " Allow more time or try again later."}`, {
            ...fields(),
            limit: stop,
            ms: deadline,
          });
        }
        if (failure instanceof ApiError) throw failure;
        // Once headers arrived, or an attempt timed out, the server may have acted on the request.
        const sent = !!stop || !!response || mayHaveBeenSent(failure);
        decide(idempotent || !sent);
        if (!again) {
          if (stop) throw new TimeoutError(`${who()}: no answer within the ${timeout} ms timeout.${MAY_HAVE_ARRIVED}${tries()}${advice() || " Try again later."}`, { ...fields(), limit: stop, ms: timeout });
          const cause = scrubCause(failure, secrets);
          throw new ConnectionError(
            `${who()}: ${sent ? "the connection failed" : "could not connect"}${codeOf(cause)}.${sent ? MAY_HAVE_ARRIVED : " Nothing was sent."}${tries()}${
              sent ? advice() || " Try again later." : " Check the network and the baseUrl."
            }`,
            { ...fields(), requestSent: sent },
            cause,
          );
        }
      }

      policy.onRetry?.({
        operationId: operation?.id,
        method,
        url: context.url!,
        attempt,
        delay: Math.round(delay),
        status: failure ? undefined : response?.status,
        error: failure instanceof Error ? failure : undefined,
      });
      await sleep(delay, signal).catch((reason: unknown) => {
        throw new AbortError(`${who()}: cancelled by the caller's signal while waiting to retry, after ${attempt} attempt(s).`, { ...fields(), reason });
      });
    }
  };
}

type StopReason = "abort" | "deadline" | "timeout";

/** One attempt's signal: fires on the caller's abort, the deadline or the attempt timeout. */
function attemptLimit(caller: AbortSignal | undefined, timeout: number | undefined, deadlineAt: number) {
  // Without a time limit the caller's signal (if any) is enough: no controller, timers or listeners.
  if (!timeout && deadlineAt === Infinity) {
    return { signal: caller, reason: (): StopReason | undefined => (caller?.aborted ? "abort" : undefined), done() {} };
  }
  const controller = new AbortController();
  let reason: StopReason | undefined;
  const stop = (why: StopReason) => {
    reason ??= why;
    controller.abort();
  };
  const onAbort = () => stop("abort");
  if (caller?.aborted) onAbort();
  caller?.addEventListener("abort", onAbort);
  const timers = [deadlineAt < Infinity && setTimeout(stop, deadlineAt - now(), "deadline"), timeout && setTimeout(stop, timeout, "timeout")];
  return {
    signal: controller.signal,
    reason: () => reason,
    done() {
      for (const timer of timers) clearTimeout(timer || undefined);
      caller?.removeEventListener("abort", onAbort);
    },
  };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** ` (ECONNREFUSED)`: the first error code in the cause chain (AggregateErrors included), or else the message. */
const codeOf = (error: unknown): string => {
  const [code] = errorCodes(error);
  return code ? ` (${code})` : error instanceof Error ? ` (${error.message})` : "";
};

/** The underlying error, unless a credential leaked into its message (a custom fetch might do that). */
const scrubCause = (error: unknown, secrets: readonly string[]): unknown =>
  error instanceof Error && mentions(`${error.stack}${error.message}`, secrets) ? new Error(scrubText(error.message, secrets)) : error;
