/**
 * `createEquinixMetalMock` as an app's tests use it: through the real client (`fetch: mock.fetch`),
 * so the runtime's error mapping and retry rules run end to end. Which codes `findEnsureOtp`
 * accepts (the configured one, an SMS code once, a recovery code once), regenerated recovery codes,
 * one user per API key, the documented 401, and faults.
 */
import { describe, expect, it } from "vitest";
import { ApiError, ConnectionError, createEquinixMetalClient, TimeoutError } from "../src/index.js";
import { createEquinixMetalMock, createMockClock, type EquinixMetalMockOptions } from "../src/testing.js";
import { failure as failed } from "../../../scripts/contract/failure.ts";

/** The recovery codes of the spec's `findRecoveryCodes` example, every user's first set. */
const FIRST_CODES = ["7c4d9e2a1f", "b8e31f6a0d", "2f9a7c5e41", "e6d04b9c73", "5a1c8f2e6b", "93b7e0d4a2", "c0f65a1e8d", "4e2b9d7f10", "a7d3c6e95b", "1b8f4a0c6e"];

function setup(options: EquinixMetalMockOptions = {}, apiKey = "user-key") {
  const clock = createMockClock("2024-05-09T12:09:31Z");
  const mock = createEquinixMetalMock({ clock, ...options });
  const metal = createEquinixMetalClient({ apiKey, fetch: mock.fetch, retry: { baseDelay: 1, maxDelay: 1 } });
  return { clock, mock, metal };
}

const failure = (promise: Promise<unknown>) => failed<ApiError>(promise);

/** `ok`, or the status and message of the ApiError. */
const verdict = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (error: unknown) => (error instanceof ApiError ? `${error.status} ${JSON.stringify(error.body)}` : error),
  );

describe("findEnsureOtp", () => {
  it("accepts the configured authenticator code, every time, and refuses others with the documented 400", async () => {
    const { metal } = setup({ otp: "246810" });
    expect(await verdict(metal.findEnsureOtp({ otp: "246810" }))).toBe("ok");
    expect(await verdict(metal.findEnsureOtp({ otp: "246810" }))).toBe("ok");
    expect(await verdict(metal.findEnsureOtp({ otp: "135790" }))).toBe('400 {"error":"Invalid OTP"}');
  });

  it("accepts the code receiveCodes sent by SMS once, within ten minutes", async () => {
    const { clock, mock, metal } = setup();
    await metal.receiveCodes();
    const sms = mock.codeFor("user-key")!;
    expect(sms).toMatch(/^\d{6}$/);
    expect(await verdict(metal.findEnsureOtp({ otp: sms }))).toBe("ok");
    expect(await verdict(metal.findEnsureOtp({ otp: sms }))).toBe('400 {"error":"Invalid OTP"}');
    await metal.receiveCodes();
    clock.advance(10 * 60_000);
    expect(await verdict(metal.findEnsureOtp({ otp: mock.codeFor("user-key")! }))).toBe('400 {"errors":["OTP has expired","Request a new code and try again"]}');
  });

  it("accepts each recovery code once, and it leaves the list", async () => {
    const { metal } = setup();
    expect(await verdict(metal.findEnsureOtp({ otp: FIRST_CODES[0]! }))).toBe("ok");
    expect(await verdict(metal.findEnsureOtp({ otp: FIRST_CODES[0]! }))).toBe('400 {"error":"Invalid OTP"}');
    expect((await metal.findRecoveryCodes()).recovery_codes).toEqual(FIRST_CODES.slice(1));
  });
});

describe("recovery codes", () => {
  it("regenerateCodes replaces them: ten new codes work, the old ones no longer do", async () => {
    const { metal } = setup();
    expect((await metal.findRecoveryCodes()).recovery_codes).toEqual(FIRST_CODES);
    const fresh = (await metal.regenerateCodes()).recovery_codes!;
    expect(fresh).toHaveLength(10);
    for (const code of fresh) expect(code).toMatch(/^[0-9a-f]{10}$/);
    expect(fresh.filter((code) => FIRST_CODES.includes(code))).toEqual([]);
    expect((await metal.findRecoveryCodes()).recovery_codes).toEqual(fresh);
    expect(await verdict(metal.findEnsureOtp({ otp: FIRST_CODES[1]! }))).toBe('400 {"error":"Invalid OTP"}');
    expect(await verdict(metal.findEnsureOtp({ otp: fresh[0]! }))).toBe("ok");
  });

  it("belong to the user of the API key: another key's user is not affected", async () => {
    const { mock, metal } = setup();
    const other = createEquinixMetalClient({ apiKey: "other-key", fetch: mock.fetch });
    await metal.regenerateCodes();
    await other.receiveCodes();
    expect((await other.findRecoveryCodes()).recovery_codes).toEqual(FIRST_CODES);
    expect([mock.codeFor("other-key"), mock.codeFor("user-key")]).toEqual([expect.stringMatching(/^\d{6}$/), undefined]);
  });
});

describe("credentials and faults", () => {
  it("a request without X-Auth-Token gets the documented 401", async () => {
    const { mock } = setup();
    const response = await mock.fetch("https://api.equinix.com/metal/v1/user/otp/recovery-codes");
    expect([response.status, await response.json()]).toEqual([401, { error: "Invalid authentication token" }]);
  });

  it("a 500 on findRecoveryCodes (a GET) is retried; on receiveCodes (billed) it is not", async () => {
    const { mock, metal } = setup({ faults: { findRecoveryCodes: { answer: 500, times: 1 }, receiveCodes: 500 } });
    expect((await metal.findRecoveryCodes().withMetadata()).metadata.attempts).toBe(2);
    const error = await failure(metal.receiveCodes());
    expect([error.status, error.body, error.metadata.attempts]).toEqual([500, { error: "Unable to send SMS, please try again later" }, 1]);
    expect(mock.requests.map((r) => [r.operationId, r.status])).toEqual([["findRecoveryCodes", 500], ["findRecoveryCodes", 200], ["receiveCodes", 500]]);
  });

  it("a hang on receiveCodes ends with the timeout; a reset on regenerateCodes may have reached Equinix: neither is repeated", async () => {
    const { mock, metal } = setup({ faults: { receiveCodes: "hang", regenerateCodes: "reset" } });
    expect(await failure(metal.receiveCodes({ timeout: 50 }))).toBeInstanceOf(TimeoutError);
    const reset = await failure(metal.regenerateCodes());
    expect(reset instanceof ConnectionError && reset.requestSent).toBe(true);
    expect(mock.requests).toHaveLength(2);
  });

  it("documented errors by name: two-factor authentication off", async () => {
    const { metal } = setup({ faults: { receiveCodes: "smsOtpNotEnabled" } });
    expect(await verdict(metal.receiveCodes())).toBe('422 {"error":"SMS two factor authentication is not enabled for this user"}');
  });
});
