import { describe, expectTypeOf, it } from "vitest";
import {
  createPreludeClient,
  isPreludeApiError,
  isPreludeOutcomeError,
  parseEventWebhook,
  verifyPreludeWebhookSignature,
  type CheckVerificationFailure,
  type CreateVerificationFailure,
  type ListPhoneVerificationsItem,
  type PreludeErrorCode,
  type VerificationStatus,
} from "../src/index.js";

const prelude = createPreludeClient({ accessToken: "k" });
const target = { type: "phone_number", value: "+30123456789" } as const;

describe("@otpkit/prelude types", () => {
  it("takes the v2 API key as a bearer token, and nothing else", () => {
    // @ts-expect-error Prelude v2 has no X-API-Key scheme
    createPreludeClient({ apiKey: "k" });
    // @ts-expect-error a credential is required
    createPreludeClient({});
  });

  it("requires a target, and knows its two kinds", () => {
    void prelude.createVerification({ target });
    void prelude.createVerification({ target: { type: "email_address", value: "jane@example.com" }, options: { channels: ["whatsapp", "sms"] } });
    // @ts-expect-error target is required
    void prelude.createVerification({});
    // @ts-expect-error "fax" is not a target type
    void prelude.createVerification({ target: { type: "fax", value: "+30123456789" } });
    // @ts-expect-error "voice" is a method, not a channel to ask for
    void prelude.createVerification({ target, options: { preferred_channel: "voice" } });
    // @ts-expect-error the code is required
    void prelude.checkVerification({ target });
  });

  it("resolves only to the successes, which the caller can tell apart", () => {
    expectTypeOf(prelude.createVerification({ target })).resolves.toHaveProperty("status").toEqualTypeOf<"success" | "retry" | "challenged">();
    expectTypeOf(prelude.checkVerification({ target, code: "12345" })).resolves.toHaveProperty("status").toEqualTypeOf<"success">();
  });

  it("types the outcomes a caller must handle, PSD2 included", () => {
    expectTypeOf<CreateVerificationFailure>().toEqualTypeOf<"blocked" | "shadow_blocked" | undefined>();
    expectTypeOf<CheckVerificationFailure>().toEqualTypeOf<"failure" | "expired_or_not_found" | "transaction_missing" | "transaction_mismatch" | undefined>();
    const error: unknown = undefined;
    if (isPreludeOutcomeError(error) && error.operationId === "createVerification") {
      expectTypeOf(error.outcome).toEqualTypeOf<CreateVerificationFailure>();
      expectTypeOf(error.body.risk_factors).toEqualTypeOf<
        | (
            | "automation_signature"
            | "carrier_not_permitted"
            | "client_fingerprint_mismatch"
            | "custom_policy"
            | "device_emulator"
            | "device_not_permitted"
            | "device_reuse"
            | "expired_signals"
            | "fraud_database"
            | "invalid_signature"
            | "ip_concentration"
            | "ip_reputation"
            | "location_mismatch"
            | "missing_signals"
            | "number_range_abuse"
            | "poor_conversion_history"
            | "proxy_network"
            | "repeated_attempts"
            | "temporary_phone_number"
          )[]
        | undefined
      >();
    }
  });

  it("types error codes as the documented ones, open to others", () => {
    const error: unknown = undefined;
    if (isPreludeApiError(error)) {
      expectTypeOf<"invalid_phone_number" | "insufficient_balance" | "internal">().toMatchTypeOf<PreludeErrorCode>();
      expectTypeOf<"a_code_prelude_adds_later">().toMatchTypeOf<PreludeErrorCode>();
    }
  });

  it("walks every page of the history as one async iteration", () => {
    const all = prelude.listPhoneVerificationsAll({ status: "converted" });
    expectTypeOf(all).toEqualTypeOf<AsyncGenerator<ListPhoneVerificationsItem, void, undefined>>();
    expectTypeOf<ListPhoneVerificationsItem["status"]>().toEqualTypeOf<VerificationStatus>();
    // @ts-expect-error pending_check cannot be filtered on
    void prelude.listPhoneVerificationsAll({ status: "pending_check" });
  });

  it("narrows a Verify event by its type, and verifies signatures on the raw body only", () => {
    const event = parseEventWebhook("{}");
    if (event.type === "verify.delivery_status") expectTypeOf(event.payload.attempt_id).toEqualTypeOf<string | undefined>();
    expectTypeOf(verifyPreludeWebhookSignature("{}", new Headers(), "-----BEGIN PUBLIC KEY-----")).toEqualTypeOf<Promise<void>>();
    // @ts-expect-error the parsed event cannot be verified: the signature covers the raw bytes
    void verifyPreludeWebhookSignature(event, "rsassa-pss-sha256=…", "-----BEGIN PUBLIC KEY-----");
  });
});
