/**
 * `createSmscxMock` as an app's tests use it: through the real client (`fetch: mock.fetch`), so the
 * runtime's validation, error mapping and retry rules run end to end. The OTP life cycle SMS.cx
 * documents, expiry on the mock's clock, the documented 4xx for bad input, and faults.
 */
import { describe, expect, it } from "vitest";
import { ApiError, ConnectionError, createSmscxClient, isSmscxApiError, TimeoutError, type SmscxClient } from "../src/index.js";
import { createMockClock, createSmscxMock, type SmscxMockOptions } from "../src/testing.js";
import { failure as failed } from "../../../scripts/contract/failure.ts";

const PHONE = "+33612246400";
const fast = { baseDelay: 1, maxDelay: 1 };

function setup(options: SmscxMockOptions = {}) {
  const clock = createMockClock("2024-05-09T12:09:31Z");
  const mock = createSmscxMock({ clock, ...options });
  const smscx: SmscxClient = createSmscxClient({ apiKey: "test-key", fetch: mock.fetch, retry: fast });
  return { clock, mock, smscx };
}

const failure = (promise: Promise<unknown>) => failed<ApiError>(promise);

const code = (error: unknown) => (isSmscxApiError(error) ? [error.status, error.code, error.type] : error);

describe("the OTP life cycle", () => {
  it("newOtp answers PENDING with a fresh otpId, the request's settings, real dates, and a PIN only the mock knows", async () => {
    const { mock, smscx } = setup();
    const otp = await smscx.newOtp({ phoneNumber: PHONE, ttl: 180, maxAttempts: 4, trackId: "7e57d004-2b97-4e7a-b45f-5387367791cd" });
    expect(otp).toMatchObject({ status: "PENDING", phoneNumber: PHONE, countryIso: "FR", ttl: 180, maxAttempts: 4, attempts: 0, trackId: "7e57d004-2b97-4e7a-b45f-5387367791cd", otpCallbackUrl: null });
    expect(otp.otpId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([otp.dateCreated, otp.dateExpires]).toEqual(["2024-05-09 12:09:31", "2024-05-09 12:12:31"]);
    expect(mock.codeFor(otp.otpId)).toMatch(/^\d{4}$/);
    expect(JSON.stringify(otp)).not.toContain(mock.codeFor(otp.otpId));
    const second = await smscx.newOtp({ phoneNumber: PHONE });
    expect(second.otpId).not.toBe(otp.otpId);
    // Without overrides, the application's defaults from the spec's `createdWithDefaults` example.
    expect(second).toMatchObject({ ttl: 300, maxAttempts: 3, trackId: null, cost: 0.052, parts: 1 });
    expect(mock.requests.map((r) => [r.operationId, r.body, r.status])).toEqual([
      ["NewOtp", { phoneNumber: PHONE, ttl: 180, maxAttempts: 4, trackId: "7e57d004-2b97-4e7a-b45f-5387367791cd" }, 201],
      ["NewOtp", { phoneNumber: PHONE }, 201],
    ]);
  });

  it("verifyPin: the right PIN gives VERIFIED; a repeat gets 2023 and a cancel 2031", async () => {
    const { mock, smscx } = setup();
    const { otpId } = await smscx.newOtp({ phoneNumber: PHONE });
    expect(await smscx.verifyPin({ otpId, pin: mock.codeFor(otpId)! })).toEqual({ status: "VERIFIED" });
    expect((await smscx.getOtpStatus({ otpId })).status).toBe("VERIFIED");
    expect(code(await failure(smscx.verifyPin({ otpId, pin: mock.codeFor(otpId)! })))).toEqual([400, 2023, "otp_verified"]);
    expect(code(await failure(smscx.cancelOtp({ otpId })))).toEqual([403, 2031, "access_denied"]);
  });

  it("verifyPin: a wrong PIN gets 2029 and counts; the last attempt gets 2027 and FAILED, then 2026", async () => {
    const { mock, smscx } = setup();
    const { otpId } = await smscx.newOtp({ phoneNumber: PHONE, maxAttempts: 2 });
    const wrong = mock.codeFor(otpId) === "0000" ? "1111" : "0000";
    const first = await failure(smscx.verifyPin({ otpId, pin: wrong }));
    expect(code(first)).toEqual([400, 2029, "invalid_pin"]);
    expect(first.message).toContain("The PIN provided does not verify");
    expect(await smscx.getOtpStatus({ otpId })).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(code(await failure(smscx.verifyPin({ otpId, pin: wrong })))).toEqual([400, 2027, "otp_failed"]);
    expect(await smscx.getOtpStatus({ otpId })).toMatchObject({ status: "FAILED", attempts: 2 });
    expect(code(await failure(smscx.verifyPin({ otpId, pin: mock.codeFor(otpId)! })))).toEqual([400, 2026, "otp_failed"]);
  });

  it("expires after ttl on the mock's clock: EXPIRED, 2025 on verify, 2031 on cancel", async () => {
    const { clock, mock, smscx } = setup();
    const { otpId } = await smscx.newOtp({ phoneNumber: PHONE, ttl: 60 });
    clock.advance(59_999);
    expect((await smscx.getOtpStatus({ otpId })).status).toBe("PENDING");
    clock.advance(1);
    expect((await smscx.getOtpStatus({ otpId })).status).toBe("EXPIRED");
    expect(code(await failure(smscx.verifyPin({ otpId, pin: mock.codeFor(otpId)! })))).toEqual([400, 2025, "otp_expired"]);
    expect(code(await failure(smscx.cancelOtp({ otpId })))).toEqual([403, 2031, "access_denied"]);
  });

  it("cancelOtp: a PENDING OTP becomes CANCELLED; verify then gets 2024, a second cancel 2030", async () => {
    const { mock, smscx } = setup();
    const { otpId } = await smscx.newOtp({ phoneNumber: PHONE });
    expect(await smscx.cancelOtp({ otpId })).toEqual({ info: { id: otpId } });
    expect((await smscx.getOtpStatus({ otpId })).status).toBe("CANCELLED");
    expect(code(await failure(smscx.verifyPin({ otpId, pin: mock.codeFor(otpId)! })))).toEqual([400, 2024, "otp_cancelled"]);
    expect(code(await failure(smscx.cancelOtp({ otpId })))).toEqual([403, 2030, "access_denied"]);
  });

  it("an unknown otpId gets 404 2021 from every operation that takes one", async () => {
    const { smscx } = setup();
    const otpId = "a17fb13d-f4ac-4d93-9439-ef41ab8de390";
    for (const call of [smscx.getOtpStatus({ otpId }), smscx.verifyPin({ otpId, pin: "1544" }), smscx.cancelOtp({ otpId })]) {
      expect(code(await failure(call))).toEqual([404, 2021, "not_found"]);
    }
  });

  it("sends the PIN type and length asked for, and bills a long message in parts", async () => {
    const { mock, smscx } = setup();
    const letters = await smscx.newOtp({ phoneNumber: PHONE, pinType: "letters", pinLength: 6 });
    expect(mock.codeFor(letters.otpId)).toMatch(/^[A-Z]{6}$/);
    const mixed = await smscx.newOtp({ phoneNumber: PHONE, pinType: "alphanumeric", pinLength: 10, template: `${"x".repeat(200)} {{pin}}` });
    expect(mock.codeFor(mixed.otpId)).toMatch(/^[A-Z0-9]{10}$/);
    expect(mixed).toMatchObject({ parts: 2, cost: 0.104 });
  });

  it("reports a national number with its country in E.164, and refuses one without it", async () => {
    const { smscx } = setup();
    expect(await smscx.newOtp({ phoneNumber: "0612246400", countryIso: "FR" })).toMatchObject({ phoneNumber: PHONE, countryIso: "FR" });
    expect(await smscx.newOtp({ phoneNumber: "+4915123835312" })).toMatchObject({ countryIso: "DE" });
    expect(await smscx.newOtp({ phoneNumber: "+8801712345678" })).toMatchObject({ countryIso: "ZZ" });
    expect(code(await failure(smscx.newOtp({ phoneNumber: "0612246400" })))).toEqual([400, 2002, "invalid_param"]);
    expect(code(await failure(smscx.newOtp({ phoneNumber: "0612246400", countryIso: "fr" })))).toEqual([400, 2003, "invalid_param"]);
    expect(code(await failure(smscx.newOtp({ phoneNumber: "call me" })))).toEqual([400, 2020, "invalid_param"]);
    expect(code(await failure(smscx.newOtp({ phoneNumber: PHONE, template: "Your code" })))).toEqual([400, 2006, "invalid_param"]);
  });
});

describe("requests the real API would refuse get SMS.cx's documented 4xx", () => {
  it("each broken constraint gets its own code (the client's validation turned off to let them through)", async () => {
    const { mock, smscx } = setup();
    const sent = async (input: object) => code(await failure(smscx.newOtp({ phoneNumber: PHONE, ...input } as never, { validate: false })));
    expect(await sent({ phoneNumber: "" })).toEqual([400, 2001, "invalid_param"]);
    expect(await sent({ ttl: 59 })).toEqual([400, 2008, "invalid_param"]);
    expect(await sent({ ttl: 1801 })).toEqual([400, 2009, "invalid_param"]);
    expect(await sent({ ttl: "60" })).toEqual([400, 2007, "invalid_param"]);
    expect(await sent({ from: "" })).toEqual([400, 2004, "invalid_param"]);
    expect(await sent({ from: "AB" })).toEqual([400, 2005, "invalid_param"]);
    expect(await sent({ pinType: "emoji" })).toEqual([400, 2014, "invalid_param"]);
    expect(await sent({ trackId: "not-a-uuid" })).toEqual([400, 2018, "invalid_param"]);
    expect(await sent({ otpCallbackUrl: "not a url" })).toEqual([400, 2019, "invalid_param"]);
    expect(code(await failure(smscx.verifyPin({ otpId: "a17fb13d-f4ac-4d93-9439-ef41ab8de390", pin: "" })))).toEqual([400, 2022, "invalid_param"]);
    expect(code(await failure(smscx.getOtpStatus({ otpId: "A17FB13D" }, { validate: false })))).toEqual([404, 2021, "not_found"]);
    expect(mock.requests.every((r) => r.status! >= 400)).toBe(true);
  });

  it("a request without a credential gets the documented 401", async () => {
    const { mock } = setup();
    const response = await mock.fetch("https://api.sms.cx/otp", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ phoneNumber: PHONE }) });
    expect(response.status).toBe(401);
    expect((await response.json()).error).toMatchObject({ type: "invalid_api_key" });
  });
});

