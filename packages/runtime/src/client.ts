/**
 * Creates a vendor client: checks the options once, builds the openapi-fetch client on top of the
 * transport, and runs named-method calls: validate → send → parse → typed result or typed error.
 */
import openapiFetch, { type Client, type Middleware } from "openapi-fetch";
import { ApiError, ConfigurationError, OutcomeError, ResponseParseError, ValidationError } from "./errors.js";
import { answered, now, responseMetadata } from "./metadata.js";
import { mentions, scrub, scrubText } from "./redact.js";
import { retryPolicy } from "./retry.js";
import { createFetch, describe, notRepeated, type CallState, type TransportConfig } from "./transport.js";
import type { ApiPromise, CallOptions, ClientOptions, Credentials, OperationSpec, VendorSpec } from "./types.js";
import { validate } from "./validate.js";

// In our CommonJS build, Node-style interop hands over openapi-fetch's whole CommonJS exports object
// (it marks itself `__esModule`, with the function on `.default`); the ESM build gets the function.
const createOpenApiClient: typeof openapiFetch =
  typeof openapiFetch === "function" ? openapiFetch : (openapiFetch as unknown as { default: typeof openapiFetch }).default;

/** What a vendor package builds its named methods on. */
export interface VendorClient<Paths extends {}> {
  /** The typed openapi-fetch client, with credentials, retries and timeouts applied. */
  readonly raw: Client<Paths>;
  /** Runs one operation with a flat input object (path, query, header and body fields together). */
  call(operation: OperationSpec, input?: object, options?: CallOptions): ApiPromise<unknown>;
}

const FIX = "Resent unchanged, it fails again; error.code and error.body say why.";

/** What to do next, by status. */
const HINTS: Record<number, string> = {
  400: FIX,
  422: FIX,
  401: "Check the credentials.",
  403: "The credentials are not allowed to do this.",
  404: "Check the identifiers in the request.",
  429: "Too many requests: slow down.",
};

/** The call options of a call made without any. */
const NO_OPTIONS: CallOptions = {};

/** Numbers an options object may set, with their minimum: timeouts and delays in ms, attempts. */
const NUMBERS = ["timeout", "deadline", "retry.maxAttempts", "retry.baseDelay", "retry.maxDelay", "retry.maxRetryAfter"];

function checkNumbers(where: string, options: CallOptions): void {
  for (const key of NUMBERS) {
    const [a, b] = key.split(".");
    const value = b ? ((options.retry || {}) as Record<string, unknown>)[b] : (options as Record<string, unknown>)[a!];
    const min = b && b !== "maxAttempts" ? 0 : 1;
    if (value !== undefined && !(typeof value === "number" && value >= min && value < Infinity && (b !== "maxAttempts" || value % 1 === 0))) {
      throw new ConfigurationError(`${where}${key} must be ${b === "maxAttempts" ? "a whole number ≥ 1" : `a number of milliseconds ≥ ${min}`}, got ${String(value)}.`);
    }
  }
}

/**
 * Creates the client a vendor package wraps. Every problem with the options is reported here, as a
 * `ConfigurationError`, rather than as a failed request later.
 */
