/**
 * `createPreludeMock` as an app's tests use it: through the real client (`fetch: mock.fetch`), so the
 * runtime's validation, outcome checks, error mapping and retry rules run end to end. The
 * verification window (create, resend, check by target and code, expiry on the mock's clock, the
 * checks it takes, PSD2), the timeline and the paginated list of what the mock created, lookup, the
 * documented 400 for bad input, and faults.
 */
import { describe, expect, it } from "vitest";
import { ApiError, ConnectionError, createPreludeClient, isPreludeApiError, isPreludeOutcomeError, TimeoutError, type PreludeClient } from "../src/index.js";
import { createMockClock, createPreludeMock, type PreludeMockOptions } from "../src/testing.js";
import { failure as failed } from "../../../scripts/contract/failure.ts";

const PHONE = "+30123456789";
const target = { type: "phone_number", value: PHONE } as const;
const MINUTE = 60_000;

function setup(options: PreludeMockOptions = {}) {
  const clock = createMockClock("2024-05-09T12:09:31Z");
  const mock = createPreludeMock({ clock, ...options });
  const prelude: PreludeClient = createPreludeClient({ accessToken: "test-key", fetch: mock.fetch, retry: { baseDelay: 1, maxDelay: 1 } });
  return { clock, mock, prelude };
}

const failure = (promise: Promise<unknown>) => failed<ApiError>(promise);

/** What a call amounts to: `ok`, the outcome a 200 body reports, or the status and code of an error. */
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (error: unknown) => (isPreludeOutcomeError(error) ? error.outcome : isPreludeApiError(error) ? `${error.status} ${String(error.code)}` : error),
  );

/** A code that is not `code`, of the same length. */
const wrong = (code: string) => code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));

