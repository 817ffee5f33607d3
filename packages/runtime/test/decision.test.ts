/**
 * The retry decision, row by row: a pure function of the policy, the attempt, what happened and
 * the time left (and the jitter draw, passed in). The README's retry table is this table.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY, mayHaveBeenSent, retryDecision, serverWait, type CallPolicy, type Happened, type RetryDecision } from "../src/retry.js";

const get: CallPolicy = { retry: DEFAULT_RETRY, idempotent: true };
const billedPost: CallPolicy = { retry: DEFAULT_RETRY, idempotent: false };
const single: CallPolicy = { retry: { ...DEFAULT_RETRY, maxAttempts: 1 }, idempotent: true };
const answer = (status: number, wait?: number): Happened => ({ kind: "answer", status, wait });
const retry = (delay: number): RetryDecision => ({ retry: true, delay });
const stop: RetryDecision = { retry: false };
const plenty = 30_000;

describe("retryDecision", () => {
  it.each<[string, CallPolicy, number, Happened, number, number, RetryDecision]>([
    // What may be repeated: the request provably never left, or the operation is idempotent.
    ["connection refused, GET", get, 1, { kind: "not-sent" }, plenty, 0, retry(250)],
    ["connection refused, billed POST", billedPost, 1, { kind: "not-sent" }, plenty, 0, retry(250)],
    ["reset after sending, GET", get, 1, { kind: "sent" }, plenty, 0, retry(250)],
    ["reset after sending, billed POST", billedPost, 1, { kind: "sent" }, plenty, 0, stop],
    ["attempt timeout, GET", get, 1, { kind: "timeout" }, plenty, 0, retry(250)],
    ["attempt timeout, billed POST", billedPost, 1, { kind: "timeout" }, plenty, 0, stop],
    ["HTTP 503, GET", get, 1, answer(503), plenty, 0, retry(250)],
    ["HTTP 503, billed POST", billedPost, 1, answer(503), plenty, 0, stop],
    ["HTTP 408, GET", get, 1, answer(408), plenty, 0, retry(250)],
    ["HTTP 429, GET", get, 1, answer(429), plenty, 0, retry(250)],
    ["HTTP 500, GET", get, 1, answer(500), plenty, 0, retry(250)],
    ["HTTP 502, GET", get, 1, answer(502), plenty, 0, retry(250)],
    ["HTTP 504, GET", get, 1, answer(504), plenty, 0, retry(250)],
    ["HTTP 501, GET", get, 1, answer(501), plenty, 0, stop],
    ["HTTP 404, GET", get, 1, answer(404), plenty, 0, stop],
    ["HTTP 200, GET", get, 1, answer(200), plenty, 0, stop],
    ["a redirect, GET", get, 1, { kind: "redirect" }, plenty, 0, stop],
    ["the deadline passed, GET", get, 1, { kind: "deadline" }, plenty, 0, stop],
    ["the caller's signal fired, GET", get, 1, { kind: "abort" }, plenty, 0, stop],
    // How many: maxAttempts counts the first attempt.
    ["the last of 3 attempts", get, 3, answer(503), plenty, 0, stop],
    ["retries off (maxAttempts 1)", single, 1, { kind: "not-sent" }, plenty, 0, stop],
    // How long: backoff doubles from baseDelay, capped at maxDelay, with equal jitter (half to all of it).
    ["backoff after attempt 1, lowest jitter", get, 1, answer(503), plenty, 0, retry(250)],
    ["backoff after attempt 1, middle jitter", get, 1, answer(503), plenty, 0.5, retry(375)],
    ["backoff after attempt 2", get, 2, answer(503), plenty, 0, retry(500)],
    ["backoff capped at maxDelay", { retry: { ...DEFAULT_RETRY, maxAttempts: 10 }, idempotent: true }, 6, answer(503), plenty, 0.5, retry(6000)],
    // A server's wait wins over backoff, clamped to [0, maxRetryAfter].
    ["Retry-After 2 s", get, 1, answer(429, 2000), plenty, 0.5, retry(2000)],
    ["Retry-After an hour, clamped", get, 1, answer(429, 3_600_000), plenty, 0.5, retry(20_000)],
    ["Retry-After in the past", get, 1, answer(503, -5000), plenty, 0.5, retry(0)],
    ["a server's wait on a billed POST", billedPost, 1, answer(429, 2000), plenty, 0.5, stop],
    // Never past the deadline: a wait that would end after it ends the call instead.
    ["a wait longer than the time left", get, 1, answer(429, 5000), 4000, 0.5, stop],
    ["a wait just shorter than the time left", get, 1, answer(429, 3999), 4000, 0.5, retry(3999)],
    ["backoff longer than the time left", get, 1, answer(503), 200, 0, stop],
  ])("%s", (_, policy, attempt, happened, timeLeft, jitter, expected) => {
    expect(retryDecision(policy, attempt, happened, timeLeft, jitter)).toEqual(expected);
  });
});

describe("serverWait", () => {
  const now = Date.parse("2026-12-02T10:00:00Z");
  const headers = (values: Record<string, string>) => new Headers(values);

  it.each<[string, Record<string, string>, number | undefined]>([
    ["Retry-After in seconds", { "retry-after": "2" }, 2000],
    ["Retry-After with a fraction", { "retry-after": " 1.5 " }, 1500],
    ["Retry-After as an HTTP date", { "retry-after": "Wed, 02 Dec 2026 10:00:07 GMT" }, 7000],
    ["Retry-After as a date in the past", { "retry-after": "Wed, 02 Dec 2026 09:59:00 GMT" }, -60_000],
    ["the reset header, in Unix seconds", { "x-rate-limit-reset": String(now / 1000 + 30) }, 30_000],
    ["Retry-After before the reset header", { "retry-after": "0", "x-rate-limit-reset": String(now / 1000 + 30) }, 0],
    ["a malformed Retry-After: backoff, not the reset header", { "retry-after": "soon", "x-rate-limit-reset": String(now / 1000 + 30) }, undefined],
    ["a malformed reset header", { "x-rate-limit-reset": "tomorrow" }, undefined],
    ["neither", {}, undefined],
  ])("%s", (_, values, expected) => {
    expect(serverWait(headers(values), "x-rate-limit-reset", now)).toBe(expected);
  });

  it("ignores a reset header the vendor does not have", () => {
    expect(serverWait(headers({ "x-rate-limit-reset": String(now / 1000 + 30) }), undefined, now)).toBeUndefined();
  });
});

describe("mayHaveBeenSent", () => {
  const coded = (code: string, cause?: unknown) => Object.assign(new Error(code, { cause }), { code });

  it.each<[string, unknown, boolean]>([
    ["connection refused", coded("ECONNREFUSED"), false],
    ["DNS failure, as undici's cause", new TypeError("fetch failed", { cause: coded("ENOTFOUND") }), false],
    ["every address refused (AggregateError)", new TypeError("fetch failed", { cause: new AggregateError([coded("ECONNREFUSED"), coded("EHOSTUNREACH")]) }), false],
    ["a reset after sending", new TypeError("fetch failed", { cause: coded("ECONNRESET") }), true],
    ["one refused address and one reset", new AggregateError([coded("ECONNREFUSED"), coded("ECONNRESET")]), true],
    ["a browser's bare 'Failed to fetch'", new TypeError("Failed to fetch"), true],
    ["something that is not an error", "boom", true],
  ])("%s", (_, error, expected) => {
    expect(mayHaveBeenSent(error)).toBe(expected);
  });
});
