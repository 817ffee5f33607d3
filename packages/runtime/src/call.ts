/**
 * A named call: the flat input becomes path, query and header parameters and a body; it is checked
 * against the spec (nothing is sent when it breaks it), sent on the transport (through openapi-fetch's
 * request pipeline when middleware may see it), and the answer becomes the result (answer.ts). The
 * promise also gives the response metadata.
 */
import { createFinalURL, createQuerySerializer, defaultBodySerializer, defaultPathSerializer, mergeHeaders, type Client, type HeadersOptions } from "openapi-fetch";
import { readAnswer } from "./answer.js";
import { ValidationError, type RequestContext, type ValidationIssue } from "./errors.js";
import { describe } from "./messages.js";
import { now, responseMetadata } from "./metadata.js";
import { callSettings, type ClientConfig } from "./options.js";
import { PlainRequest, transport, type Send, type Trace } from "./transport.js";
import type { ApiPromise, CallOptions, OperationSpec, ResponseMetadata } from "./types.js";
import { validate } from "./validate.js";

type Fields = Record<string, unknown>;

/** The input, split the way openapi-fetch takes it. A group the operation does not have stays undefined. */
interface RequestParts {
  readonly params: { readonly path?: Fields; readonly query?: Fields; readonly header?: Fields };
  readonly body?: Fields;
  /** Fields that are no input of an operation without a body. */
  readonly unknown: Fields;
}

/** What named calls run on: the client's config and openapi-fetch client, and whether it has middleware. */
export interface CallTarget {
  readonly config: ClientConfig;
  readonly raw: Client<{}>;
  hasMiddleware(): boolean;
}

/** Runs one operation; the promise resolves to its result and `.withMetadata()` to `{ data, metadata }`. */
export function callOperation(
  target: CallTarget,
  operation: OperationSpec,
  input: object | null | undefined,
  options: CallOptions | null | undefined,
): ApiPromise<unknown> {
  const result = runCall(target, operation, input, options, now());
  const promise = result.then((r) => r.data) as ApiPromise<unknown>;
  // A caller who only uses withMetadata() must not trigger an unhandled rejection here.
  promise.catch(() => undefined);
  promise.withMetadata = () => result;
  return promise;
}

async function runCall(
  target: CallTarget,
  operation: OperationSpec,
  input: object | null | undefined,
  options: CallOptions | null | undefined,
  start: number,
): Promise<{ data: unknown; metadata: ResponseMetadata }> {
  const { config } = target;
  const { id, method, path } = operation;
  const context: RequestContext = { vendor: config.vendor.name, operationId: id, method, url: config.baseUrl + path };
  checkInputKind(input, context);
  const settings = callSettings(config, options, context);
  const parts = splitInput(operation, input ?? {}, config.bodyDefaults);
  if (settings.validate && operation.input) checkInput(operation, parts, context);
  const secrets = secretsOf(operation, parts, config.secrets);
  const direct = !target.hasMiddleware() && !options?.middleware?.length;
  const trace: Trace = { attempts: 0 };
  const send = transport(config, { operation, settings, secrets }, trace);
  const { response, data, error } = direct
    ? await sendDirect(config, operation, parts, options, send, trace)
    : await sendThroughMiddleware(target.raw, operation, parts, options, send);
  // A middleware may answer without the transport (a cache): then there was no attempt and no URL of its own.
  const exchange = { operationId: id, method, url: trace.url ?? context.url!, attempts: trace.attempts, start };
  const metadata = responseMetadata(config.vendor, exchange, response, trace.answer?.headers);
  return { data: readAnswer({ vendor: config.vendor, operation, metadata, data, error, secrets }), metadata };
}

/** The answer as the call reads it: the response, and its body as openapi-fetch would hand it over. */
interface Sent {
  readonly response: Response;
  /** The body of a 2xx answer, as text. */
  readonly data?: string;
  /** The body of any other answer: parsed JSON, or the text when it is not JSON. */
  readonly error?: unknown;
}

/** openapi-fetch's default query serializer, the one its client uses when given none (as ours is). */
const querySerializer = createQuerySerializer();

/**
 * A call no middleware can see: its request is built with openapi-fetch's own serializers (so it is
 * what openapi-fetch would send) and goes straight to the transport, which hands back the answer's
 * body in the trace. openapi-fetch's request pipeline exists for middleware; going through it cost
 * a named GET 4–8 % of bare openapi-fetch's time on loopback (interleaved A/B runs, issue 18).
 */
