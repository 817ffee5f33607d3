import { describe, expectTypeOf, it } from "vitest";
import {
  createSmscxClient,
  isSmscxApiError,
  type DataOtp,
  type NewOtpResponse,
  type SmscxError,
  type SmscxErrorCode,
  type VerifyPinErrorCode,
  type VerifyPinResult,
} from "../src/index.js";

const smscx = createSmscxClient({ apiKey: "k" });
const otpId = "a17fb13d-f4ac-4d93-9439-ef41ab8de390";

describe("@otpkit/smscx types", () => {
  it("requires one credential, and only one", () => {
    createSmscxClient({ accessToken: "t" });
    // @ts-expect-error a credential is required
    createSmscxClient({});
    // @ts-expect-error not both
    createSmscxClient({ apiKey: "k", accessToken: "t" });
  });

  it("makes required inputs required", () => {
    // @ts-expect-error phoneNumber is required
    void smscx.newOtp({ ttl: 180 });
    // @ts-expect-error otpId (path) is required
    void smscx.verifyPin({ pin: "1234" });
    // @ts-expect-error pin (body) is required
    void smscx.verifyPin({ otpId });
    // @ts-expect-error getOtpStatus needs its input
    void smscx.getOtpStatus();
  });

  it("rejects a wrong enum value and unknown fields", () => {
    // @ts-expect-error "digits" is not a pinType
    void smscx.newOtp({ phoneNumber: "+33612246400", pinType: "digits" });
    // @ts-expect-error ttl is a number
    void smscx.newOtp({ phoneNumber: "+33612246400", ttl: "180" });
    // @ts-expect-error template_fr is not part of API 1.0.2
    void smscx.newOtp({ phoneNumber: "+33612246400", template_fr: "{{pin}}" });
  });

  it("types results by operation", () => {
    expectTypeOf(smscx.newOtp({ phoneNumber: "+33612246400" })).resolves.toEqualTypeOf<NewOtpResponse>();
    expectTypeOf(smscx.getOtpStatus({ otpId })).resolves.toEqualTypeOf<DataOtp>();
    expectTypeOf<DataOtp["status"]>().toEqualTypeOf<"PENDING" | "VERIFIED" | "EXPIRED" | "CANCELLED" | "FAILED">();
    expectTypeOf<DataOtp["trackId"]>().toEqualTypeOf<string | null>();
    expectTypeOf<VerifyPinResult["status"]>().toEqualTypeOf<"VERIFIED">();
    expectTypeOf(smscx.cancelOtp({ otpId })).resolves.toHaveProperty("info");
  });

  it("narrows errors to the operation's codes and the vendor's types", () => {
    const error: unknown = undefined;
    if (isSmscxApiError(error)) {
      expectTypeOf(error.code).toEqualTypeOf<SmscxErrorCode | undefined>();
      expectTypeOf(error.type).toEqualTypeOf<
        | "access_denied" | "duplicate_id" | "duplicate_value" | "insufficient_credit" | "insufficient_scope" | "invalid_api_key"
        | "invalid_body" | "invalid_client" | "invalid_method" | "invalid_param" | "invalid_request" | "invalid_scope" | "no_coverage"
        | "not_found" | "rate_limit" | "server_error" | "unsupported_grant_type" | "invalid_pin" | "otp_expired" | "otp_failed"
        | "otp_cancelled" | "otp_verified" | undefined
      >();
      if (error.operationId === "VerifyPin") {
        expectTypeOf(error.code).toEqualTypeOf<VerifyPinErrorCode | undefined>();
        expectTypeOf<2029>().toMatchTypeOf<VerifyPinErrorCode>();
      }
    }
  });

  it("gives metadata without a second call", () => {
    expectTypeOf(smscx.newOtp({ phoneNumber: "+33612246400" }).withMetadata()).resolves.toHaveProperty("metadata");
  });
  it("exports the spec's Error model as SmscxError, never as a name that shadows the global Error", () => {
    expectTypeOf<SmscxError>().toHaveProperty("code");
    expectTypeOf<SmscxError>().toHaveProperty("message");
    // @ts-expect-error `Error` is not exported: importing it would shadow the global in the caller's file
    type Shadow = import("../src/index.js").Error;
  });
});
