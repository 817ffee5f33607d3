/**
 * `createDingMock` as an app's tests use it: through the real client (`fetch: mock.fetch`), so the
 * runtime's validation, outcome checks, error mapping and retry rules run end to end. The
 * authentication life cycle, the retry rules, the events `getAuthenticationStatus` lists, expiry on
 * the mock's clock, the documented 400 for bad input, and faults.
 */
import { describe, expect, it } from "vitest";
import { ApiError, ConnectionError, createDingClient, isDingApiError, isDingOutcomeError, TimeoutError, type DingClient } from "../src/index.js";
import { createDingMock, createMockClock, type DingMockOptions } from "../src/testing.js";
import { failure as failed } from "../../../scripts/contract/failure.ts";

const PHONE = "+12025550143";
const CUSTOMER = "cf222c97-267d-4a29-9e1b-c85d9c31cc42";

function setup(options: DingMockOptions = {}) {
  const clock = createMockClock("2024-05-09T12:09:31Z");
  const mock = createDingMock({ clock, ...options });
  const ding: DingClient = createDingClient({ apiKey: "test-key", customerUuid: CUSTOMER, fetch: mock.fetch, retry: { baseDelay: 1, maxDelay: 1 } });
  return { clock, mock, ding };
}

const failure = (promise: Promise<unknown>) => failed<ApiError>(promise);

/** What a call amounts to: `ok`, the outcome a 200 body reports, or the error code of a 400. */
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (error: unknown) => (isDingOutcomeError(error) ? error.outcome : isDingApiError(error) ? `${error.status} ${String(error.code)}` : error),
  );

async function started(ding: DingClient, input: object = {}) {
  const auth = await ding.createAuthentication({ phone_number: PHONE, ...input });
  return auth.authentication_uuid!;
}

describe("create and check", () => {
  it("create answers pending with a fresh uuid, and expires_at ten minutes later, as the spec's example shows", async () => {
    const { mock, ding } = setup();
    const auth = await ding.createAuthentication({ phone_number: PHONE });
    expect(auth).toEqual({ authentication_uuid: expect.stringMatching(/^[0-9a-f-]{36}$/), status: "pending", created_at: "2024-05-09T12:09:31Z", expires_at: "2024-05-09T12:19:31Z" });
    expect(mock.codeFor(auth.authentication_uuid!)).toMatch(/^\d{6}$/);
    expect(mock.requests[0]!.body).toEqual({ phone_number: PHONE, customer_uuid: CUSTOMER });
  });

  it("check: the right code is valid, then already_validated; a wrong one is invalid", async () => {
    const { mock, ding } = setup();
    const uuid = await started(ding);
    const code = mock.codeFor(uuid)!;
    expect(await outcome(ding.check({ authentication_uuid: uuid, check_code: code === "000000" ? "111111" : "000000" }))).toBe("invalid");
    expect(await ding.check({ authentication_uuid: uuid, check_code: code })).toEqual({ authentication_uuid: uuid, status: "valid" });
    expect(await outcome(ding.check({ authentication_uuid: uuid, check_code: code }))).toBe("already_validated");
  });

  it("check and retry after expires_at on the mock's clock: expired_auth", async () => {
    const { clock, mock, ding } = setup();
    const uuid = await started(ding);
    clock.advance(10 * 60_000);
    expect(await outcome(ding.check({ authentication_uuid: uuid, check_code: mock.codeFor(uuid)! }))).toBe("expired_auth");
    expect(await outcome(ding.retry({ authentication_uuid: uuid }))).toBe("expired_auth");
  });

  it("an unknown authentication gets 400 no_associated_auth_found", async () => {
    const { ding } = setup();
    const uuid = "349a6b10-c41d-4d74-8b13-62f7d5145053";
    expect(await outcome(ding.check({ authentication_uuid: uuid, check_code: "123456" }))).toBe("400 no_associated_auth_found");
    expect(await outcome(ding.retry({ authentication_uuid: uuid }))).toBe("400 no_associated_auth_found");
    expect(await outcome(ding.getAuthenticationStatus({ auth_uuid: uuid }))).toBe("400 no_associated_auth_found");
  });

  it("app_realm without device_type gets 400 app_realm_require_device_type", async () => {
    const { ding } = setup();
    expect(await outcome(ding.createAuthentication({ phone_number: PHONE, app_realm: "FA+9qCX9VSu" }))).toBe("400 app_realm_require_device_type");
    expect(await outcome(ding.createAuthentication({ phone_number: PHONE, app_realm: "FA+9qCX9VSu", device_type: "ANDROID" }))).toBe("ok");
  });
});

