/**
 * The data a vendor package hands the runtime: what it generated from its spec. The runtime
 * holds no vendor-specific knowledge; everything it needs to know about an API arrives here.
 */
import type { Middleware } from "openapi-fetch";
import type { Schema } from "./validate.js";

export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE";

/** One operation of a vendor API, generated from its spec. */
export interface OperationSpec {
  /** The vendor's operationId, exactly as the spec spells it. */
  readonly id: string;
  readonly method: HttpMethod;
  /** The path template, e.g. `/otp/{otpId}`. */
  readonly path: string;
  /** Safe to send again after it may have reached the server (GET, or marked in the spec). */
  readonly idempotent: boolean;
  /** Billed by the vendor (it sends an SMS): never repeated once it may have been received. */
  readonly costsMoney: boolean;
  /** The success status the spec documents (201 for a created OTP, 204 for no content). */
  readonly successStatus?: number;
  /** Whether a successful answer carries a JSON body (false for 204). */
  readonly returnsBody: boolean;
  /** Names of the input fields that go into the path, the query string and headers. */
  readonly pathParams?: readonly string[];
  readonly queryParams?: readonly string[];
  readonly headerParams?: readonly string[];
  /** Path parameters whose values are secret (an OTP in the URL): kept out of messages. */
  readonly secretParams?: readonly string[];
  /** Whether the operation takes a JSON request body (every other input field goes there). */
  readonly hasBody: boolean;
  /** The 2xx body's `field` must hold one of `success`, or the call did not do what it says. */
  readonly outcome?: { readonly field: string; readonly success: readonly string[] };
  /** JSON Schema of the input object (`path`, `query`, `header`, `body` members), for validation. */
  readonly input?: Schema;
  /** How to walk the pages of a cursor-paginated list (`x-otpkit-pagination`); see `paginate`. */
  readonly pagination?: Pagination;
}

/** Where a cursor-paginated operation keeps its cursor and its items (`x-otpkit-pagination`). */
export interface Pagination {
  /** The input field (a query parameter) that takes the cursor of the page to fetch. */
  readonly cursor: string;
  /** JSON pointer to the next page's cursor in the 2xx body; absent, null or empty on the last page. */
  readonly nextCursor: string;
  /** JSON pointer to the array of items in the 2xx body. */
  readonly items: string;
}

/** A credential scheme from the spec's `securitySchemes`. */
export type AuthScheme =
  /** An API key sent in a header (`X-API-KEY`, `x-api-key`, `X-Auth-Token`); client option `apiKey`. */
  | { readonly type: "apiKey"; readonly header: string }
  /** An OAuth2 access token sent as `Authorization: Bearer …`; client option `accessToken`. */
  | { readonly type: "bearer" };

/** What a vendor package tells the runtime about its API, generated from the spec. */
export interface VendorSpec {
  /** Human name used in messages: `SMS.cx`. */
  readonly name: string;
  /** npm package name and version, for the User-Agent: `@otpkit/smscx`, `0.1.0`. */
  readonly package: string;
  readonly version: string;
  /** The spec's server URL, the default `baseUrl`. */
  readonly baseUrl: string;
  /** The credential schemes the API accepts; any one of them is enough. */
  readonly auth: readonly AuthScheme[];
  /** JSON pointers into the vendor's error body. */
  readonly errorFields?: {
    readonly code?: string;
    readonly type?: string;
    readonly message?: readonly string[];
  };
  /** Response header names by meaning (`x-otpkit-header-role`), lower-case. */
  readonly headers?: {
    readonly requestId?: string;
    readonly limit?: string;
    readonly remaining?: string;
    /** Unix epoch seconds when the rate-limit window resets. */
    readonly reset?: string;
  };
  /** Body fields a client takes once, by client option name: `{ customerUuid: "customer_uuid" }`. */
  readonly clientOptions?: Readonly<Record<string, string>>;
}

