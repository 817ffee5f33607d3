/**
 * Options become config. A client's options are checked once, when it is created, and a call's
 * when it starts; every `ConfigurationError` the runtime throws is raised here, so a problem with
 * the options is reported as such rather than as a failed request later.
 */
import { ConfigurationError, type RequestContext } from "./errors.js";
import { describe } from "./messages.js";
import { retryPolicy, type RetryPolicy } from "./retry.js";
import type { CallOptions, ClientOptions, Credentials, RequestOptions, VendorSpec } from "./types.js";

/** Milliseconds one attempt may take when the options set no `timeout` (README, "Why 10 s and 30 s"). */
export const DEFAULT_TIMEOUT = 10_000;
/** Milliseconds a whole call may take when the options set no `deadline` (README, "Why 10 s and 30 s"). */
export const DEFAULT_DEADLINE = 30_000;

export type Fetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/** What one call runs with: the client's settings, with the call's own winning. */
export interface CallSettings {
  readonly policy: RetryPolicy;
  readonly timeout: number;
  readonly deadline: number;
  readonly validate: boolean;
  readonly signal?: AbortSignal;
}

/** What a client fixes once, from its options. */
export interface ClientConfig {
  readonly vendor: VendorSpec;
  /** The base URL, without a trailing slash. */
  readonly baseUrl: string;
  /** Origin of the base URL: the only one that receives the credential. */
  readonly origin: string;
  /** The credential's header and value, added per attempt, below the middleware chain. */
  readonly credential: { readonly header: string; readonly value: string };
  /** Values kept out of every message: the credential. */
  readonly secrets: readonly string[];
  /** Body fields the client fills in when a call does not (Ding's `customer_uuid`). */
  readonly bodyDefaults: readonly (readonly [field: string, value: string])[];
  /** Headers of every request: `accept`, `user-agent` and the client's own. */
  readonly headers: Readonly<Record<string, string>>;
  readonly fetch: Fetch;
  /** The client's request options, which a call's override. */
  readonly options: RequestOptions;
  /** The settings of a call that passes no options of its own. */
  readonly settings: CallSettings;
}

/** Checks a client's options and turns them into its config. */
export function clientConfig(vendor: VendorSpec, options: ClientOptions & Credentials): ClientConfig {
  const fail = (problem: string) => new ConfigurationError(`${vendor.name}: ${problem}`);
  if (!options) throw fail("pass an options object with your credentials.");
  const named = options as Readonly<Record<string, unknown>>;

  // Exactly one of the credentials the spec allows.
  const schemes = vendor.auth.map((s) => (s.type === "apiKey" ? ["apiKey", s.header, ""] : ["accessToken", "authorization", "Bearer "]));
  const given = schemes.filter(([option]) => named[option!] !== undefined);
  if (given.length !== 1) throw fail(`pass exactly one credential: ${schemes.map(([option, header]) => `${option} (sent in the ${header} header)`).join(" or ")}.`);
  const [option, header, prefix] = given[0] as [string, string, string];
  const secret = named[option];
  if (typeof secret !== "string" || !/^[\x21-\x7e]+$/.test(secret)) {
    throw fail(`${option} must be a non-empty string without spaces, line breaks or non-ASCII characters (a copied newline?).`);
  }

  // The values the client takes once and fills into every request body (Ding's customer_uuid).
  const bodyDefaults = Object.entries(vendor.clientOptions ?? {}).map(([key, field]): [string, string] => {
    const value = named[key];
    if (typeof value !== "string" || !value) throw fail(`${key} is required: it fills ${field} in every request.`);
    return [field, value];
  });

  const url = readBaseUrl(vendor, options, fail);
  checkLimits(`${vendor.name}: `, options);
  return {
    vendor,
    baseUrl: url.href.replace(/\/$/, ""),
    origin: url.origin,
    credential: { header, value: prefix + secret },
    secrets: [secret],
    bodyDefaults,
    headers: requestHeaders(vendor, options.headers),
    fetch: readFetch(options.fetch, fail),
    options,
    settings: settingsFor(options, {}),
  };
}

