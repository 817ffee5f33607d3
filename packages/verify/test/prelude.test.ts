/**
 * `preludeProvider` against Prism from specs/prelude.yaml: its id carries Prelude's verification id
 * and the phone number, its check goes by that number, its resend is a second billed
 * `createVerification`, it fails over both ways with SMS.cx, and an id it did not issue sends
 * nothing. The generic failover rows (every not-sent answer, every unknown outcome) are in
 * failover.test.ts.
 */
import { ApiError } from "@otpkit/runtime";
import { describe, expect, test, vi } from "vitest";
import { createVerifier, preludeProvider, smscxProvider, type PreludeProviderOptions } from "../src/index.js";
import { only, OTP_ID, PHONE, vendorClients, VRF_ID, type VendorSetup } from "./helpers.ts";

const PRELUDE_ID = `prelude:${VRF_ID}:${PHONE}`;
const SEND = "POST /v2/verification";
const CHECK = "POST /v2/verification/check";
const TARGET = { type: "phone_number", value: PHONE };

/** A verifier over Prelude alone, its client set up as given. */
function prelude(setup: VendorSetup = {}, options?: PreludeProviderOptions) {
  const clients = vendorClients({ prelude: setup });
  return { verifier: createVerifier({ providers: [preludeProvider(clients.prelude, options)] }), sent: clients.sent, bodies: clients.preludeBodies };
}

describe("start through Prelude", () => {
  test("sends once with the provider's settings; the id holds Prelude's verification id and the phone number", async () => {
    const settings = { options: { template_id: "template_01jc0tbxyz", code_size: 6, locale: "fr-FR" }, signals: { device_platform: "web" }, metadata: { correlation_id: "signup-1" } } as const;
    const { verifier, sent, bodies } = prelude({}, settings);
    const result = await verifier.start({ phoneNumber: PHONE });
    expect(result).toMatchObject({
      status: "sent",
      id: PRELUDE_ID,
      provider: "prelude",
      raw: { id: VRF_ID, status: "success" },
      metadata: { status: 200, attempts: 1, operationId: "createVerification" },
      tried: [{ provider: "prelude", outcome: "sent" }],
    });
    expect(result.status === "sent" && [result.expiresAt, result.attemptsLeft]).toEqual([undefined, undefined]);
    expect(sent()).toEqual(only({ prelude: [SEND] }));
    expect(bodies()).toEqual([{ ...settings, target: TARGET }]);
  });

  test.each([
    ["retry", "a repeat inside the window"],
    ["challenged", "challenge-safe channels only"],
    ["shadowBlocked", "a block rule in dry-run mode, not enforced"],
  ])("200 %s (%s) → sent, nothing more tried", async (example) => {
    const clients = vendorClients({ prelude: { prefer: `code=200, example=${example}` } });
    const onFailover = vi.fn();
    const verifier = createVerifier({ providers: [preludeProvider(clients.prelude), smscxProvider(clients.smscx)], onFailover });
    const result = await verifier.start({ phoneNumber: PHONE });
    expect(result).toMatchObject({ status: "sent", provider: "prelude", id: expect.stringMatching(new RegExp(`^prelude:vrf_\\w+:\\${PHONE}$`)), metadata: { status: 200, attempts: 1 } });
    expect(clients.sent()).toEqual(only({ prelude: [SEND] }));
    expect(onFailover).not.toHaveBeenCalled();
  });

  test("an answer Prelude's spec does not list as 'not sent' (400 invalid_code_size) → failed: 1 Prelude request, 0 to SMS.cx", async () => {
    const clients = vendorClients({ prelude: { prefer: "code=400, example=invalidCodeSize" } });
    const verifier = createVerifier({ providers: [preludeProvider(clients.prelude), smscxProvider(clients.smscx)] });
    const result = await verifier.start({ phoneNumber: PHONE });
    expect(result).toMatchObject({ status: "failed", provider: "prelude", error: { status: 400, code: "invalid_code_size" } });
    expect(clients.sent()).toEqual(only({ prelude: [SEND] }));
  });

  test("Prelude's documented 500 (Prism) → unknown: 1 Prelude request, 0 to SMS.cx", async () => {
    const clients = vendorClients({ prelude: { prefer: "code=500" } });
    const verifier = createVerifier({ providers: [preludeProvider(clients.prelude), smscxProvider(clients.smscx)] });
    const result = await verifier.start({ phoneNumber: PHONE });
    expect(result).toMatchObject({ status: "unknown", provider: "prelude", error: { name: "ApiError", status: 500, code: "internal" } });
    expect(clients.sent()).toEqual(only({ prelude: [SEND] }));
  });

  test("Prelude's client refuses its own settings (code_size 3) before sending: 0 Prelude requests, 1 to SMS.cx", async () => {
    const clients = vendorClients();
    const verifier = createVerifier({ providers: [preludeProvider(clients.prelude, { options: { code_size: 3 } }), smscxProvider(clients.smscx)] });
    const result = await verifier.start({ phoneNumber: PHONE });
    expect(result).toMatchObject({ status: "sent", provider: "smscx", tried: [{ provider: "prelude", outcome: "not_sent", reason: "input_refused" }, { outcome: "sent" }] });
    expect(clients.sent()).toEqual(only({ smscx: ["POST /otp"] }));
  });
});

