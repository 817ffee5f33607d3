/**
 * `check`, `resend` and `cancel`: they go to the provider the id names (and nowhere else), turn
 * every answer the vendor documents into a value with its raw answer and metadata, send nothing for
 * an id this verifier did not issue, and answer `not_supported` where the vendor has no such call.
 */
import { ApiError } from "@otpkit/runtime";
import { describe, expect, test } from "vitest";
import { createVerifier, dingProvider, smscxProvider } from "../src/index.js";
import { AUTH_UUID, only, OTP_ID, PHONE, vendorClients, type VendorSetup } from "./helpers.ts";

const SMSCX_ID = `smscx:${OTP_ID}`;
const DING_ID = `ding:${AUTH_UUID}`;

/** A verifier over both vendors (SMS.cx first), each client set up as given. */
function both(setup: { smscx?: VendorSetup; ding?: VendorSetup } = {}) {
  const clients = vendorClients(setup);
  return { verifier: createVerifier({ providers: [smscxProvider(clients.smscx), dingProvider(clients.ding)] }), sent: clients.sent };
}

describe("check goes to the provider that sent the code", () => {
  test("SMS.cx sent it: start, then check with the id → verified; Ding gets nothing", async () => {
    const { verifier, sent } = both();
    const started = await verifier.start({ phoneNumber: PHONE });
    if (started.status !== "sent") throw new Error(`expected sent, got ${started.status}`);
    const checked = await verifier.check({ id: started.id, code: "1544" });
    expect(checked).toMatchObject({ status: "verified", provider: "smscx", raw: { status: "VERIFIED" }, metadata: { status: 200, attempts: 1, operationId: "VerifyPin" } });
    expect(sent()).toEqual(only({ smscx: ["POST /otp", `POST /otp/${OTP_ID}`], ding: [] }));
  });

  test("SMS.cx had no credit and Ding sent it: the check goes to Ding only", async () => {
    const clients = vendorClients({ smscx: { prefer: "code=400, example=insufficientCredit" } });
    const verifier = createVerifier({ providers: [smscxProvider(clients.smscx), dingProvider(clients.ding)] });
    const started = await verifier.start({ phoneNumber: PHONE });
    if (started.status !== "sent") throw new Error(`expected sent, got ${started.status}`);
    expect(started.id).toBe(DING_ID);
    const checked = await verifier.check({ id: started.id, code: "123456" });
    expect(checked).toMatchObject({ status: "verified", provider: "ding", raw: { status: "valid" }, metadata: { status: 200, operationId: "check" } });
    expect(clients.sent()).toEqual(only({ smscx: ["POST /otp"], ding: ["POST /authentication", "POST /check"] }));
  });
});

describe("every documented answer is a value, with the vendor's raw answer", () => {
  const smscxRows = [
    ["code=400, example=wrongPin", "wrong_code", 2029],
    ["code=400, example=pinMissing", "wrong_code", 2022],
    ["code=400, example=otpExpired", "expired", 2025],
    ["code=400, example=pinExpired", "expired", 2028],
    ["code=400, example=maxAttempts", "too_many_attempts", 2027],
    ["code=400, example=otpFailed", "too_many_attempts", 2026],
    ["code=400, example=alreadyVerified", "already_verified", 2023],
    ["code=400, example=otpCancelled", "cancelled", 2024],
    ["code=404", "not_found", 2021],
  ] as const;
  test.each(smscxRows)("SMS.cx VerifyPin %s → %s", async (prefer, status, code) => {
    const { verifier, sent } = both({ smscx: { prefer } });
    const checked = await verifier.check({ id: SMSCX_ID, code: "1545" });
    expect(checked).toMatchObject({ status, provider: "smscx", raw: { error: { code } }, metadata: { attempts: 1, operationId: "VerifyPin" } });
    expect(sent()).toEqual(only({ smscx: [`POST /otp/${OTP_ID}`], ding: [] }));
  });

  const dingRows = [
    ["code=200, example=invalid", "wrong_code"],
    ["code=200, example=expiredAuth", "expired"],
    ["code=200, example=rateLimited", "too_many_attempts"],
    ["code=200, example=alreadyValidated", "already_verified"],
    ["code=200, example=withoutAttempt", "undetermined"],
    ["code=200, example=unknown", "undetermined"],
    ["code=400, example=impossibleCode", "wrong_code"],
    ["code=400, example=noAssociatedAuthFound", "not_found"],
    ["code=400, example=invalidAuthUuid", "not_found"],
  ] as const;
  test.each(dingRows)("Ding check %s → %s", async (prefer, status) => {
    const { verifier, sent } = both({ ding: { prefer } });
    const checked = await verifier.check({ id: DING_ID, code: "123457" });
    expect(checked).toMatchObject({ status, provider: "ding", metadata: { attempts: 1, operationId: "check" } });
    expect(checked.status !== "invalid_id" && checked.raw).toBeTruthy();
    expect(sent()).toEqual(only({ smscx: [], ding: ["POST /check"] }));
  });

  test("an answer the vendor does not document as an outcome throws the client's typed error (SMS.cx 500, Ding 400 account_invalid)", async () => {
    const smscx = both({ smscx: { prefer: "code=500" } });
    const error = await smscx.verifier.check({ id: SMSCX_ID, code: "1544" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 500, metadata: { attempts: 1 } });
    expect(smscx.sent().smscx).toEqual([`POST /otp/${OTP_ID}`]);
    const ding = both({ ding: { prefer: "code=400, example=accountInvalid" } });
    await expect(ding.verifier.check({ id: DING_ID, code: "1" })).rejects.toMatchObject({ name: "ApiError", code: "account_invalid" });
  });
});