/** Checks a call's options (a JavaScript caller can pass anything) and merges them with the client's. */
export function callSettings(config: ClientConfig, options: CallOptions | null | undefined, context: RequestContext): CallSettings {
  if (options == null) return config.settings;
  if (typeof options !== "object") {
    throw new ConfigurationError(`${describe(context)}: the call options (the last argument) must be an object, got ${typeof options}.`);
  }
  checkLimits("options.", options);
  return settingsFor(config.options, options);
}

function settingsFor(client: RequestOptions, call: CallOptions): CallSettings {
  return {
    policy: retryPolicy(client.retry, call.retry),
    timeout: call.timeout ?? client.timeout ?? DEFAULT_TIMEOUT,
    deadline: call.deadline ?? client.deadline ?? DEFAULT_DEADLINE,
    validate: (call.validate ?? client.validate) !== false,
    signal: call.signal,
  };
}

type Fail = (problem: string) => ConfigurationError;

/** An absolute URL, https unless the host is loopback or plain http is explicitly allowed. */
function readBaseUrl(vendor: VendorSpec, options: ClientOptions, fail: Fail): URL {
  let url: URL;
  try {
    url = new URL(options.baseUrl ?? vendor.baseUrl);
  } catch {
    throw fail(`baseUrl must be an absolute URL such as ${vendor.baseUrl}.`);
  }
  const { protocol, hostname } = url;
  if (!/^https?:$/.test(protocol) || url.username || url.password || url.search || url.hash) {
    throw fail("baseUrl must be an https: URL without credentials, query or fragment; pass credentials as options.");
  }
  if (protocol === "http:" && !/^(localhost|127(\.\d+){3}|\[::1\])$/.test(hostname) && !options.allowInsecureHttp) {
    throw fail(`baseUrl uses http: for ${hostname}, so credentials would travel unencrypted. Use https:, or set allowInsecureHttp: true.`);
  }
  return url;
}

/** The time limits and retry numbers, each checked by name: `where` prefixes the messages. */
function checkLimits(where: string, options: RequestOptions): void {
  checkMilliseconds(`${where}timeout`, options.timeout, 1);
  checkMilliseconds(`${where}deadline`, options.deadline, 1);
  const retry = options.retry;
  if (!retry || typeof retry !== "object") return;
  if (retry.maxAttempts !== undefined && !(Number.isInteger(retry.maxAttempts) && retry.maxAttempts >= 1)) {
    throw new ConfigurationError(`${where}retry.maxAttempts must be a whole number ≥ 1, got ${String(retry.maxAttempts)}.`);
  }
  checkMilliseconds(`${where}retry.baseDelay`, retry.baseDelay, 0);
  checkMilliseconds(`${where}retry.maxDelay`, retry.maxDelay, 0);
  checkMilliseconds(`${where}retry.maxRetryAfter`, retry.maxRetryAfter, 0);
}

function checkMilliseconds(name: string, value: unknown, min: number): void {
  if (value === undefined || (typeof value === "number" && value >= min && value < Infinity)) return;
  throw new ConfigurationError(`${name} must be a number of milliseconds ≥ ${min}, got ${String(value)}.`);
}

/** The fetch option, or else the global fetch, looked up per call so one patched in later is used. */
function readFetch(custom: Fetch | undefined, fail: Fail): Fetch {
  if (typeof (custom ?? globalThis.fetch) !== "function") throw fail("the fetch option must be a function, and this platform has no global fetch.");
  return custom ?? ((input, init) => fetch(input, init));
}

/** Browsers forbid setting User-Agent (and it would need a CORS preflight); elsewhere, name ourselves. */
function requestHeaders(vendor: VendorSpec, own: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const headers: Record<string, string> = { accept: "application/json", ...own };
  if (!("document" in globalThis)) headers["user-agent"] = `${vendor.package.slice(1).replace("/", "-")}/${vendor.version}`;
  return headers;
}
