/**
 * Creates a vendor client: checks the options once, builds the openapi-fetch client on top of the
 * transport, and runs named-method calls (validate → send → parse → typed result or typed error).
 */
import createOpenApiClient, { type Client, type Middleware } from "openapi-fetch";
import { ApiError, ConfigurationError, OutcomeError, ResponseParseError, ValidationError } from "./errors.js";
import { now, responseMetadata } from "./metadata.js";
import { scrub } from "./redact.js";
import { retryPolicy } from "./retry.js";
import { createFetch, describe, notRepeated, type CallState, type Fetch, type TransportConfig } from "./transport.js";
import type {
  ApiPromise,
  CallOptions,
  ClientOptions,
  Credentials,
  OperationSpec,
  ResponseMetadata,
  VendorSpec,
} from "./types.js";
import { validate } from "./validate.js";

/** What a vendor package builds its named methods on. */
export interface VendorClient<Paths extends {}> {
  /** The typed openapi-fetch client, with credentials, retries and timeouts applied. */
  readonly raw: Client<Paths>;
  /** Runs one operation with a flat input object (path, query, header and body fields together). */
  call(operation: OperationSpec, input?: object, options?: CallOptions): ApiPromise<unknown>;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

const HINTS: Record<number, string> = {
  400: "Fix the request: sent again unchanged, it fails the same way.",
  401: "Check the credentials: they are missing, wrong or expired.",
  403: "The credentials are valid but not allowed to do this.",
  404: "Check the identifiers in the request.",
  405: "The API does not accept this method here; is the baseUrl right?",
  422: "Fix the request: sent again unchanged, it fails the same way.",
  429: "Too many requests: wait before sending more.",
};

const positive = (name: string, value: unknown, integer = false): void => {
  if (value !== undefined && !(typeof value === "number" && value > 0 && value < Infinity && (!integer || Number.isInteger(value)))) {
    throw new ConfigurationError(`${name} must be a positive ${integer ? "whole " : ""}number of ${integer ? "attempts" : "milliseconds"}, got ${String(value)}.`);
  }
};

function checkTimings(where: string, options: CallOptions): void {
  positive(`${where}timeout`, options.timeout);
  positive(`${where}deadline`, options.deadline);
  if (options.retry) {
    positive(`${where}retry.maxAttempts`, options.retry.maxAttempts, true);
    for (const key of ["baseDelay", "maxDelay", "maxRetryAfter"] as const) {
      const value = options.retry[key];
      if (value !== undefined && !(typeof value === "number" && value >= 0 && value < Infinity)) {
        throw new ConfigurationError(`${where}retry.${key} must be a number of milliseconds ≥ 0, got ${String(value)}.`);
      }
    }
  }
}

/**
 * Creates the client a vendor package wraps. Every problem with the options is reported here, as a
 * `ConfigurationError`, rather than as a failed request later.
 */
export function createVendorClient<Paths extends {}>(
  vendor: VendorSpec,
  options: ClientOptions & Credentials & Readonly<Record<string, unknown>>,
): VendorClient<Paths> {
  const name = vendor.name;
  if (!options || typeof options !== "object") {
    throw new ConfigurationError(`${name}: pass an options object with your credentials.`);
  }

  // Credentials: exactly one of the schemes the spec allows.
  const schemes = vendor.auth.map((scheme) =>
    scheme.type === "apiKey"
      ? { option: "apiKey" as const, header: scheme.header, prefix: "" }
      : { option: "accessToken" as const, header: "authorization", prefix: "Bearer " },
  );
  const accepted = schemes.map((s) => `${s.option} (sent as ${s.header === "authorization" ? "Authorization: Bearer" : s.header})`).join(" or ");
  const given = schemes.filter((s) => options[s.option] !== undefined);
  if (given.length !== 1) {
    throw new ConfigurationError(
      given.length ? `${name}: pass only one credential, ${accepted}.` : `${name}: no credentials. Pass ${accepted}.`,
    );
  }
  const scheme = given[0]!;
  const secret: unknown = options[scheme.option];
  if (typeof secret !== "string" || secret === "") {
    throw new ConfigurationError(`${name}: ${scheme.option} must be a non-empty string, got ${secret === "" ? "an empty string" : typeof secret}.`);
  }
  if (secret.trim() !== secret || !/^[\x21-\x7e]+$/.test(secret)) {
    throw new ConfigurationError(
      `${name}: ${scheme.option} contains spaces, line breaks or non-ASCII characters (a copied newline?); it cannot be sent as a header. Check the value.`,
    );
  }

  // Values the client takes once (Ding's customer_uuid).
  const defaults: [string, string][] = [];
  for (const [option, field] of Object.entries(vendor.clientOptions ?? {})) {
    const value = options[option];
    if (typeof value !== "string" || value === "") {
      throw new ConfigurationError(`${name}: ${option} is required (it fills ${field} in every request); got ${value === "" ? "an empty string" : typeof value}.`);
    }
    defaults.push([field, value]);
  }

  // Base URL: absolute, https unless loopback or explicitly allowed.
  const base = options.baseUrl ?? vendor.baseUrl;
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new ConfigurationError(`${name}: baseUrl must be an absolute URL such as ${vendor.baseUrl}, got ${JSON.stringify(base)}.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigurationError(`${name}: baseUrl must use https:, got ${url.protocol}.`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigurationError(`${name}: baseUrl must not contain credentials, a query or a fragment; pass credentials as options.`);
  }
  if (url.protocol === "http:" && !LOOPBACK.test(url.hostname) && !options.allowInsecureHttp) {
    throw new ConfigurationError(
      `${name}: baseUrl uses http: for ${url.hostname}, which would send your credentials unencrypted. Use https:, or set allowInsecureHttp: true if you really mean it.`,
    );
  }
  checkTimings("", options);
  const globalFetch = globalThis.fetch as Fetch | undefined;
  if (options.fetch === undefined && typeof globalFetch !== "function") {
    throw new ConfigurationError(`${name}: this platform has no global fetch; pass one as the fetch option.`);
  }
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    throw new ConfigurationError(`${name}: the fetch option must be a function.`);
  }

  const secrets = [secret];
  const config: TransportConfig = {
    vendor,
    origin: url.origin,
    credentials: [[scheme.header, scheme.prefix + secret]],
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  };
  const clientDefaults = { timeout: options.timeout, deadline: options.deadline, headers: options.headers };

  // Browsers forbid setting User-Agent (and it would trigger CORS preflights); elsewhere, name ourselves.
  const inBrowser = typeof (globalThis as { document?: unknown }).document !== "undefined";
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (!inBrowser) headers["user-agent"] = `${vendor.package.replace("@", "").replace("/", "-")}/${vendor.version}`;

  const stateFor = (call: CallOptions, operation?: OperationSpec, callSecrets = secrets): CallState => ({
    operation,
    secrets: callSecrets,
    policy: retryPolicy(options.retry, call.retry),
    timeout: call.timeout ?? clientDefaults.timeout,
    deadline: call.deadline ?? clientDefaults.deadline,
    signal: call.signal,
    attempts: 0,
  });

  const raw = createOpenApiClient<Paths>({
    baseUrl: url.href.replace(/\/$/, ""),
    headers,
    // A fresh state per raw request, so each gets its own attempts and deadline.
    fetch: (input: Request) => createFetch(config, stateFor({}))(input),
  });
  if (options.middleware) raw.use(...(options.middleware as Middleware[]));

  function call(operation: OperationSpec, input: object = {}, callOptions: CallOptions = {}): ApiPromise<unknown> {
    const start = now();
    const result = (async () => {
      checkTimings("options.", callOptions);
      const values: Record<string, unknown> = { ...input };
      const params: Record<"path" | "query" | "header", Record<string, unknown>> = { path: {}, query: {}, header: {} };
      const take = (into: Record<string, unknown>, names: readonly string[] = []) => {
        for (const key of names) if (key in values) (into[key] = values[key]), delete values[key];
      };
      take(params.path, operation.pathParams);
      take(params.query, operation.queryParams);
      take(params.header, operation.headerParams);
      const body = operation.hasBody ? values : undefined;
      if (body) for (const [field, value] of defaults) body[field] ??= value;

      const context = { vendor: name, operationId: operation.id, method: operation.method, url: url.href.replace(/\/$/, "") + operation.path };
      const unused = body ? [] : Object.keys(values);
      if ((callOptions.validate ?? options.validate) !== false && operation.input) {
        const issues = validate(operation.input, { ...params, ...(body && { body }) });
        for (const key of unused) issues.push({ path: key, message: `is not an input of ${operation.id}` });
        if (issues.length) {
          throw new ValidationError(
            `${describe(context)}: invalid input, nothing was sent.\n${issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}\nFix these values, or pass validate: false to let the server judge them.`,
            issues,
            context,
          );
        }
      }

      // An OTP in a URL path is a secret too: keep it out of messages like the credentials.
      const callSecrets = secrets.concat((operation.secretParams ?? []).map((key) => String(params.path[key])));
      const state = stateFor(callOptions, operation, callSecrets);
      const { data, error, response } = (await raw.request(operation.method.toLowerCase() as never, operation.path as never, {
        params,
        body,
        parseAs: "text",
        headers: callOptions.headers,
        middleware: callOptions.middleware,
        fetch: createFetch(config, state),
      } as never)) as { data?: string; error?: unknown; response: Response };

      const metadata: ResponseMetadata = responseMetadata(
        vendor,
        { operationId: operation.id, method: operation.method, url: state.url ?? context.url, attempts: state.attempts, start },
        response,
      );
      const who = describe({ ...context, url: metadata.url });
      const type = response.headers.get("content-type") ?? "no content type";

      if (!response.ok) throw apiError(vendor, operation, metadata, error, type, callSecrets);

      if (!operation.returnsBody) return { data: undefined, metadata };
      const text = data ?? "";
      if (!text) {
        throw new ResponseParseError(
          `${who}: HTTP ${response.status} came with an empty body, but the API documents a JSON answer. The request may have taken effect; check before repeating it.`,
          metadata,
          "",
          name,
        );
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (cause) {
        throw new ResponseParseError(
          `${who}: HTTP ${response.status} body is not valid JSON (${(cause as Error).message}; ${type}); it may have been cut off or come from a proxy. The request may have taken effect; check before repeating it.`,
          metadata,
          scrub(text.slice(0, 500), callSecrets),
          name,
        );
      }
      const outcome = operation.outcome;
      if (outcome) {
        const value = (parsed as Record<string, unknown> | null)?.[outcome.field];
        if (!outcome.success.includes(value as string)) {
          throw new OutcomeError(
            `${who} did not succeed: ${outcome.field} is ${JSON.stringify(value) ?? "missing"}, not ${outcome.success.map((s) => JSON.stringify(s)).join(" or ")}. The answer says what happened instead: see error.outcome and the method's documentation before trying again.`,
            value,
            scrub(parsed, callSecrets),
            metadata,
            name,
          );
        }
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

const pointer = (body: unknown, path: string | undefined): unknown =>
  path?.split("/").slice(1).reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], body);