export function createVendorClient<Paths extends {}, Options extends ClientOptions & Credentials = ClientOptions & Credentials>(
  vendor: VendorSpec,
  options: Options,
): VendorClient<Paths> {
  const name = vendor.name;
  // Credentials and client-taken values are read by name (the vendor's spec decides which exist).
  const named = options as Readonly<Record<string, unknown>>;
  const bad = (problem: string) => new ConfigurationError(`${name}: ${problem}`);
  if (!options) throw bad("pass an options object with your credentials.");

  // Credentials: exactly one of the schemes the spec allows.
  const schemes = vendor.auth.map((s) => (s.type === "apiKey" ? ["apiKey", s.header, ""] : ["accessToken", "authorization", "Bearer "]));
  const given = schemes.filter(([option]) => named[option!] !== undefined);
  if (given.length !== 1) throw bad(`pass exactly one credential: ${schemes.map(([option, header]) => `${option} (sent in the ${header} header)`).join(" or ")}.`);
  const [option, header, prefix] = given[0] as [string, string, string];
  const secret = named[option];
  if (typeof secret !== "string" || !/^[\x21-\x7e]+$/.test(secret)) {
    throw bad(`${option} must be a non-empty string without spaces, line breaks or non-ASCII characters (a copied newline?).`);
  }

  // Values the client takes once (Ding's customer_uuid).
  const defaults = Object.entries(vendor.clientOptions ?? {}).map(([key, field]) => {
    const value = named[key];
    if (typeof value !== "string" || !value) throw bad(`${key} is required: it fills ${field} in every request.`);
    return [field, value] as const;
  });

  // Base URL: absolute, https unless loopback or explicitly allowed.
  let url: URL;
  try {
    url = new URL(options.baseUrl ?? vendor.baseUrl);
  } catch {
    throw bad(`baseUrl must be an absolute URL such as ${vendor.baseUrl}.`);
  }
  const { protocol, hostname } = url;
  if (!/^https?:$/.test(protocol) || url.username || url.password || url.search || url.hash) {
    throw bad("baseUrl must be an https: URL without credentials, query or fragment; pass credentials as options.");
  }
  if (protocol === "http:" && !/^(localhost|127(\.\d+){3}|\[::1\])$/.test(hostname) && !options.allowInsecureHttp) {
    throw bad(`baseUrl uses http: for ${hostname}, so credentials would travel unencrypted. Use https:, or set allowInsecureHttp: true.`);
  }
  checkNumbers(`${name}: `, options);
  const custom = options.fetch;
  if (typeof (custom ?? globalThis.fetch) !== "function") throw bad("the fetch option must be a function, and this platform has no global fetch.");

  const secrets = [secret];
  const baseUrl = url.href.replace(/\/$/, "");
  const config: TransportConfig = {
    vendor,
    origin: url.origin,
    credentials: [[header, prefix + secret]],
    // Looked up per call, so a fetch patched in later (tests, instrumentation) is used.
    fetch: custom ?? ((input, init) => fetch(input, init)),
  };

  // Browsers forbid setting User-Agent (and it would need a CORS preflight); elsewhere, name ourselves.
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (!("document" in globalThis)) headers["user-agent"] = `${vendor.package.slice(1).replace("/", "-")}/${vendor.version}`;

  const clientPolicy = retryPolicy(options.retry, undefined);
  const stateFor = (call: CallOptions, operation?: OperationSpec, callSecrets = secrets): CallState => ({
    operation,
    policy: call.retry === undefined ? clientPolicy : retryPolicy(options.retry, call.retry),
    timeout: call.timeout ?? options.timeout,
    deadline: call.deadline ?? options.deadline,
    signal: call.signal,
    secrets: callSecrets,
    attempts: 0,
  });

  const raw = createOpenApiClient<Paths>({
    baseUrl,
    headers,
    // A fresh state per raw request: its own attempts and deadline.
    fetch: (input: Request) => createFetch(config, stateFor({}))(input),
  });
  if (options.middleware) raw.use(...(options.middleware as Middleware[]));
  // Whether any middleware may see an answer: only then must it carry a readable body (see CallState.direct).
  let middlewareUsed = !!options.middleware?.length;
  const use = raw.use;
  raw.use = (...middleware) => {
    middlewareUsed ||= middleware.length > 0;
    use(...middleware);
  };

  function call(operation: OperationSpec, input?: object | null, callOptions?: CallOptions | null): ApiPromise<unknown> {
    const start = now();
    const { id, method, path } = operation;
    const result = (async () => {
      // Built only for a message: most calls never need it.
      const context = () => ({ vendor: name, operationId: id, method, url: baseUrl + path });
      // JavaScript callers (and `as any`) can pass anything: say so here rather than fail deep inside.
      const kind = Array.isArray(input) ? "an array" : typeof input;
      if (input != null && kind !== "object") {
        const message = `must be an object of named fields, got ${kind}`;
        throw new ValidationError(`${describe(context())}: the input ${message}; nothing was sent.`, { ...context(), issues: [{ path: "(root)", message }] });
      }
      if (callOptions != null && typeof callOptions !== "object") throw new ConfigurationError(`${describe(context())}: the call options (the last argument) must be an object, got ${typeof callOptions}.`);
      callOptions ??= NO_OPTIONS;
      if (callOptions !== NO_OPTIONS) checkNumbers("options.", callOptions);
      const values: Record<string, unknown> = { ...input };
      // A group the operation does not have stays undefined (openapi-fetch and validation skip it).
      const take = (names: readonly string[] | undefined) => {
        if (!names) return;
        const taken: Record<string, unknown> = {};
        for (const key of names) if (key in values) (taken[key] = values[key]), delete values[key];
        return taken;
      };
      const params = { path: take(operation.pathParams), query: take(operation.queryParams), header: take(operation.headerParams) };
      const body = operation.hasBody ? values : undefined;
      for (const [field, value] of body ? defaults : []) body![field] ??= value;

      if ((callOptions.validate ?? options.validate) !== false && operation.input) {
        const issues = validate(operation.input, body ? { ...params, body } : params);
        if (!body) for (const key in values) issues.push({ path: key, message: `is not an input of ${id}` });
        if (issues.length) {
          throw new ValidationError(
            `${describe(context())}: invalid input, nothing was sent.\n${issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}\nFix these values, or pass validate: false to let the server judge them.`,
            { ...context(), issues },
          );
        }
      }

      // An OTP in a URL path is a secret too: keep it out of messages like the credentials.
      const callSecrets = operation.secretParams ? secrets.concat(operation.secretParams.map((key) => String(params.path?.[key] ?? ""))) : secrets;
      const state = stateFor(callOptions, operation, callSecrets);
      state.direct = !middlewareUsed && !callOptions.middleware?.length;
      let { data, error, response } = (await raw.request(method.toLowerCase() as never, path as never, {
        params,
        body,
        // A direct answer has no body for openapi-fetch to read.
        parseAs: state.direct ? "stream" : "text",
        headers: callOptions.headers,
        middleware: callOptions.middleware,
        fetch: createFetch(config, state),
      } as never)) as { data?: string; error?: unknown; response: Response };
      // A direct answer carries no body (nor headers): the transport left them in the state.
      // Otherwise openapi-fetch read the body, from the transport or from a middleware's answer.
      if (state.direct) {
        data = error = state.text;
        try {
          if (!response.ok) error = JSON.parse(state.text!);
        } catch {
          // Not JSON: kept as text, as openapi-fetch does.
        }
      }

      // A middleware may answer without the transport (a cache): then there was no attempt and no URL of its own.
      const metadata = responseMetadata(
        vendor,
        { operationId: id, method, url: state.url ?? baseUrl + path, attempts: state.attempts, start },
        response,
        state.direct ? state.headers : undefined,
      );
      const status = metadata.status;
      // The parts of a message, built only when one is.
      const fields = () => answered(metadata, name);
      const who = () => `${describe(fields())}: HTTP ${status}`;
      const requestId = () => (metadata.requestId ? ` (request id ${metadata.requestId})` : "");
      const unusable = (text: string, why: string, next: string) =>
        new ResponseParseError(`${who()} ${why} (${metadata.headers.get("content-type")}): ${JSON.stringify(text.slice(0, 120))}. ${next}`, { ...fields(), text: text.slice(0, 500) });

      if (!response.ok) {
        const hint = HINTS[status] ?? (status < 500 ? "See error.body." : notRepeated(operation, method).trim() || `${name} had a problem; try again later.`);
        // openapi-fetch hands back the raw text when an error body is not JSON.
        if (typeof error === "string" && error) throw unusable(scrubText(error, callSecrets), "came with a body that is not JSON, probably from a proxy", hint + requestId());
        const body = error === "" ? undefined : scrub(error, callSecrets);
        const at = (pointer?: string) => pointer?.split("/").slice(1).reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], body);
        const { code: codeAt, type: typeAt, message: messageAt = [] } = vendor.errorFields ?? {};
        const code = at(codeAt);
        const type = at(typeAt);
        const message = messageAt.map(at).find((m) => m !== undefined);
        throw new ApiError(
          `${who()}${[type, code].filter((v) => v !== undefined).map((v) => " " + v).join("")}${message === undefined ? "" : `: ${String(Array.isArray(message) ? message.join("; ") : message).replace(/[.\s]+$/, "")}`}. ${hint}${requestId()}`,
          { ...fields(), body, code, type },
        );
      }

      if (!operation.returnsBody) return { data: undefined, metadata };
      const check = "The request may have taken effect; check before repeating it.";
      const text = data ?? "";
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (cause) {
        const shown = scrubText(text, callSecrets);
        throw unusable(shown, shown ? `body is not valid JSON (${scrubText((cause as Error).message, callSecrets)}): cut off, or not from the API` : `body is empty, but the API documents a JSON body${operation.successStatus ? ` (HTTP ${operation.successStatus})` : ""}`, check);
      }
      // Parsed first, then scrubbed string by string, so a short secret never breaks a JSON number.
      if (mentions(text, callSecrets)) parsed = scrub(parsed, callSecrets);
      const outcome = operation.outcome;
      const value = outcome && (parsed as Record<string, unknown> | null)?.[outcome.field];
      if (outcome && !outcome.success.includes(value as string)) {
        throw new OutcomeError(
          `${who()}, but ${outcome.field} is ${JSON.stringify(value) ?? "missing"}, not ${outcome.success.join(" or ")}: the operation did not happen (error.outcome says why).`,
          { ...fields(), outcome: value, body: parsed },
        );
      }
      return { data: parsed, metadata };
    })();
    const promise = result.then((r) => r.data) as ApiPromise<unknown>;
    // A caller who only uses withMetadata() must not trigger an unhandled rejection here.
    promise.catch(() => undefined);
    promise.withMetadata = () => result;
    return promise;
  }

  return { raw, call };
}
