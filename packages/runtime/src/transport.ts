/**
 * The `fetch` that openapi-fetch calls: it sits below the middleware chain, so middleware sees one
 * logical request while this layer makes the attempts. Per attempt it adds the credentials (only
 * for the API's own origin, so redirects never carry them elsewhere), enforces the per-attempt
 * timeout, the overall deadline and the caller's signal, reads the whole body (so a cut-off body
 * is a failure of that attempt), and decides with retry.ts whether to try again.
 */
import { AbortError, ApiError, ConnectionError, TimeoutError, type RequestContext } from "./errors.js";
import { now, responseMetadata } from "./metadata.js";
import { safeUrl, scrub } from "./redact.js";
import { mayHaveBeenSent, RETRY_STATUSES, retryDelay, type RetryPolicy } from "./retry.js";
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
  /** Set by the transport: attempts made so far. */
  attempts: number;
  /** Values to keep out of every message: the credentials, and secret inputs such as an OTP in a path. */
  readonly secrets: readonly string[];
  /** Set by the transport: the request URL, without secrets. */
  url?: string;
}

const MAX_REDIRECTS = 5;
const NULL_BODY = [101, 204, 205, 304];

/** Describes the call for messages: `SMS.cx NewOtp (POST https://api.sms.cx/otp)`. */
export const describe = (c: RequestContext): string =>
  `${c.vendor} ${c.operationId ? c.operationId + " " : ""}(${c.method} ${c.url})`;

/** Why an operation that failed after it may have reached the server was not sent again. */
export const notRepeated = (operation: OperationSpec | undefined, method: string): string =>
  operation?.idempotent || (!operation && method === "GET")
    ? ""
    : ` It was not retried because ${operation?.id ?? method} ${operation?.costsMoney ? "costs money" : "is not safe to repeat"}: check whether it took effect before sending it again.`;

/** The `fetch` for one call (named method) or for the raw client (state per request). */
export function createFetch(config: TransportConfig, state: CallState): Fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const { method } = request;
    const start = now();
    const body = method === "GET" || method === "HEAD" ? undefined : await request.arrayBuffer();
    const signal = state.signal ?? request.signal;
    const { operation, policy } = state;
    const idempotent = operation ? operation.idempotent : method === "GET" || method === "HEAD";
    const deadlineAt = state.deadline === undefined ? Infinity : start + state.deadline;
    const context: RequestContext = {
      vendor: config.vendor.name,
      operationId: operation?.id,
      method,
      url: (state.url = safeUrl(request.url, state.secrets)),
    };
    const who = describe(context);

    for (let attempt = 1; ; attempt++) {
      state.attempts = attempt;
      const limit = attemptLimit(signal, state.timeout, deadlineAt);
      let response: Response | undefined;
      let failure: unknown;
      let delay = 0;
      let again = false;
      const decide = (retryable: boolean, headers?: Headers) => {
        delay = retryable ? retryDelay(policy, attempt, headers, config.vendor.headers?.reset) : 0;
        again = retryable && attempt < policy.maxAttempts && now() + delay < deadlineAt;
      };
      try {
        response = await follow(config, request, body, limit.signal, context, state, start);
        decide(idempotent && RETRY_STATUSES.includes(response.status), response.headers);
        // The whole body is read inside the attempt, so its time limits cover it too.
        if (!again) return await buffered(response, state.secrets);
        // Free the connection before waiting; the failed answer is not needed.
        await response.body?.cancel().catch(() => undefined);
      } catch (error) {
        failure = error;
      } finally {
        limit.done();
      }

      if (failure !== undefined) {
        const stoppedBy = limit.reason();
        const plural = attempt > 1 ? "s" : "";
        if (stoppedBy === "abort") {
          throw new AbortError(`${who} was cancelled by the caller's AbortSignal during attempt ${attempt}; the request may have reached the server.`, context, signal?.reason, attempt);
        }
        if (stoppedBy === "deadline") {
          throw new TimeoutError(
            `${who} did not finish within its ${state.deadline} ms deadline (${attempt} attempt${plural}); the request may have reached the server.${notRepeated(operation, method) || " Allow a longer deadline or try again later."}`,
            context,
            "deadline",
            state.deadline!,
            attempt,
          );
        }
        if (failure instanceof ApiError) throw failure;
        // Once headers arrived, or an attempt timed out, the server may have acted on the request.
        const sent = stoppedBy === "timeout" || response !== undefined || mayHaveBeenSent(failure);
        decide(idempotent || !sent);
        if (!again) {
          const tries = attempt > 1 ? ` Gave up after ${attempt} attempts.` : "";
          const advice = notRepeated(operation, method) || " Try again later.";
          if (stoppedBy === "timeout") {
            throw new TimeoutError(`${who}: no answer within the ${state.timeout} ms timeout; the request may have reached the server.${tries}${advice}`, context, "timeout", state.timeout!, attempt);
          }
          const cause = scrubCause(failure, state.secrets);
          throw new ConnectionError(
            sent
              ? `${who}: the connection failed${codeOf(cause)} and the request may have reached the server.${tries}${advice}`
              : `${who}: could not connect${codeOf(cause)}; the request was not sent.${tries} Check the network and the baseUrl.`,
            context,
            sent,
            attempt,
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
        status: failure === undefined ? response?.status : undefined,
        error: failure instanceof Error ? failure : undefined,
      });
      await sleep(delay, signal).catch((reason: unknown) => {
        throw new AbortError(`${who} was cancelled by the caller's AbortSignal while waiting to retry (after ${attempt} attempt${attempt > 1 ? "s" : ""}).`, context, reason, attempt);
      });
    }
  };
}

