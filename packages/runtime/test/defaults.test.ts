/**
 * The default time limits, against a real server that never answers. The runtime's timers run on
 * vitest's fake clock, advanced only once the server has the request, so these tests take
 * milliseconds and assert what the error reports (`limit`, `ms`, attempts) and what the server
 * received, never how long anything took.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createVendorClient, DEFAULT_DEADLINE, DEFAULT_TIMEOUT, TimeoutError } from "../src/index.js";
import { hang, startFaultServer, type FaultServer } from "./helpers/fault-server.js";
import { getStatus, SECRET, sendOtp, vendor } from "./helpers/vendor.js";

let server: FaultServer;
beforeEach(async () => {
  server = await startFaultServer();
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
});
afterEach(async () => {
  vi.useRealTimers();
  await server.close();
});

/** A client with nothing but its credential and the server's address: every other option is a default. */
const client = () => createVendorClient(vendor, { apiKey: SECRET, baseUrl: server.origin });

/** Waits (in real time) until the server has received `count` requests on `path`. */
const received = (path: string, count: number) => vi.waitFor(() => expect(server.count(path)).toBe(count), { timeout: 5_000 });

describe("default time limits", () => {
  it("are 10 s per attempt and 30 s per call", () => {
    expect([DEFAULT_TIMEOUT, DEFAULT_DEADLINE]).toEqual([10_000, 30_000]);
  });

  it("end a billed POST to a hanging server after one attempt: a TimeoutError, sent exactly once", async () => {
    server.script("/otp", hang);
    const failed = client().call(sendOtp, { phone: "+33612246400" }).catch((e: unknown) => e);
    await received("/otp", 1);
    await vi.advanceTimersByTimeAsync(DEFAULT_TIMEOUT);
    const error = (await failed) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ limit: "timeout", ms: 10_000, attempts: 1 });
    expect(error.message).toMatch(/no answer within the 10000 ms timeout\. The request may have reached the server\. Not retried: SendOtp costs money/);
    // Long past the deadline, still one request: a timed-out billed call is never repeated.
    await vi.advanceTimersByTimeAsync(2 * DEFAULT_DEADLINE);
    expect(server.count("/otp")).toBe(1);
  });

  it("end a GET to a hanging server at the deadline, after the attempts that fit in it", async () => {
    server.script("/status/abc", hang);
    const failed = client().call(getStatus, { id: "abc" }).catch((e: unknown) => e);
    // Attempts 1 and 2 time out after 10 s each, with a backoff of at most 1 s after each; the
    // third is cut off by the 30 s deadline.
    for (let attempt = 1; attempt <= 3; attempt++) {
      await received("/status/abc", attempt);
      await vi.advanceTimersByTimeAsync(DEFAULT_TIMEOUT + 1_000);
    }
    const error = (await failed) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ limit: "deadline", ms: 30_000, attempts: 3 });
    expect(server.count("/status/abc")).toBe(3);
  });

  it("apply one by one: a longer timeout alone is still cut by the default deadline", async () => {
    server.script("/otp", hang);
    const failed = client().call(sendOtp, { phone: "+33612246400" }, { timeout: 45_000 }).catch((e: unknown) => e);
    await received("/otp", 1);
    await vi.advanceTimersByTimeAsync(DEFAULT_DEADLINE);
    const error = (await failed) as TimeoutError;
    expect(error).toMatchObject({ limit: "deadline", ms: 30_000, attempts: 1 });
    expect(error.message).toMatch(/the 30000 ms deadline passed after 1 attempt\(s\)\. The request may have reached the server\. Not retried/);
  });
});