describe("retry", () => {
  it("is denied within a minute of the last message, approved after it, three times, then rate_limited", async () => {
    const { clock, ding } = setup();
    const uuid = await started(ding);
    const denied = await failure(ding.retry({ authentication_uuid: uuid }));
    expect(isDingOutcomeError(denied) && denied.body).toEqual({ authentication_uuid: uuid, status: "denied", created_at: "2024-05-09T12:09:31Z", next_retry_at: "2024-05-09T12:10:31Z", remaining_retry: 3 });
    for (const remaining of [2, 1, 0]) {
      clock.advance(60_000);
      expect(await ding.retry({ authentication_uuid: uuid })).toMatchObject({ status: "approved", remaining_retry: remaining });
    }
    clock.advance(60_000);
    const limited = await failure(ding.retry({ authentication_uuid: uuid }));
    expect(isDingOutcomeError(limited) && limited.body).toMatchObject({ status: "rate_limited", remaining_retry: 0 });
  });

  it("after a valid check: already_validated", async () => {
    const { clock, mock, ding } = setup();
    const uuid = await started(ding);
    await ding.check({ authentication_uuid: uuid, check_code: mock.codeFor(uuid)! });
    clock.advance(60_000);
    expect(await outcome(ding.retry({ authentication_uuid: uuid }))).toBe("already_validated");
  });
});

describe("getAuthenticationStatus", () => {
  it("lists what happened: each message with its cost and delivery, each check, in order, and the signals given", async () => {
    const { clock, mock, ding } = setup();
    const uuid = await started(ding, { device_type: "IOS", os_version: "17.4", is_returning_user: false, sender_id: "Acme", correlation_id: "c-1" });
    const code = mock.codeFor(uuid)!;
    clock.advance(60_000);
    await ding.retry({ authentication_uuid: uuid });
    clock.advance(5_000);
    await ding.check({ authentication_uuid: uuid, check_code: code });
    const status = await ding.getAuthenticationStatus({ auth_uuid: uuid });
    expect(status).toMatchObject({ uuid, phone_number: PHONE, correlation_id: "c-1", created_at: "2024-05-09T12:09:31Z", signals: { device_type: "IOS", os_version: "17.4", is_returning_user: false } });
    expect(status.events!.map((e) => [e.type, e.created_at])).toEqual([
      ["balance_update", "2024-05-09T12:09:31Z"],
      ["attempt", "2024-05-09T12:09:31Z"],
      ["delivery_status", "2024-05-09T12:09:31Z"],
      ["balance_update", "2024-05-09T12:10:31Z"],
      ["attempt", "2024-05-09T12:10:31Z"],
      ["delivery_status", "2024-05-09T12:10:31Z"],
      ["check", "2024-05-09T12:10:36Z"],
    ]);
    expect(status.events![1]).toMatchObject({ content: `Your Acme code is ${code}`, sender_id: "Acme", attempt_number: 1, status: "delivered" });
    expect(status.events![3]).toMatchObject({ balance_update_type: "attempt", amount: 0.009 });
    expect(status.events![6]).toMatchObject({ code, status: "valid" });
  });
});