test("options.custom_code (one code for every user) is refused when the provider is made", () => {
  const { prelude: client } = vendorClients();
  expect(() => preludeProvider(client, { options: { custom_code: "123456" } } as PreludeProviderOptions)).toThrow(
    expect.objectContaining({ name: "ConfigurationError", message: expect.stringContaining("options.custom_code") }),
  );
});

describe("failover between Prelude and SMS.cx, and the check goes where the code went", () => {
  test("Prelude blocks the request (anti-fraud): SMS.cx sends, and the check goes to SMS.cx only", async () => {
    const clients = vendorClients({ prelude: { prefer: "code=200, example=blocked" } });
    const onFailover = vi.fn();
    const verifier = createVerifier({ providers: [preludeProvider(clients.prelude), smscxProvider(clients.smscx)], onFailover });
    const started = await verifier.start({ phoneNumber: PHONE });
    expect(started).toMatchObject({
      status: "sent",
      id: `smscx:${OTP_ID}`,
      tried: [{ provider: "prelude", outcome: "not_sent", reason: "spam_detected", metadata: { status: 200 } }, { provider: "smscx", outcome: "sent" }],
    });
    expect(onFailover).toHaveBeenCalledWith(expect.objectContaining({ from: "prelude", to: "smscx", reason: "spam_detected" }));
    if (started.status !== "sent") throw new Error(`expected sent, got ${started.status}`);
    expect(await verifier.check({ id: started.id, code: "1544" })).toMatchObject({ status: "verified", provider: "smscx" });
    expect(clients.sent()).toEqual(only({ prelude: [SEND], smscx: ["POST /otp", `POST /otp/${OTP_ID}`] }));
  });

  test("SMS.cx has no credit: Prelude sends, and the check goes to Prelude only, by the number in the id", async () => {
    const clients = vendorClients({ smscx: { prefer: "code=400, example=insufficientCredit" } });
    const verifier = createVerifier({ providers: [smscxProvider(clients.smscx), preludeProvider(clients.prelude)] });
    const started = await verifier.start({ phoneNumber: PHONE });
    expect(started).toMatchObject({
      status: "sent",
      id: PRELUDE_ID,
      tried: [{ provider: "smscx", outcome: "not_sent", reason: "insufficient_credit" }, { provider: "prelude", outcome: "sent" }],
    });
    if (started.status !== "sent") throw new Error(`expected sent, got ${started.status}`);
    const checked = await verifier.check({ id: started.id, code: "12345" });
    expect(checked).toMatchObject({ status: "verified", provider: "prelude", raw: { status: "success" }, metadata: { status: 200, attempts: 1, operationId: "checkVerification" } });
    expect(clients.sent()).toEqual(only({ smscx: ["POST /otp"], prelude: [SEND, CHECK] }));
    expect(clients.preludeBodies()[1]).toEqual({ target: TARGET, code: "12345" });
  });
});

describe("check", () => {
  const rows = [
    ["code=200, example=failure", "wrong_code"],
    ["code=200, example=expiredOrNotFound", "not_found"],
    ["code=200, example=transactionMissing", "undetermined"],
    ["code=200, example=transactionMismatch", "undetermined"],
    ["code=400, example=invalidPhoneNumber", "not_found"],
  ] as const;
  test.each(rows)("Prelude check %s → %s, with the raw answer", async (prefer, status) => {
    const { verifier, sent } = prelude({ prefer });
    const checked = await verifier.check({ id: PRELUDE_ID, code: "12346" });
    expect(checked).toMatchObject({ status, provider: "prelude", metadata: { attempts: 1, operationId: "checkVerification" } });
    expect(checked.status !== "invalid_id" && checked.raw).toBeTruthy();
    expect(sent()).toEqual(only({ prelude: [CHECK] }));
  });

  test("an answer Prelude does not document as an outcome throws the client's typed error (500), sent once", async () => {
    const { verifier, sent } = prelude({ prefer: "code=500" });
    const error = await verifier.check({ id: PRELUDE_ID, code: "12345" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 500, code: "internal", metadata: { attempts: 1 } });
    expect(sent()).toEqual(only({ prelude: [CHECK] }));
  });
});