/** Sends one attempt, following same-origin redirects; refuses to follow one to another origin. */
async function follow(
  config: TransportConfig,
  request: Request,
  body: ArrayBuffer | undefined,
  signal: AbortSignal,
  context: RequestContext,
  state: CallState,
  start: number,
): Promise<Response> {
  let url = new URL(request.url);
  let method = request.method;
  const headers = new Headers(request.headers);
  for (let hops = 0; ; hops++) {
    for (const [name, value] of config.credentials) {
      if (url.origin === config.origin) headers.set(name, value);
      else headers.delete(name);
    }
    const response = await config.fetch(url.href, { method, headers, body, signal, redirect: "manual" });
    const location = response.headers.get("location");
    const redirected = response.type === "opaqueredirect" || (response.status > 300 && response.status < 400 && location);
    if (!redirected) return response;
    await response.body?.cancel().catch(() => undefined);
    const next = location ? new URL(location, url) : undefined;
    if (!next || next.origin !== config.origin || hops >= MAX_REDIRECTS) {
      const where = next ? safeUrl(next.href, state.secrets) : "a location this platform hides";
      const metadata = responseMetadata(
        config.vendor,
        { operationId: context.operationId, method: context.method!, url: context.url!, attempts: state.attempts, start },
        response,
      );
      throw new ApiError(
        `${describe(context)} was redirected (HTTP ${response.status}) to ${where}. otpkit does not follow ${next && hops < MAX_REDIRECTS ? "a redirect to another origin, because it would carry your credentials and request there" : "this redirect"}. If you trust that address, set it as baseUrl.`,
        metadata,
        { vendor: config.vendor.name },
      );
    }
    // 303, and 301/302 after a POST, turn into a GET without a body (as browsers do).
    if (response.status === 303 || (response.status < 303 && method === "POST")) {
      method = "GET";
      body = undefined;
      headers.delete("content-type");
    }
    url = next;
  }
}

/** A copy of the response with its body already read, and secrets scrubbed from its headers. */
async function buffered(response: Response, secrets: readonly string[]): Promise<Response> {
  const body = NULL_BODY.includes(response.status) ? null : await response.arrayBuffer();
  const headers = new Headers(response.headers);
  if (secrets.length) headers.forEach((value, name) => headers.set(name, scrub(value, secrets)));
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

type StopReason = "abort" | "deadline" | "timeout";

/** One attempt's signal: fires on the caller's abort, the deadline or the attempt timeout. */
function attemptLimit(caller: AbortSignal | undefined, timeout: number | undefined, deadlineAt: number) {
  const controller = new AbortController();
  let reason: StopReason | undefined;
  const stop = (why: StopReason) => {
    reason ??= why;
    controller.abort();
  };
  const onAbort = () => stop("abort");
  if (caller?.aborted) stop("abort");
  caller?.addEventListener("abort", onAbort);
  const timers: ReturnType<typeof setTimeout>[] = [];
  if (deadlineAt !== Infinity) timers.push(setTimeout(() => stop("deadline"), Math.max(0, deadlineAt - now())));
  if (timeout !== undefined) timers.push(setTimeout(() => stop("timeout"), timeout));
  return {
    signal: controller.signal,
    reason: () => reason,
    done() {
      timers.forEach(clearTimeout);
      caller?.removeEventListener("abort", onAbort);
    },
  };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

const codeOf = (error: unknown): string => {
  const seen = new Set<string>();
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e && seen.size < 8; e = e.cause as typeof e) {
    if (typeof e.code === "string") return ` (${e.code})`;
    seen.add(String(e));
  }
  return error instanceof Error ? ` (${error.message})` : "";
};

/** The underlying error, unless a credential leaked into its message (a custom fetch might do that). */
function scrubCause(error: unknown, secrets: readonly string[]): unknown {
  if (!(error instanceof Error) || !secrets.some((s) => String(error.stack ?? error.message).includes(s))) return error;
  return new Error(scrub(error.message, secrets));
}