describe("feedback", () => {
  it("needs an authentication for the number, and refuses the same status twice", async () => {
    const { ding } = setup();
    expect(await outcome(ding.feedback({ phone_number: PHONE, status: "onboarded" }))).toBe("400 no_associated_auth_found");
    await started(ding);
    expect(await ding.feedback({ phone_number: PHONE, status: "onboarded" })).toEqual({ uuid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(await outcome(ding.feedback({ phone_number: PHONE, status: "onboarded" }))).toBe("400 duplicated_feedback_status");
    expect(await outcome(ding.feedback({ phone_number: PHONE, status: "not_onboarded" }))).toBe("ok");
  });
});

describe("requests the real API would refuse get Ding's documented 400", () => {
  it("names the field that is wrong, and bad_request for anything else (the client's validation turned off)", async () => {
    const { ding } = setup();
    const off = { validate: false };
    expect(await outcome(ding.createAuthentication({ phone_number: "0612246400" }, off))).toBe("400 invalid_phone_number");
    expect(await outcome(ding.createAuthentication({ phone_number: PHONE, customer_uuid: "nope" }, off))).toBe("400 account_invalid");
    expect(await outcome(ding.createAuthentication({ phone_number: PHONE, ip: "300.1.1.1" }, off))).toBe("400 bad_request");
    expect(await outcome(ding.check({ authentication_uuid: "nope", check_code: "1" }, off))).toBe("400 invalid_auth_uuid");
    expect(await outcome(ding.getAuthenticationStatus({ auth_uuid: "nope" }, off))).toBe("400 invalid_auth_uuid");
    expect(await outcome(ding.feedback({ phone_number: PHONE, status: "maybe" } as never, off))).toBe("400 invalid_feedback_status");
  });

  it("a request without the API key gets a 401 (Ding documents no body for it)", async () => {
    const { mock } = setup();
    const response = await mock.fetch("https://api.ding.live/v1/authentication/349a6b10-c41d-4d74-8b13-62f7d5145053");
    expect([response.status, response.headers.get("content-type")]).toEqual([401, "application/problem+json"]);
  });
});

describe("faults, through the runtime's retry rules", () => {
  it("documented outcomes and errors by name: rate limited on create, a negative balance on retry", async () => {
    const { clock, ding } = setup({ faults: { "create-authentication": { answer: "rateLimited", times: 1 }, retry: "negativeBalance" } });
    expect(await outcome(ding.createAuthentication({ phone_number: PHONE }))).toBe("rate_limited");
    const uuid = await started(ding);
    clock.advance(60_000);
    expect(await outcome(ding.retry({ authentication_uuid: uuid }))).toBe("400 negative_balance");
  });

  it("a 500 on getAuthenticationStatus (a GET) is retried; on create (billed) it is not", async () => {
    const { mock, ding } = setup({ faults: { getAuthenticationStatus: { answer: 500, times: 1 }, "create-authentication": { answer: 500, times: 1 } } });
    const error = await failure(ding.createAuthentication({ phone_number: PHONE }));
    expect([error.status, error.metadata.attempts]).toEqual([500, 1]);
    const uuid = await started(ding);
    expect((await ding.getAuthenticationStatus({ auth_uuid: uuid }).withMetadata()).metadata.attempts).toBe(2);
    expect(mock.requests.map((r) => r.status)).toEqual([500, 200, 500, 200]);
  });

  it("a hang on retry (billed) ends with the timeout; a reset on create may have reached Ding: neither is repeated", async () => {
    const { clock, mock, ding } = setup({ faults: { retry: "hang", "create-authentication": { answer: "reset", times: 1 } } });
    const reset = await failure(ding.createAuthentication({ phone_number: PHONE }));
    expect([reset instanceof ConnectionError && reset.requestSent, mock.requests.length]).toEqual([true, 1]);
    const uuid = await started(ding);
    clock.advance(60_000);
    expect(await failure(ding.retry({ authentication_uuid: uuid }, { timeout: 50 }))).toBeInstanceOf(TimeoutError);
    expect(mock.requests.map((r) => r.operationId)).toEqual(["create-authentication", "create-authentication", "retry"]);
  });
});