function apiError(
  vendor: VendorSpec,
  operation: OperationSpec,
  metadata: ResponseMetadata,
  error: unknown,
  type: string,
  secrets: readonly string[],
): ApiError {
  const who = describe({ vendor: vendor.name, ...metadata });
  const status = metadata.status;
  const hint =
    HINTS[status] ??
    (status >= 500
      ? notRepeated(operation, operation.method).trim() || `${vendor.name} had a problem${metadata.attempts > 1 ? ` on all ${metadata.attempts} attempts` : ""}; try again later.`
      : "See error.body for details.");
  const id = metadata.requestId ? ` (request id ${metadata.requestId})` : "";
  if (typeof error === "string" && error !== "") {
    return new ResponseParseError(
      `${who} failed with HTTP ${status}, and the body is ${type}, not JSON (probably a proxy or load balancer page): ${JSON.stringify(scrub(error.slice(0, 120), secrets))}. ${hint}${id}`,
      metadata,
      scrub(error.slice(0, 500), secrets),
      vendor.name,
    );
  }
  const body = error === "" ? undefined : scrub(error, secrets);
  const fields = vendor.errorFields ?? {};
  const code = pointer(body, fields.code);
  const errorType = pointer(body, fields.type);
  let message: unknown;
  for (const path of fields.message ?? []) if ((message = pointer(body, path)) !== undefined) break;
  const said = [errorType, code].filter((v) => v !== undefined).join(" ");
  const text = Array.isArray(message) ? message.join("; ") : message;
  return new ApiError(
    `${who} failed with HTTP ${status}${said ? ` ${said}` : ""}${text !== undefined ? `: ${String(text)}` : ""}. ${hint}${id}`,
    metadata,
    { vendor: vendor.name, body, code, type: errorType },
  );
}
