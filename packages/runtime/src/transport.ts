/**
 * The `fetch` that openapi-fetch calls. It sits below the middleware chain, so middleware sees one
 * logical request while this layer makes the attempts. Per attempt it adds the credential (only
 * for the API's own origin; middleware never sees it), runs under the attempt's time limit, refuses
 * redirects and reads the whole body (a body cut off is a failure of that attempt). Between
 * attempts it asks retry.ts whether to go on, and waits.
 */
import type { RequestContext } from "./errors.js";
import { attemptFailure, waitAborted, type Failed } from "./failures.js";
import { sleep, timeLimit } from "./limits.js";
import { now } from "./metadata.js";
import type { CallSettings, ClientConfig } from "./options.js";
import { safeUrl, scrubHeaders } from "./redact.js";
import { mayHaveBeenSent, retryDecision, serverWait, type CallPolicy, type Happened, type RetryDecision } from "./retry.js";
import type { OperationSpec, RetryEvent } from "./types.js";

/** What a call hands the transport. A raw openapi-fetch request has no operation. */
export interface CallPlan {
  readonly operation?: OperationSpec;
  readonly settings: CallSettings;
  /** Values kept out of every message: the credential, and secret inputs such as an OTP in a path. */
  readonly secrets: readonly string[];
}

/**
 * A direct call's request (call.ts builds it instead of a WHATWG Request): the method, URL, headers
 * and body the transport reads, and nothing else. Nothing but the transport sees it, and a WHATWG
 * Request costs as much as the time limits' signal does (it has a signal of its own): skipping it
 * keeps a named call within the overhead budget with time limits on (interleaved A/B runs, issue 18).
 */
export class PlainRequest {
  declare readonly method: string;
  /** Normalized, as a WHATWG Request's is. */
  declare readonly url: string;
  /** The transport's own: it adds the credential to them. */
  declare readonly headers: Headers;
  /** The serialized body (JSON, or form text when the caller's Content-Type asks for it), sent as it is. */
  declare readonly body: string | undefined;

  constructor(url: string, init: { readonly method: string; readonly headers: Headers; readonly body: string | undefined }) {
    this.url = new URL(url).href;
    this.method = init.method;
    this.headers = init.headers;
    this.body = init.body;
  }
}

/** What the transport reports back about a call. */
export interface Trace {
  /** Attempts made so far. */
  attempts: number;
  /** The request URL, without secrets. */
  url?: string;
  /** The final answer's body as text, and its headers (scrubbed), for a direct call (`Attempts.direct`). */
  answer?: { readonly text: string; readonly headers: Headers };
}

/** One call's request, ready to be sent as often as the retry policy allows, with its limits. */
export interface Attempts {
  readonly config: ClientConfig;
  readonly plan: CallPlan;
  readonly method: string;
  readonly url: string;
  /** The request's headers, the credential included (for the API's own origin only). */
  readonly headers: Headers;
  readonly body: string | ArrayBuffer | undefined;
  readonly signal: AbortSignal | undefined;
  readonly policy: CallPolicy;
  readonly start: number;
  readonly deadlineAt: number;
  /** The call as messages name it; its URL is without secrets. */
  readonly context: RequestContext & { readonly method: string; readonly url: string };
  /**
   * True for a `PlainRequest`, which call.ts sends when no middleware can see the exchange: the
   * final answer's body, read as text, and its headers are then handed over in the trace, and the
   * Response returned has its body read. Without this, a second body stream for openapi-fetch to
   * read again made a named GET's cost over bare openapi-fetch on loopback about 1.5 times as high
   * (interleaved A/B runs, issue 18).
   */
  readonly direct: boolean;
}

/** How one attempt ended when it gave no final answer: what happened, and what to do about it. */
export interface Tried extends Failed {
  readonly decision: RetryDecision;
}

/** What openapi-fetch calls as its `fetch`, and a direct call calls with its `PlainRequest`. */
export type Send = (request: Request | PlainRequest) => Promise<Response>;

/** The `fetch` for one call (or one raw request): its own attempts, deadline and retry policy. */
export const transport =
  (config: ClientConfig, plan: CallPlan, trace: Trace): Send =>
  async (request) => {
    const start = now();
    // A WHATWG Request's body is a stream, read once here so that every attempt can send it.
    const body = request instanceof PlainRequest ? request.body : request.body ? await request.arrayBuffer() : undefined;
    const attempts = prepare(config, plan, request, body, start);
    trace.url = attempts.context.url;
    for (let attempt = 1; ; attempt++) {
      trace.attempts = attempt;
      const tried = await tryOnce(attempts, attempt, trace);
      if (tried instanceof Response) return tried;
      // Free the connection; the failed answer is not needed.
      await tried.response?.body?.cancel().catch(() => undefined);
      if (!tried.decision.retry) throw attemptFailure(attempts, attempt, tried);
      attempts.policy.retry.onRetry?.(retryEvent(attempts, attempt, tried.decision.delay, tried));
      await sleep(tried.decision.delay, attempts.signal).catch((reason: unknown) => {
        throw waitAborted(attempts, attempt, reason);
      });
    }
  };