describe("faults, through the runtime's retry rules", () => {
  it("a 500 on GetOtpStatus (a GET) is retried: two requests, then the answer", async () => {
    const { mock, smscx } = setup({ faults: { GetOtpStatus: { answer: 500, times: 1 } } });
    const { otpId } = await smscx.newOtp({ phoneNumber: PHONE });
    const { data, metadata } = await smscx.getOtpStatus({ otpId }).withMetadata();
    expect([data.status, metadata.attempts]).toEqual(["PENDING", 2]);
    expect(mock.requests.map((r) => r.status)).toEqual([201, 500, 200]);
  });

  it("a 500 on NewOtp (billed) is not retried: one request, the documented server error", async () => {
    const { mock, smscx } = setup({ faults: { NewOtp: 500 } });
    const error = await failure(smscx.newOtp({ phoneNumber: PHONE }));
    expect([error.status, error.code, error.metadata.attempts, mock.requests.length]).toEqual([500, 1005, 1, 1]);
    expect(error.message).toMatch(/Not retried: NewOtp costs money/);
  });

  it("a hang on NewOtp ends with the client's timeout, and is not retried", async () => {
    const { mock, smscx } = setup({ faults: { NewOtp: "hang" } });
    const error = await failure(smscx.newOtp({ phoneNumber: PHONE }, { timeout: 50 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(mock.requests).toHaveLength(1);
  });

  it("a reset on NewOtp is a ConnectionError that may have reached SMS.cx, not retried; on a GET it is retried", async () => {
    const { mock, smscx } = setup({ faults: { NewOtp: { answer: "reset", times: 1 }, GetOtpStatus: { answer: "reset", times: 1 } } });
    const error = await failure(smscx.newOtp({ phoneNumber: PHONE }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as unknown as ConnectionError).requestSent).toBe(true);
    expect(mock.requests).toHaveLength(1);
    const { otpId } = await smscx.newOtp({ phoneNumber: PHONE });
    expect((await smscx.getOtpStatus({ otpId }).withMetadata()).metadata.attempts).toBe(2);
  });

  it("a hang on a GET times out and is retried", async () => {
    const { smscx } = setup({ faults: { GetOtpStatus: { answer: "hang", times: 1 } } });
    const { otpId } = await smscx.newOtp({ phoneNumber: PHONE });
    expect((await smscx.getOtpStatus({ otpId }, { timeout: 50 }).withMetadata()).metadata.attempts).toBe(2);
  });

  it("documented errors by name: insufficient credit, a rate limit with its headers, a bad key", async () => {
    const { smscx } = setup({ faults: { NewOtp: { answer: "insufficientCredit", times: 1 }, VerifyPin: "rateLimit", CancelOtp: 401 } });
    expect(code(await failure(smscx.newOtp({ phoneNumber: PHONE })))).toEqual([400, 1113, "insufficient_credit"]);
    const { otpId } = await smscx.newOtp({ phoneNumber: PHONE });
    const limited = await failure(smscx.verifyPin({ otpId, pin: "1544" }));
    expect([limited.status, limited.type, limited.rateLimit]).toEqual([429, "rate_limit", { limit: 100, remaining: 0, reset: new Date("2024-05-09T12:09:32Z") }]);
    expect(code(await failure(smscx.cancelOtp({ otpId })))).toEqual([401, 1001, "invalid_api_key"]);
  });
});

describe("the mock itself", () => {
  it("reset() forgets every OTP and request", async () => {
    const { mock, smscx } = setup();
    const { otpId } = await smscx.newOtp({ phoneNumber: PHONE });
    mock.reset();
    expect([mock.requests.length, mock.codeFor(otpId)]).toEqual([0, undefined]);
    expect(code(await failure(smscx.getOtpStatus({ otpId })))).toEqual([404, 2021, "not_found"]);
  });

  it("a seeded random source gives the same ids and PINs every run", async () => {
    const seeded = () => {
      let n = 1;
      return () => (n = (n * 48271) % 2147483647) / 2147483647;
    };
    const runs = [];
    for (const random of [seeded(), seeded()]) {
      const { mock, smscx } = setup({ random });
      const { otpId } = await smscx.newOtp({ phoneNumber: PHONE });
      runs.push([otpId, mock.codeFor(otpId)]);
    }
    expect(runs[0]).toEqual(runs[1]);
  });
});
