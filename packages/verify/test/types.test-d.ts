import { createDingClient, notSentAnswers as dingNotSent } from "@otpkit/ding";
import { createPreludeClient, notSentAnswers as preludeNotSent } from "@otpkit/prelude";
import type { ResponseMetadata } from "@otpkit/runtime";
import { createSmscxClient, notSentAnswers as smscxNotSent } from "@otpkit/smscx";
import { describe, expectTypeOf, it } from "vitest";
import type { NOT_SENT_REASONS } from "../../../scripts/generate/not-sent.ts";
import {
  createVerifier,
  dingProvider,
  preludeProvider,
  smscxProvider,
  type PreludeProviderOptions,
  type CancelResult,
  type CheckResult,
  type NotSentAnswer,
  type NotSentReason,
  type Provider,
  type ResendResult,
  type StartResult,
  type Tried,
} from "../src/index.js";

const smscx = smscxProvider(createSmscxClient({ apiKey: "k" }));
const ding = dingProvider(createDingClient({ apiKey: "k", customerUuid: "cf222c97-267d-4a29-9e1b-c85d9c31cc42" }));
const prelude = preludeProvider(createPreludeClient({ accessToken: "k" }));
const verifier = createVerifier({ providers: [smscx, ding, prelude] });

describe("@otpkit/verify types", () => {
  it("start resolves to a union discriminated by status; only `sent` has an id", () => {
    expectTypeOf(verifier.start({ phoneNumber: "+33612246400" })).resolves.toEqualTypeOf<StartResult>();
    expectTypeOf<StartResult["status"]>().toEqualTypeOf<"sent" | "not_sent" | "unknown" | "failed" | "invalid_phone_number">();
    const result = {} as StartResult;
    // @ts-expect-error the id exists only once the status says a code was sent
    void result.id;
    if (result.status === "sent") {
      expectTypeOf(result.id).toEqualTypeOf<string>();
      expectTypeOf(result.expiresAt).toEqualTypeOf<Date | undefined>();
      expectTypeOf(result.attemptsLeft).toEqualTypeOf<number | undefined>();
      expectTypeOf(result.metadata).toEqualTypeOf<ResponseMetadata>();
    }
    if (result.status === "unknown" || result.status === "failed") {
      expectTypeOf(result.provider).toEqualTypeOf<string>();
      expectTypeOf(result.error).toEqualTypeOf<Error>();
    }
    expectTypeOf(result.tried).toEqualTypeOf<readonly Tried[]>();
  });

  it("each tried provider says how it ended; only not_sent has a reason", () => {
    const tried = {} as Tried;
    expectTypeOf(tried.outcome).toEqualTypeOf<"sent" | "not_sent" | "unknown" | "failed">();
    // @ts-expect-error a reason exists only for not_sent
    void tried.reason;
    if (tried.outcome === "not_sent") expectTypeOf(tried.reason).toEqualTypeOf<NotSentReason>();
    if (tried.outcome === "sent") expectTypeOf(tried.metadata).toEqualTypeOf<ResponseMetadata>();
  });

  it("check's union is exhaustive, and only wrong_code counts attempts", () => {
    const result = {} as CheckResult;
    expectTypeOf(result.status).toEqualTypeOf<
      "verified" | "wrong_code" | "expired" | "too_many_attempts" | "already_verified" | "cancelled" | "not_found" | "undetermined" | "invalid_id"
    >();
    switch (result.status) {
      case "wrong_code":
        expectTypeOf(result.attemptsLeft).toEqualTypeOf<number | undefined>();
        expectTypeOf(result.raw).toBeUnknown();
        break;
      case "invalid_id":
        expectTypeOf(result.message).toEqualTypeOf<string>();
        // @ts-expect-error an id refused before sending has no answer
        void result.raw;
        break;
      case "verified":
      case "expired":
      case "too_many_attempts":
      case "already_verified":
      case "cancelled":
      case "not_found":
      case "undetermined":
        expectTypeOf(result.provider).toEqualTypeOf<string>();
        expectTypeOf(result.metadata).toEqualTypeOf<ResponseMetadata>();
        break;
      default:
        expectTypeOf(result).toBeNever();
    }
  });

  it("resend and cancel say when the provider cannot", () => {
    expectTypeOf<ResendResult["status"]>().toEqualTypeOf<"sent" | "not_sent" | "expired" | "already_verified" | "not_found" | "not_supported" | "invalid_id">();
    expectTypeOf<CancelResult["status"]>().toEqualTypeOf<"cancelled" | "already_cancelled" | "not_pending" | "not_found" | "not_supported" | "invalid_id">();
    const resent = {} as ResendResult;
    if (resent.status === "not_supported") expectTypeOf(resent.operation).toEqualTypeOf<"resend" | "cancel">();
    if (resent.status === "not_sent") expectTypeOf(resent.reason).toEqualTypeOf<NotSentReason>();
  });

  it("the reasons are the specs' shared words (scripts/generate/not-sent.ts) plus the two that need no answer", () => {
    expectTypeOf<Exclude<NotSentReason, "input_refused" | "connection_refused">>().toEqualTypeOf<keyof typeof NOT_SENT_REASONS>();
  });

  it("the vendor packages' notSentAnswers are lists of NotSentAnswer", () => {
    expectTypeOf(smscxNotSent.NewOtp).toMatchTypeOf<readonly NotSentAnswer[]>();
    expectTypeOf(dingNotSent["create-authentication"]).toMatchTypeOf<readonly NotSentAnswer[]>();
    expectTypeOf(dingNotSent.retry).toMatchTypeOf<readonly NotSentAnswer[]>();
    expectTypeOf(preludeNotSent.createVerification).toMatchTypeOf<readonly NotSentAnswer[]>();
    expectTypeOf(smscxNotSent.NewOtp[0].code).toEqualTypeOf<2020>();
  });

  it("provider options are the vendor's own settings, checked by type", () => {
    smscxProvider(createSmscxClient({ apiKey: "k" }), { ttl: 300, pinLength: 6, pinType: "numbers", template: "Your code: {{pin}}", name: "smscx-eu" });
    // @ts-expect-error "digits" is not an SMS.cx pinType
    smscxProvider(createSmscxClient({ apiKey: "k" }), { pinType: "digits" });
    // @ts-expect-error the number comes from start(), not from the options
    smscxProvider(createSmscxClient({ apiKey: "k" }), { phoneNumber: "+33612246400" });
    dingProvider(createDingClient({ apiKey: "k", customerUuid: "c" }), { device_type: "ANDROID", app_realm: "FA+9qCX9VSu", locale: "fr-FR" });
    // @ts-expect-error Ding's create accepts IOS, ANDROID and WEB only
    dingProvider(createDingClient({ apiKey: "k", customerUuid: "c" }), { device_type: "TVOS" });
    const client = createPreludeClient({ accessToken: "k" });
    preludeProvider(client, { options: { template_id: "template_01jc0tbxyz", code_size: 6, locale: "fr-FR", app_realm: { platform: "web", value: "example.com" } }, signals: { device_platform: "ios" }, name: "prelude-eu" });
    // @ts-expect-error Prelude's method is auto, voice or message
    preludeProvider(client, { options: { method: "sms" } });
    // @ts-expect-error one custom code for every user would let anyone pass: not a provider setting
    preludeProvider(client, { options: { custom_code: "123456" } });
    // @ts-expect-error the target comes from start(), not from the options
    preludeProvider(client, { target: { type: "phone_number", value: "+33612246400" } });
    // @ts-expect-error dispatch_id names one front-end dispatch, not a provider setting
    preludeProvider(client, { dispatch_id: "123e4567-e89b-12d3-a456-426614174000" });
    expectTypeOf<NonNullable<PreludeProviderOptions["options"]>["code_size"]>().toEqualTypeOf<number | undefined>();
  });

  it("a provider is a small object: a vendor that checks by phone number keeps it in its ref", () => {
    const byPhone: Provider = {
      name: "by-phone",
      start: async (phoneNumber) => ({ outcome: "sent", ref: `vrf_01jc0t6f:${phoneNumber}`, raw: {}, metadata: {} as ResponseMetadata }),
      check: async () => ({ status: "verified", raw: {}, metadata: {} as ResponseMetadata }),
    };
    createVerifier({ providers: [byPhone, smscx], onFailover: (event) => expectTypeOf(event.reason).toEqualTypeOf<NotSentReason>() });
  });
});