describe("an id this verifier did not issue: invalid_id, and nothing is sent", () => {
  // SMS.cx has no resend: for an id that names SMS.cx, resend answers not_supported without looking further.
  const ids: [string, unknown, "invalid_id" | "not_supported"][] = [
    ["an id from a provider this verifier does not have (Ding)", DING_ID, "invalid_id"],
    ["an id from a provider nobody configured (Prelude)", "prelude:vrf_01jc0t6fwwfgfsq1md24mhyztj", "invalid_id"],
    ["an SMS.cx id that is no otpId", "smscx:not-an-otp-id", "not_supported"],
    ["an SMS.cx id in upper case (SMS.cx ids are lower-case)", `smscx:${OTP_ID.toUpperCase()}`, "not_supported"],
    ["a bare vendor id", OTP_ID, "invalid_id"],
    ["an empty string", "", "invalid_id"],
    ["no provider", `:${OTP_ID}`, "invalid_id"],
    ["a number", 42, "invalid_id"],
  ];

  test.each(ids)("%s", async (_what, id, resend) => {
    const clients = vendorClients();
    const verifier = createVerifier({ providers: [smscxProvider(clients.smscx)] });
    const nothingSent = { message: expect.stringMatching(/nothing was sent\.$/) };
    expect(await verifier.check({ id: id as string, code: "1544" })).toMatchObject({ status: "invalid_id", ...nothingSent });
    expect(await verifier.cancel({ id: id as string })).toMatchObject({ status: "invalid_id", ...nothingSent });
    expect(await verifier.resend({ id: id as string })).toMatchObject({ status: resend, ...nothingSent });
    expect(clients.sent()).toEqual(only({ smscx: [], ding: [] }));
  });

  test("a Ding id that is no UUID, on a verifier that has Ding", async () => {
    const { verifier, sent } = both();
    expect(await verifier.check({ id: "ding:12345", code: "1" })).toMatchObject({ status: "invalid_id", message: expect.stringContaining("not an id ding issued") });
    expect(await verifier.resend({ id: "ding:12345" })).toMatchObject({ status: "invalid_id" });
    expect(sent()).toEqual(only({ smscx: [], ding: [] }));
  });

  test("a code that is not a string is a TypeError, before anything is sent", async () => {
    const { verifier, sent } = both();
    await expect(verifier.check({ id: SMSCX_ID, code: 1544 as unknown as string })).rejects.toThrow(TypeError);
    expect(sent()).toEqual(only({ smscx: [], ding: [] }));
  });
});