/** Retry policy. Only failures that are safe to repeat are ever retried; see the README table. */
export interface RetryOptions {
  /** Attempts in total, the first one included (default 3; 1 turns retries off). */
  readonly maxAttempts?: number;
  /** First backoff delay in ms, doubled on every retry (default 500). */
  readonly baseDelay?: number;
  /** Cap on the computed backoff in ms (default 8 000). */
  readonly maxDelay?: number;
  /** Cap in ms on a delay the server asks for with `Retry-After` or a reset header (default 20 000). */
  readonly maxRetryAfter?: number;
  /** Called before each retry, for logging. Receives no credential. */
  readonly onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  readonly operationId: string | undefined;
  readonly method: string;
  /** The request URL, without credentials. */
  readonly url: string;
  /** The attempt that just failed (1 for the first). */
  readonly attempt: number;
  /** How long the runtime waits before the next attempt, in ms. */
  readonly delay: number;
  /** The HTTP status that caused the retry, when there was a response. */
  readonly status?: number;
  /** The error that caused the retry, when there was none. */
  readonly error?: Error;
}

/** Options shared by a client and a single call; a call's options win. */
export interface RequestOptions {
  /**
   * Milliseconds one attempt may take, headers and body included (default 10 000). An attempt of an
   * idempotent call that runs out is retried; one of any other call is not, and the call ends with
   * a `TimeoutError` whose outcome is unknown: the request may have reached the server.
   */
  readonly timeout?: number;
  /**
   * Milliseconds the whole call may take, retries and waits included (default 30 000). It also
   * ends an attempt in flight, so a `timeout` above it needs a longer `deadline` too.
   */
  readonly deadline?: number;
  /** Retry policy, or `false` for a single attempt. */
  readonly retry?: RetryOptions | false;
  /** Check inputs against the spec before sending (default true). */
  readonly validate?: boolean;
  /** Headers added to every request. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Options of one call. */
export interface CallOptions extends RequestOptions {
  /** Cancels the call, including a wait between retries. */
  readonly signal?: AbortSignal;
  /** openapi-fetch middleware for this call only. */
  readonly middleware?: readonly Middleware[];
}

/** Options every vendor client accepts, besides its credentials. */
export interface ClientOptions extends RequestOptions {
  /** Absolute URL of the API (default: the spec's server). Must be https unless loopback. */
  readonly baseUrl?: string;
  /** Allow `http:` to a non-loopback host (credentials then travel in clear text). */
  readonly allowInsecureHttp?: boolean;
  /** A WHATWG `fetch` to use instead of the global one. */
  readonly fetch?: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
  /** openapi-fetch middleware for every call. Middleware never sees the credentials. */
  readonly middleware?: readonly Middleware[];
}

/** Credentials, by the spec's security schemes. */
export interface Credentials {
  readonly apiKey?: string;
  readonly accessToken?: string;
}

/** Rate-limit state the vendor reported. */
export interface RateLimit {
  readonly limit?: number;
  readonly remaining?: number;
  /** When the window resets. */
  readonly reset?: Date;
}

/** What a caller can learn about the HTTP exchange behind a call. */
export interface ResponseMetadata {
  readonly operationId: string | undefined;
  readonly method: string;
  /** The final request URL, without credentials. */
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly requestId?: string;
  readonly rateLimit?: RateLimit;
  /** Attempts made, the first one included. */
  readonly attempts: number;
  /** Milliseconds from the call to its result, retries included. */
  readonly duration: number;
}

/** A call's result: a promise of the parsed body that can also give the response metadata. */
export interface ApiPromise<T> extends Promise<T> {
  /** The parsed body together with the response metadata (status, headers, request id, attempts…). */
  withMetadata(): Promise<{ data: T; metadata: ResponseMetadata }>;
}

/** `T` with the keys `K` made optional: the input type of a field the client fills in. */
export type PartialBy<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;
