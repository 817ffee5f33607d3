/**
 * @otpkit/runtime: the one fetch runtime behind every otpkit vendor client. Vendor packages pass
 * in what they generated from their spec (a `VendorSpec` and one `OperationSpec` per operation);
 * nothing here knows a vendor.
 *
 * @packageDocumentation
 */
export { createVendorClient, type VendorClient } from "./client.js";
export {
  AbortError,
  ApiError,
  ConfigurationError,
  ConnectionError,
  OtpkitError,
  OutcomeError,
  ResponseParseError,
  TimeoutError,
  ValidationError,
  type RequestContext,
  type ValidationIssue,
} from "./errors.js";
export { DEFAULT_DEADLINE, DEFAULT_TIMEOUT } from "./options.js";
export { DEFAULT_RETRY, RETRY_STATUSES } from "./retry.js";
export type {
  ApiPromise,
  AuthScheme,
  CallOptions,
  ClientOptions,
  Credentials,
  HttpMethod,
  OperationSpec,
  Pagination,
  PartialBy,
  RateLimit,
  RequestOptions,
  ResponseMetadata,
  RetryEvent,
  RetryOptions,
  VendorSpec,
} from "./types.js";
export { validate, type Schema, type SchemaType } from "./validate.js";
export { parseWebhook } from "./webhook.js";
export { paginate } from "./paginate.js";
export {
  verifyWebhookSignature,
  type WebhookBody,
  type WebhookPublicKey,
  type WebhookSignatureHeader,
  type WebhookSignatureSpec,
} from "./signature.js";
export type { Client, Middleware } from "openapi-fetch";
