/** Builds the metadata a caller sees for a response: status, headers, request id, rate limit. */
import type { ResponseMetadata, VendorSpec } from "./types.js";

export const now = (): number => performance.now();

export interface Exchange {
  readonly operationId?: string;
  readonly method: string;
  /** Already stripped of secrets. */
  readonly url: string;
  readonly attempts: number;
  readonly start: number;
}

const number = (headers: Headers, name: string | undefined): number | undefined => {
  const value = name ? headers.get(name) : null;
  return value === null || value.trim() === "" || Number.isNaN(Number(value)) ? undefined : Number(value);
};

/** `headers` replaces the response's own, for an answer that carries them elsewhere (CallState.headers). */
export function responseMetadata(vendor: VendorSpec, exchange: Exchange, response: Response, headers = response.headers): ResponseMetadata {
  const names = vendor.headers ?? {};
  const limit = number(headers, names.limit);
  const remaining = number(headers, names.remaining);
  const reset = number(headers, names.reset);
  const hasRateLimit = limit !== undefined || remaining !== undefined || reset !== undefined;
  return {
    operationId: exchange.operationId,
    method: exchange.method,
    url: exchange.url,
    status: response.status,
    headers,
    requestId: headers.get(names.requestId ?? "x-request-id") ?? undefined,
    rateLimit: hasRateLimit ? { limit, remaining, reset: reset === undefined ? undefined : new Date(reset * 1000) } : undefined,
    attempts: exchange.attempts,
    duration: Math.round(now() - exchange.start),
  };
}

/** The fields every error about an answer carries, taken from its metadata. */
export const answered = (metadata: ResponseMetadata, vendor: string) => ({
  vendor,
  operationId: metadata.operationId,
  method: metadata.method,
  url: metadata.url,
  status: metadata.status,
  requestId: metadata.requestId,
  rateLimit: metadata.rateLimit,
  metadata,
});