describe("resend is a second billed createVerification for the number in the id", () => {
  test("inside the window: retry → sent; the same body as start, to the same number", async () => {
    const settings = { options: { locale: "fr-FR" } } as const;
    const { verifier, sent, bodies } = prelude({ prefer: "code=200, example=retry" }, settings);
    expect(await verifier.resend({ id: PRELUDE_ID })).toMatchObject({ status: "sent", provider: "prelude", raw: { status: "retry" }, metadata: { status: 200, attempts: 1, operationId: "createVerification" } });
    expect(sent()).toEqual(only({ prelude: [SEND] }));
    expect(bodies()).toEqual([{ ...settings, target: TARGET }]);
  });

  const refusals = [
    ["code=400, example=insufficientBalance", "insufficient_credit"],
    ["code=429", "rate_limited"],
    ["code=200, example=blocked", "spam_detected"],
  ] as const;
  test.each(refusals)("%s → not_sent (%s), sent once", async (prefer, reason) => {
    const { verifier, sent } = prelude({ prefer });
    expect(await verifier.resend({ id: PRELUDE_ID })).toMatchObject({ status: "not_sent", reason, provider: "prelude", metadata: { attempts: 1 } });
    expect(sent()).toEqual(only({ prelude: [SEND] }));
  });

  test("a 500 throws the client's typed error and is not repeated", async () => {
    const { verifier, sent } = prelude({ prefer: "code=500" });
    await expect(verifier.resend({ id: PRELUDE_ID })).rejects.toMatchObject({ name: "ApiError", status: 500, metadata: { attempts: 1 } });
    expect(sent()).toEqual(only({ prelude: [SEND] }));
  });

  test("cancel: Prelude has none → not_supported, nothing sent", async () => {
    const { verifier, sent } = prelude();
    expect(await verifier.cancel({ id: PRELUDE_ID })).toEqual({ status: "not_supported", provider: "prelude", operation: "cancel", message: "prelude cannot cancel a verification; nothing was sent." });
    expect(sent()).toEqual(only({}));
  });
});

describe("an id Prelude did not issue: invalid_id, and nothing is sent", () => {
  test.each([
    ["no phone number", `prelude:${VRF_ID}`],
    ["a phone number that is not E.164", `prelude:${VRF_ID}:0612246400`],
    ["no verification id", `prelude::${PHONE}`],
    ["a verification id with a space", `prelude:vrf 01:${PHONE}`],
    ["the phone number alone", `prelude:${PHONE}`],
  ])("%s", async (_what, id) => {
    const { verifier, sent } = prelude();
    const invalid = { status: "invalid_id", message: expect.stringMatching(/^not an id prelude issued .*nothing was sent\.$/) };
    expect(await verifier.check({ id, code: "12345" })).toMatchObject(invalid);
    expect(await verifier.resend({ id })).toMatchObject(invalid);
    expect(sent()).toEqual(only({}));
  });

  test("an SMS.cx id on a verifier that has only Prelude, and a Prelude id on one that has only SMS.cx", async () => {
    const clients = vendorClients();
    const preludeOnly = createVerifier({ providers: [preludeProvider(clients.prelude)] });
    const smscxOnly = createVerifier({ providers: [smscxProvider(clients.smscx)] });
    for (const [verifier, id] of [
      [preludeOnly, `smscx:${OTP_ID}`],
      [smscxOnly, PRELUDE_ID],
    ] as const) {
      expect(await verifier.check({ id, code: "12345" })).toMatchObject({ status: "invalid_id", message: expect.stringMatching(/which this verifier does not have.*nothing was sent\.$/) });
      expect(await verifier.resend({ id })).toMatchObject({ status: "invalid_id" });
      expect(await verifier.cancel({ id })).toMatchObject({ status: "invalid_id" });
    }
    expect(clients.sent()).toEqual(only({}));
  });
});
