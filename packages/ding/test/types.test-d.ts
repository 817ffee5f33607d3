import { describe, expectTypeOf, it } from "vitest";
import {
  createDingClient,
  isDingApiError,
  isDingOutcomeError,
  type CheckFailure,
  type CreateAuthenticationFailure,
  type DingErrorCode,
} from "../src/index.js";

const ding = createDingClient({ apiKey: "k", customerUuid: "cf2edc1c-7fc6-48fb-86da-b7508c6b7b71" });
const authentication_uuid = "349a6b10-c41d-4d74-8b13-62f7d5145053";

describe("@otpkit/ding types", () => {
  it("requires the API key and the customer UUID once, at creation", () => {
    // @ts-expect-error customerUuid is required
    createDingClient({ apiKey: "k" });
    // @ts-expect-error Ding has no bearer scheme
    createDingClient({ accessToken: "t", customerUuid: "u" });
  });

  it("lets calls leave customer_uuid out, and requires the rest", () => {
    void ding.createAuthentication({ phone_number: "+33612246400" });
    void ding.createAuthentication({ phone_number: "+33612246400", customer_uuid: "another" });
    // @ts-expect-error phone_number is required
    void ding.createAuthentication({});
    // @ts-expect-error check_code is required
    void ding.check({ authentication_uuid });
  });

  it("rejects a wrong enum value", () => {
    // @ts-expect-error TVOS is not a device_type on create
    void ding.createAuthentication({ phone_number: "+33612246400", device_type: "TVOS" });
    // @ts-expect-error "maybe" is not a feedback status
    void ding.feedback({ phone_number: "+33612246400", status: "maybe" });
  });

  it("narrows a successful result to the success status", () => {
    expectTypeOf(ding.createAuthentication({ phone_number: "+33612246400" })).resolves.toHaveProperty("status").toEqualTypeOf<"pending">();
    expectTypeOf(ding.check({ authentication_uuid, check_code: "123456" })).resolves.toHaveProperty("status").toEqualTypeOf<"valid">();
    expectTypeOf(ding.retry({ authentication_uuid })).resolves.toHaveProperty("status").toEqualTypeOf<"approved">();
  });

  it("types the outcomes a caller must handle", () => {
    expectTypeOf<CreateAuthenticationFailure>().toEqualTypeOf<"rate_limited" | "spam_detected" | undefined>();
    expectTypeOf<CheckFailure>().toEqualTypeOf<"unknown" | "invalid" | "without_attempt" | "rate_limited" | "already_validated" | "expired_auth" | undefined>();
    const error: unknown = undefined;
    if (isDingOutcomeError(error) && error.operationId === "check") expectTypeOf(error.outcome).toEqualTypeOf<CheckFailure>();
  });

  it("types error codes as the vendor's enum", () => {
    const error: unknown = undefined;
    if (isDingApiError(error)) {
      expectTypeOf(error.code).toEqualTypeOf<DingErrorCode | undefined>();
      expectTypeOf<"invalid_phone_number" | "spending_limit_exceeded">().toMatchTypeOf<DingErrorCode>();
      // @ts-expect-error not a Ding error code
      const wrong: DingErrorCode = "nope";
      void wrong;
    }
  });
});