describe("resend and cancel", () => {
  test("SMS.cx cannot resend and Ding cannot cancel: not_supported, nothing sent", async () => {
    const { verifier, sent } = both();
    expect(await verifier.resend({ id: SMSCX_ID })).toEqual({ status: "not_supported", provider: "smscx", operation: "resend", message: "smscx cannot resend a verification; nothing was sent." });
    expect(await verifier.cancel({ id: DING_ID })).toEqual({ status: "not_supported", provider: "ding", operation: "cancel", message: "ding cannot cancel a verification; nothing was sent." });
    expect(sent()).toEqual(only({ smscx: [], ding: [] }));
  });

  test("Ding resend: approved → sent, with the retries left and when the next may go", async () => {
    const { verifier, sent } = both();
    expect(await verifier.resend({ id: DING_ID })).toMatchObject({
      status: "sent",
      provider: "ding",
      retriesLeft: 2,
      nextRetryAt: new Date("2024-05-09T12:11:31Z"),
      raw: { status: "approved" },
      metadata: { status: 200, attempts: 1, operationId: "retry" },
    });
    expect(sent()).toEqual(only({ smscx: [], ding: ["POST /retry"] }));
  });

  const resendRows = [
    ["code=200, example=denied", { status: "not_sent", reason: "retry_denied", nextRetryAt: new Date("2024-05-09T12:11:31Z") }],
    ["code=200, example=noAttempt", { status: "not_sent", reason: "retry_denied" }],
    ["code=200, example=rateLimited", { status: "not_sent", reason: "rate_limited" }],
    ["code=400, example=negativeBalance", { status: "not_sent", reason: "insufficient_credit" }],
    ["code=400, example=spendingLimitExceeded", { status: "not_sent", reason: "insufficient_credit" }],
    ["code=200, example=expiredAuth", { status: "expired" }],
    ["code=200, example=alreadyValidated", { status: "already_verified" }],
    ["code=400, example=noAssociatedAuthFound", { status: "not_found" }],
  ] as const;
  test.each(resendRows)("Ding resend %s → %o", async (prefer, expected) => {
    const { verifier, sent } = both({ ding: { prefer } });
    expect(await verifier.resend({ id: DING_ID })).toMatchObject({ ...expected, provider: "ding", metadata: { operationId: "retry", attempts: 1 } });
    expect(sent()).toEqual(only({ smscx: [], ding: ["POST /retry"] }));
  });

  const cancelRows = [
    [undefined, "cancelled"],
    ["code=403, example=alreadyCancelled", "already_cancelled"],
    ["code=403, example=notPending", "not_pending"],
    ["code=404", "not_found"],
  ] as const;
  test.each(cancelRows)("SMS.cx cancel %s → %s", async (prefer, status) => {
    const { verifier, sent } = both({ smscx: prefer ? { prefer } : {} });
    expect(await verifier.cancel({ id: SMSCX_ID })).toMatchObject({ status, provider: "smscx", metadata: { operationId: "CancelOtp", attempts: 1 } });
    expect(sent()).toEqual(only({ smscx: [`DELETE /otp/${OTP_ID}`], ding: [] }));
  });
});

describe("createVerifier refuses what cannot work", () => {
  const { smscx, ding } = vendorClients();
  test.each([
    ["no providers", { providers: [] }, /pass providers/],
    ["no options", undefined, /pass providers/],
    ["two providers with one name", { providers: [smscxProvider(smscx), smscxProvider(smscx)] }, /two providers are named "smscx"/],
    ["a name that cannot prefix an id", { providers: [dingProvider(ding, { name: "Ding EU" })] }, /lower-case letters, digits and hyphens/],
  ])("%s", (_what, options, message) => {
    expect(() => createVerifier(options as never)).toThrow(expect.objectContaining({ name: "ConfigurationError", message: expect.stringMatching(message) }));
  });

  test("two accounts of one vendor, each with its own name, issue ids that name it", async () => {
    const clients = vendorClients();
    const verifier = createVerifier({ providers: [smscxProvider(clients.smscx, { name: "smscx-eu" }), smscxProvider(clients.smscx)] });
    expect(await verifier.start({ phoneNumber: PHONE })).toMatchObject({ status: "sent", id: `smscx-eu:${OTP_ID}`, provider: "smscx-eu" });
    expect(await verifier.check({ id: `smscx-eu:${OTP_ID}`, code: "1544" })).toMatchObject({ status: "verified", provider: "smscx-eu" });
  });
});