async function sendDirect(config: ClientConfig, operation: OperationSpec, parts: RequestParts, options: CallOptions | null | undefined, send: Send, trace: Trace): Promise<Sent> {
  const { params } = parts;
  const url = createFinalURL(operation.path, { baseUrl: config.baseUrl, params, querySerializer, pathSerializer: defaultPathSerializer });
  // Merged as openapi-fetch merges them: a body's Content-Type is a default the other headers may override.
  const contentType = parts.body === undefined ? undefined : { "Content-Type": "application/json" };
  const headers = mergeHeaders(contentType, config.headers, options?.headers, params.header as HeadersOptions | undefined);
  const body = parts.body === undefined ? undefined : serializeBody(parts.body, headers);
  const request = new PlainRequest(url, { method: operation.method, headers, body });
  const response = await send(request);
  return { response, ...bodyOf(trace.answer!.text, response.ok) };
}

/** openapi-fetch's body serializer; its types leave out the headers it reads (a form Content-Type means form encoding). */
const serializeBody = defaultBodySerializer as (body: Fields, headers: Headers) => string;

/** A call middleware may see: sent through openapi-fetch's request pipeline, which runs the middleware. */
async function sendThroughMiddleware(raw: Client<{}>, operation: OperationSpec, parts: RequestParts, options: CallOptions | null | undefined, send: Send): Promise<Sent> {
  const { method, path } = operation;
  return (await raw.request(method.toLowerCase() as never, path as never, {
    params: parts.params,
    body: parts.body,
    parseAs: "text",
    headers: options?.headers,
    middleware: options?.middleware,
    fetch: send,
  } as never)) as Sent;
}

/** A body handed over directly, as openapi-fetch would have read it: text, and an error body parsed if it is JSON. */
function bodyOf(text: string, ok: boolean): { data?: string; error?: unknown } {
  if (ok) return { data: text };
  try {
    return { error: JSON.parse(text) };
  } catch {
    return { error: text };
  }
}

/** JavaScript callers (and `as any`) can pass anything: say so here rather than fail deep inside. */
function checkInputKind(input: unknown, context: RequestContext): void {
  const kind = Array.isArray(input) ? "an array" : typeof input;
  if (input == null || kind === "object") return;
  const message = `must be an object of named fields, got ${kind}`;
  throw new ValidationError(`${describe(context)}: the input ${message}; nothing was sent.`, { ...context, issues: [{ path: "(root)", message }] });
}

/** The flat input split into parameters by the operation's lists; every other field is body (client defaults filled in). */
function splitInput(operation: OperationSpec, input: object, bodyDefaults: ClientConfig["bodyDefaults"]): RequestParts {
  const { pathParams, queryParams, headerParams } = operation;
  const path: Fields | undefined = pathParams && {};
  const query: Fields | undefined = queryParams && {};
  const header: Fields | undefined = headerParams && {};
  const rest: Fields = {};
  for (const [key, value] of Object.entries(input)) {
    const group = pathParams?.includes(key) ? path : queryParams?.includes(key) ? query : headerParams?.includes(key) ? header : rest;
    group![key] = value;
  }
  const params = { path, query, header };
  if (!operation.hasBody) return { params, unknown: rest };
  for (const [field, value] of bodyDefaults) rest[field] ??= value;
  return { params, body: rest, unknown: {} };
}

/** Validates the parts against the operation's input schema; nothing is sent when they break it. */
function checkInput(operation: OperationSpec, parts: RequestParts, context: RequestContext): void {
  const issues: ValidationIssue[] = validate(operation.input!, parts.body ? { ...parts.params, body: parts.body } : parts.params);
  for (const key in parts.unknown) issues.push({ path: key, message: `is not an input of ${operation.id}` });
  if (!issues.length) return;
  const list = issues.map((issue) => `  ${issue.path}: ${issue.message}`).join("\n");
  throw new ValidationError(
    `${describe(context)}: invalid input, nothing was sent.\n${list}\nFix these values, or pass validate: false to let the server judge them.`,
    { ...context, issues },
  );
}

/** An OTP in a URL path is a secret too: kept out of messages like the credential. */
function secretsOf(operation: OperationSpec, parts: RequestParts, secrets: readonly string[]): readonly string[] {
  if (!operation.secretParams) return secrets;
  return secrets.concat(operation.secretParams.map((key) => String(parts.params.path?.[key] ?? "")));
}