describe("the verification window", () => {
  it("create answers success with a fresh id and sends a five-digit code, readable by id or by phone number", async () => {
    const { mock, prelude } = setup();
    const created = await prelude.createVerification({ target, metadata: { correlation_id: "c-1" } });
    expect(created).toEqual({ id: expect.stringMatching(/^vrf_[0-9a-hjkmnp-tv-z]{26}$/), method: "message", status: "success", channels: ["sms"], metadata: { correlation_id: "c-1" }, request_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(mock.codeFor(created.id)).toMatch(/^\d{5}$/);
    expect(mock.codeFor(PHONE)).toBe(mock.codeFor(created.id));
    expect(mock.requests[0]!.body).toEqual({ target, metadata: { correlation_id: "c-1" } });
  });

  it("checks by target and code: a wrong code is a failure, the right one a success, which closes the window", async () => {
    const { mock, prelude } = setup();
    const { id } = await prelude.createVerification({ target });
    const code = mock.codeFor(id)!;
    expect(await outcome(prelude.checkVerification({ target, code: wrong(code) }))).toBe("failure");
    expect(await prelude.checkVerification({ target, code })).toEqual({ id, status: "success", request_id: expect.any(String) });
    expect(await outcome(prelude.checkVerification({ target, code }))).toBe("expired_or_not_found");
  });

  it("a repeat inside the window is a retry of the same verification, with the same code; after ten minutes, a new one", async () => {
    const { clock, mock, prelude } = setup();
    const first = await prelude.createVerification({ target });
    clock.advance(9 * MINUTE);
    expect(await prelude.createVerification({ target })).toMatchObject({ id: first.id, status: "retry" });
    clock.advance(MINUTE);
    expect(await outcome(prelude.checkVerification({ target, code: mock.codeFor(first.id)! }))).toBe("expired_or_not_found");
    const second = await prelude.createVerification({ target });
    expect([second.status, second.id === first.id, mock.codeFor(PHONE) === mock.codeFor(second.id)]).toEqual(["success", false, true]);
  });

  it("takes five checks by default, or maxChecks: then the window is closed", async () => {
    for (const [options, checks] of [[{}, 5], [{ maxChecks: 2 }, 2]] as const) {
      const { mock, prelude } = setup(options);
      const { id } = await prelude.createVerification({ target });
      const code = mock.codeFor(id)!;
      for (let i = 0; i < checks; i++) expect(await outcome(prelude.checkVerification({ target, code: wrong(code) }))).toBe("failure");
      expect(await outcome(prelude.checkVerification({ target, code }))).toBe("expired_or_not_found");
    }
  });

  it("sends a code of code_size digits, or the custom_code; both together get 400 custom_size_conflict", async () => {
    const { mock, prelude } = setup();
    expect(mock.codeFor((await prelude.createVerification({ target, options: { code_size: 8 } })).id)).toMatch(/^\d{8}$/);
    const other = { type: "phone_number", value: "+30123456780" } as const;
    expect(mock.codeFor((await prelude.createVerification({ target: other, options: { custom_code: "480213" } })).id)).toBe("480213");
    expect(await outcome(prelude.createVerification({ target: { ...other, value: "+30123456781" }, options: { code_size: 6, custom_code: "480213" } }))).toBe("400 custom_size_conflict");
  });

  it("answers challenged with force_challenge, a voice call with method voice, and email for an email target", async () => {
    const { mock, prelude } = setup();
    const challenged = await prelude.createVerification({ target, options: { force_challenge: true } });
    expect(challenged).toMatchObject({ status: "challenged", channels: ["whatsapp"] });
    expect((await prelude.getPhoneVerification({ id: challenged.id })).status).toBe("challenged");
    expect(await prelude.createVerification({ target: { type: "phone_number", value: "+30123456780" }, options: { method: "voice" } })).toMatchObject({ method: "voice", channels: ["voice"] });
    const email = { type: "email_address", value: "jane@example.com" } as const;
    const created = await prelude.createVerification({ target: email });
    expect([created.method, created.channels]).toEqual(["email", undefined]);
    expect(await prelude.checkVerification({ target: email, code: mock.codeFor("jane@example.com")! })).toMatchObject({ status: "success" });
  });

  it("refuses a landline the lookup examples know with 400 invalid_line_type", async () => {
    const { prelude } = setup();
    expect(await outcome(prelude.createVerification({ target: { type: "phone_number", value: "+302101234567" } }))).toBe("400 invalid_line_type");
  });
});

describe("PSD2: a prelude:psd2 code is bound to the transaction in its template variables", () => {
  const payment = { amount: "49.90", currency: "EUR", recipient: "Acme Store" };

  it("needs the transaction, the same one, and the code", async () => {
    const { mock, prelude } = setup();
    await prelude.createVerification({ target, options: { template_id: "prelude:psd2", variables: payment } });
    const code = mock.codeFor(PHONE)!;
    expect(await outcome(prelude.checkVerification({ target, code }))).toBe("transaction_missing");
    expect(await outcome(prelude.checkVerification({ target, code: wrong(code), psd2: payment }))).toBe("failure");
    expect(await prelude.checkVerification({ target, code, psd2: payment })).toMatchObject({ status: "success" });
  });

  it("a different amount invalidates the code", async () => {
    const { mock, prelude } = setup();
    await prelude.createVerification({ target, options: { template_id: "prelude:psd2", variables: payment } });
    const code = mock.codeFor(PHONE)!;
    expect(await outcome(prelude.checkVerification({ target, code, psd2: { ...payment, amount: "59.90" } }))).toBe("transaction_mismatch");
    expect(await outcome(prelude.checkVerification({ target, code, psd2: payment }))).toBe("expired_or_not_found");
  });
});

describe("getPhoneVerification: the timeline", () => {
  it("lists the creation, each message with its cost, each check (its code hidden until the window closes), and the signals", async () => {
    const { clock, mock, prelude } = setup();
    const signals = { ip: "192.0.2.1", device_platform: "ios", device_model: "iPhone17,2", app_version: "2.4.1", device_id: "d-1", os_version: "18.0" } as const;
    const { id } = await prelude.createVerification({ target, signals, metadata: { correlation_id: "c-1" }, options: { template_id: "template_01jc0tbxyz" } });
    const code = mock.codeFor(id)!;
    clock.advance(MINUTE);
    await prelude.createVerification({ target });
    clock.advance(5_000);
    await prelude.checkVerification({ target, code: wrong(code) }).catch(() => undefined);
    const pending = await prelude.getPhoneVerification({ id });
    expect(pending).toMatchObject({ id, phone_number: PHONE, status: "pending_check", created_at: "2024-05-09T12:09:31Z", expires_at: "2024-05-09T12:19:31Z", correlation_id: "c-1", template_id: "template_01jc0tbxyz", ip_address: "192.0.2.1", device_platform: "ios", device_model: "iPhone17,2", app_version: "2.4.1", signals: { is_trusted_user: false, device_id: "d-1", os_version: "18.0" } });
    expect(pending.lifecycle!.events.map((e) => [e.type, "attempt" in e ? e.attempt.trigger : undefined])).toEqual([["create", undefined], ["attempt", "initial"], ["attempt", "user_retry"], ["check", undefined]]);
    expect(pending.lifecycle!.events[3]).toEqual({ type: "check", check: { created_at: "2024-05-09T12:10:36Z", is_valid: false, channel: "sms" } });
    await prelude.checkVerification({ target, code });
    const done = await prelude.getPhoneVerification({ id });
    expect([done.status, done.lifecycle!.total_cost]).toEqual(["converted", { amount: "0.0810", currency: "EUR" }]);
    expect(done.lifecycle!.events.slice(3).map((e) => "check" in e && [e.check.value, e.check.is_valid])).toEqual([[wrong(code), false], [code, true]]);
  });

  it("an id the mock did not create, or an email verification's, gets the spec's 404, without a body", async () => {
    const { prelude } = setup();
    const { id } = await prelude.createVerification({ target: { type: "email_address", value: "jane@example.com" } });
    for (const unknown of ["vrf_01jc0t6fwwfgfsq1md24mhyztj", id]) {
      const error = await failure(prelude.getPhoneVerification({ id: unknown }));
      expect([error.status, error.body, error.metadata.attempts]).toEqual([404, undefined, 1]);
    }
  });
});

describe("listPhoneVerifications: what the mock created, newest first, page by page", () => {
  async function fill(prelude: PreludeClient, clock: ReturnType<typeof createMockClock>, count: number) {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      ids.unshift((await prelude.createVerification({ target: { type: "phone_number", value: `+3012345678${i}` }, signals: { device_platform: i % 2 ? "android" : "ios" } })).id);
      clock.advance(MINUTE);
    }
    return ids;
  }

  it("listPhoneVerificationsAll walks real pages (two per page by default, as the spec's first page shows) with real cursors", async () => {
    const { clock, mock, prelude } = setup();
    const ids = await fill(prelude, clock, 5);
    const seen: string[] = [];
    for await (const v of prelude.listPhoneVerificationsAll()) seen.push(v.id);
    expect(seen).toEqual(ids);
    const pages = mock.requests.filter((r) => r.operationId === "listPhoneVerifications");
    expect(pages.map((r) => r.query.cursor === undefined)).toEqual([true, false, false]);
    expect(await prelude.listPhoneVerifications({ limit: 10 })).toEqual({ verifications: expect.any(Array) });
  });

  it("applies the filters, ANDed: phone number (with or without +), status, platform, time, attempts, channels; region matches nothing", async () => {
    const { clock, mock, prelude } = setup();
    const ids = await fill(prelude, clock, 4);
    await prelude.checkVerification({ target: { type: "phone_number", value: "+30123456782" }, code: mock.codeFor(ids[1]!)! });
    const list = async (filters: Parameters<PreludeClient["listPhoneVerifications"]>[0]) => (await prelude.listPhoneVerifications({ limit: 10, ...filters })).verifications.map((v) => v.id);
    expect(await list({ phone_number: "30123456782" })).toEqual([ids[1]]);
    expect(await list({ status: "converted" })).toEqual([ids[1]]);
    expect(await list({ device_platform: "android" })).toEqual([ids[0], ids[2]]);
    expect(await list({ from: "2024-05-09T12:10:31Z", to: "2024-05-09T12:12:31Z" })).toEqual([ids[1], ids[2]]);
    expect(await list({ min_attempts: 2 })).toEqual([]);
    expect(await list({ channels: ["whatsapp", "sms"], max_attempts: 1 })).toEqual(ids);
    expect(await list({ region: "GR" })).toEqual([]);
    const summary = (await prelude.listPhoneVerifications({ status: "converted" })).verifications[0];
    expect(summary).toEqual({ id: ids[1], created_at: "2024-05-09T12:11:31Z", converted_at: "2024-05-09T12:13:31Z", phone_number: "+30123456782", status: "converted", delivered: true, attempts: 1, channels: [{ channel: "sms", converted: true }], cost: { amount: "0.0450", currency: "EUR" }, device_platform: "ios" });
  });

  it("a cursor the mock did not give ends the list", async () => {
    const { clock, prelude } = setup();
    await fill(prelude, clock, 3);
    expect(await prelude.listPhoneVerifications({ cursor: "eyJpZCI6InZyZl8wMWpjMHQ1YTFiMmMzZDRlNWY2ZzdoOGo5ayJ9" })).toEqual({ verifications: [] });
  });
});

describe("lookup answers from the spec's examples", () => {
  it("the mobile and the landline example numbers as documented, the caller name only when asked; any other number as a mobile line", async () => {
    const { prelude } = setup();
    expect(await prelude.lookup({ phone_number: PHONE })).toMatchObject({ line_type: "mobile", network_info: { carrier_name: "Cosmote" } });
    expect(await prelude.lookup({ phone_number: PHONE })).not.toHaveProperty("caller_name");
    expect(await prelude.lookup({ phone_number: PHONE, type: ["cnam"] })).toHaveProperty("caller_name", "ACME CORP");
    expect(await prelude.lookup({ phone_number: "+302101234567" })).toMatchObject({ line_type: "fixed_line" });
    expect(await prelude.lookup({ phone_number: "+12025550143" })).toEqual({ phone_number: "+12025550143", line_type: "mobile", flags: [] });
  });
});

describe("requests the real API would refuse get Prelude's documented 400", () => {
  it("names what is wrong where an example documents it, and the first 400 otherwise (the client's validation turned off)", async () => {
    const { prelude } = setup();
    const off = { validate: false };
    expect(await outcome(prelude.createVerification({ target: { type: "phone_number", value: "0612246400" } }, off))).toBe("400 invalid_phone_number");
    expect(await outcome(prelude.createVerification({ target, options: { code_size: 9 } }, off))).toBe("400 invalid_code_size");
    expect(await outcome(prelude.createVerification({ target, options: { locale: 1 } } as never, off))).toBe("400 invalid_phone_number");
    expect(await outcome(prelude.checkVerification({ target, code: "" }, off))).toBe("400 invalid_request");
    expect(await outcome(prelude.listPhoneVerifications({ from: "yesterday" }, off))).toBe("400 invalid_date_format");
    expect(await outcome(prelude.lookup({ phone_number: "0612246400" }, off))).toBe("400 invalid_phone_number");
    expect(await outcome(prelude.sendFeedbacks({ feedbacks: [] }, off))).toBe("400 invalid_phone_number");
  });

  it("a request without the API key gets the documented 401", async () => {
    const { mock } = setup();
    const response = await mock.fetch("https://api.prelude.dev/v2/lookup/%2B30123456789");
    expect([response.status, await response.json()]).toEqual([401, { code: "invalid_api_key", message: "The API key is invalid." }]);
  });
});

describe("faults, through the runtime's retry rules", () => {
  it("blocked and shadow_blocked by name: the documented outcome, and no verification is opened", async () => {
    const { mock, prelude } = setup({ faults: { createVerification: { answer: "blocked", times: 1 } } });
    const blocked = await failure(prelude.createVerification({ target }));
    expect(isPreludeOutcomeError(blocked) && [blocked.outcome, blocked.body]).toEqual(["blocked", expect.objectContaining({ reason: "suspicious", risk_factors: ["ip_reputation", "number_range_abuse"] })]);
    expect([mock.codeFor(PHONE), (await prelude.listPhoneVerifications()).verifications]).toEqual([undefined, []]);
    const shadow = setup({ faults: { createVerification: "shadowBlocked" } });
    expect(await outcome(shadow.prelude.createVerification({ target }))).toBe("shadow_blocked");
  });

  it("documented errors by name: insufficient balance on create, rate limited on check", async () => {
    const { prelude } = setup({ faults: { createVerification: "insufficientBalance", checkVerification: "rateLimited" } });
    expect(await outcome(prelude.createVerification({ target }))).toBe("400 insufficient_balance");
    expect(await outcome(prelude.checkVerification({ target, code: "12345" }))).toBe("429 too_many_requests");
  });

  it("a 500 on getPhoneVerification (a GET) is retried; on create (billed) it is not", async () => {
    const { mock, prelude } = setup({ faults: { getPhoneVerification: { answer: 500, times: 1 }, createVerification: { answer: 500, times: 1 } } });
    const error = await failure(prelude.createVerification({ target }));
    expect([error.status, error.code, error.metadata.attempts]).toEqual([500, "internal", 1]);
    const { id } = await prelude.createVerification({ target });
    expect((await prelude.getPhoneVerification({ id }).withMetadata()).metadata.attempts).toBe(2);
    expect(mock.requests.map((r) => r.status)).toEqual([500, 200, 500, 200]);
  });

  it("a hang on check ends with the timeout; a reset on create may have reached Prelude: neither is repeated", async () => {
    const { mock, prelude } = setup({ faults: { checkVerification: "hang", createVerification: { answer: "reset", times: 1 } } });
    const reset = await failure(prelude.createVerification({ target }));
    expect([reset instanceof ConnectionError && reset.requestSent, mock.requests.length]).toEqual([true, 1]);
    await prelude.createVerification({ target });
    expect(await failure(prelude.checkVerification({ target, code: mock.codeFor(PHONE)! }, { timeout: 50 }))).toBeInstanceOf(TimeoutError);
    expect(mock.requests.map((r) => r.operationId)).toEqual(["createVerification", "createVerification", "checkVerification"]);
  });
});