function prepare(config: ClientConfig, plan: CallPlan, request: Request | PlainRequest, body: string | ArrayBuffer | undefined, start: number): Attempts {
  const { method, url } = request;
  const { operation, settings } = plan;
  // Credentials go only to the API's own origin (middleware may have pointed the request elsewhere).
  // Request URLs are normalized, so the origin is followed by "/" (never by "@", ":" or ".evil").
  // A plain request's headers belong to the transport; a WHATWG Request's are copied, because
  // middleware holds that Request and must never see the credential.
  const headers = request instanceof PlainRequest ? request.headers : new Headers(request.headers);
  if (url.startsWith(config.origin + "/")) headers.set(config.credential.header, config.credential.value);
  return {
    config,
    plan,
    method,
    url,
    headers,
    body,
    // A named method's request never carries a signal of its own (the caller's comes in the
    // settings); a raw openapi-fetch request may have one.
    signal: settings.signal ?? (operation ? undefined : (request as Request).signal),
    policy: { retry: settings.policy, idempotent: operation ? operation.idempotent : method === "GET" },
    start,
    deadlineAt: start + settings.deadline,
    context: { vendor: config.vendor.name, operationId: operation?.id, method, url: safeUrl(url, plan.secrets) },
    direct: request instanceof PlainRequest,
  };
}

/** One attempt, under its time limit. The body is read inside it, so the limit covers the body too. */
async function tryOnce(attempts: Attempts, attempt: number, trace: Trace): Promise<Response | Tried> {
  const { config, method, headers, body } = attempts;
  const limit = timeLimit(attempts.signal, attempts.plan.settings.timeout, attempts.deadlineAt);
  let response: Response | undefined;
  try {
    response = await config.fetch(attempts.url, { method, headers, body, redirect: "manual", signal: limit.signal });
    const happened = answerOf(response, config.vendor.headers?.reset);
    const decision = decide(attempts, attempt, happened);
    if (decision.retry || happened.kind === "redirect") return { happened, decision, response };
    return await finalAnswer(response, attempts, trace);
  } catch (error) {
    // Once headers arrived, or an attempt timed out, the server may have acted on the request.
    const stop = limit.reason();
    const happened: Happened = { kind: stop ?? (response || mayHaveBeenSent(error) ? "sent" : "not-sent") };
    return { happened, decision: decide(attempts, attempt, happened), response, error };
  } finally {
    limit.done();
  }
}

const decide = (attempts: Attempts, attempt: number, happened: Happened): RetryDecision =>
  retryDecision(attempts.policy, attempt, happened, attempts.deadlineAt - now(), Math.random());

/** A 3xx is refused: never followed (see failures.ts); any other status is an answer, and a failed one may ask for a wait. */
function answerOf(response: Response, resetHeader: string | undefined): Happened {
  const { status } = response;
  if (response.type === "opaqueredirect" || (status > 299 && status < 400 && status !== 304)) return { kind: "redirect" };
  return { kind: "answer", status, wait: response.ok ? undefined : serverWait(response.headers, resetHeader, Date.now()) };
}

/** The answer with its body read to the end and its headers scrubbed of secrets: returned, or handed over in the trace. */
async function finalAnswer(response: Response, attempts: Attempts, trace: Trace): Promise<Response> {
  const { status, statusText } = response;
  const headers = scrubHeaders(response.headers, attempts.plan.secrets);
  const empty = [101, 204, 205, 304].includes(status);
  if (!attempts.direct) return new Response(empty ? null : await response.arrayBuffer(), { status, statusText, headers });
  // As text: the call parses JSON from it, and text() decodes in one step (an ArrayBuffer and a
  // TextDecoder made a named GET about 11 µs slower on loopback; interleaved A/B runs, issue 18).
  trace.answer = { text: empty ? "" : await response.text(), headers };
  return response;
}

function retryEvent(attempts: Attempts, attempt: number, delay: number, tried: Failed): RetryEvent {
  const { operationId, method, url } = attempts.context;
  return {
    operationId,
    method,
    url,
    attempt,
    delay: Math.round(delay),
    status: tried.happened.kind === "answer" ? tried.response?.status : undefined,
    error: tried.error instanceof Error ? tried.error : undefined,
  };
}
