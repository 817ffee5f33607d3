/** A made-up vendor and its operations, shaped like what the generator emits for a real spec. */
import type { OperationSpec, VendorSpec } from "../../src/index.js";

export const SECRET = "sk_live_51HxSECRETxKEYx9000";

export const vendor: VendorSpec = {
  name: "Acme OTP",
  package: "@otpkit/acme",
  version: "1.2.3",
  baseUrl: "https://api.acme.example",
  auth: [{ type: "apiKey", header: "x-api-key" }, { type: "bearer" }],
  errorFields: { code: "/error/code", type: "/error/type", message: ["/error/message", "/errors"] },
  headers: { requestId: "x-request-id", limit: "x-rate-limit-limit", remaining: "x-rate-limit-remaining", reset: "x-rate-limit-reset" },
};

/** GET, idempotent: retried on 5xx, 429, timeouts and resets. */
export const getStatus: OperationSpec = {
  id: "GetStatus",
  method: "GET",
  path: "/status/{id}",
  idempotent: true,
  costsMoney: false,
  returnsBody: true,
  pathParams: ["id"],
  hasBody: false,
  input: {
    type: "object",
    properties: { path: { type: "object", required: ["id"], properties: { id: { type: "string", minLength: 3 } } } },
  },
};

/** POST that sends an SMS: retried only when the request provably never left. */
export const sendOtp: OperationSpec = {
  id: "SendOtp",
  method: "POST",
  path: "/otp",
  idempotent: false,
  costsMoney: true,
  returnsBody: true,
  hasBody: true,
  input: {
    type: "object",
    properties: {
      body: {
        type: "object",
        required: ["phone"],
        additionalProperties: false,
        properties: { phone: { type: "string", format: "phone_number" }, ttl: { type: "integer", minimum: 60, maximum: 1800 } },
      },
    },
  },
};

/** POST that is neither billed nor idempotent. */
export const verify: OperationSpec = {
  id: "Verify",
  method: "POST",
  path: "/verify/{code}",
  idempotent: false,
  costsMoney: false,
  returnsBody: false,
  pathParams: ["code"],
  secretParams: ["code"],
  hasBody: false,
};

/** A 200 whose body says whether it worked. */
export const check: OperationSpec = {
  id: "check",
  method: "POST",
  path: "/check",
  idempotent: false,
  costsMoney: false,
  returnsBody: true,
  hasBody: true,
  outcome: { field: "status", success: ["valid"] },
};

/** POST marked idempotent in the spec. */
export const cancel: OperationSpec = {
  id: "Cancel",
  method: "POST",
  path: "/cancel",
  idempotent: true,
  costsMoney: false,
  returnsBody: true,
  hasBody: true,
};

export interface AcmePaths {
  "/status/{id}": {
    get: {
      parameters: { path: { id: string } };
      responses: { 200: { content: { "application/json": { state: string } } } };
    };
  };
}
