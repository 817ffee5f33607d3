import type { Middleware } from "openapi-fetch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Agent, fetch as undiciFetch } from "undici";
import {
  AbortError,
  ApiError,
  ConnectionError,
  createVendorClient,
  TimeoutError,
  type ClientOptions,
  type RetryEvent,
} from "../src/index.js";
import { freePort } from "./helpers/ports.js";
import { after, cutOff, empty, hang, json, reset, stall, startFaultServer, text, type FaultServer } from "./helpers/fault-server.js";
import { cancel, getStatus, SECRET, sendOtp, vendor, verify } from "./helpers/vendor.js";

let server: FaultServer;
beforeEach(async () => {
  server = await startFaultServer();
});
afterEach(async () => {
  await server.close();
});

const fast = { baseDelay: 1, maxDelay: 5 };
const client = (options: Partial<ClientOptions> = {}) =>
  createVendorClient(vendor, { apiKey: SECRET, baseUrl: server.origin, retry: fast, ...options });

describe("what is retried", () => {
  it("sends a money-costing POST that got a 503 exactly once", async () => {
    server.script("/otp", json(503, { error: { message: "down" } }));
    const error = await client().call(sendOtp, { phone: "+33612246400" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(503);
    expect((error as ApiError).metadata.attempts).toBe(1);
    expect((error as ApiError).message).toMatch(/Not retried: SendOtp costs money/);
    expect(server.count("/otp")).toBe(1);
  });

  it("sends a GET that got 503, 503, 200 three times and returns the 200", async () => {
    server.script("/status/abc", json(503, {}), json(503, {}), json(200, { state: "ok" }));
    const { data, metadata } = await client().call(getStatus, { id: "abc" }).withMetadata();
    expect(data).toEqual({ state: "ok" });
    expect(metadata.attempts).toBe(3);
    expect(server.count("/status/abc")).toBe(3);
  });

  it.each([408, 429, 500, 502, 503, 504])("retries a GET on %i", async (status) => {
    server.script("/status/abc", json(status, {}), json(200, { state: "ok" }));
    await expect(client().call(getStatus, { id: "abc" })).resolves.toEqual({ state: "ok" });
    expect(server.count("/status/abc")).toBe(2);
  });

  it.each([400, 401, 403, 404, 409, 422, 501])("does not retry a GET on %i", async (status) => {
    server.script("/status/abc", json(status, {}));
    await expect(client().call(getStatus, { id: "abc" })).rejects.toMatchObject({ status });
    expect(server.count("/status/abc")).toBe(1);
  });

  it("gives up after maxAttempts and reports every attempt", async () => {
    server.script("/status/abc", json(503, { error: { message: "still down" } }));
    const error = (await client({ retry: { ...fast, maxAttempts: 4 } }).call(getStatus, { id: "abc" }).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(503);
    expect(error.metadata.attempts).toBe(4);
    expect(error.message).toMatch(/HTTP 503: still down\. Acme OTP had a problem; try again later\./);
    expect(server.count("/status/abc")).toBe(4);
  });

  it("retries a POST the operation table marks idempotent", async () => {
    server.script("/cancel", json(502, {}), json(200, { ok: true }));
    await expect(client().call(cancel, {})).resolves.toEqual({ ok: true });
    expect(server.count("/cancel")).toBe(2);
  });

  it("does not retry when retries are off for the client, or for one call", async () => {
    server.script("/status/abc", json(503, {}));
    await expect(client({ retry: false }).call(getStatus, { id: "abc" })).rejects.toBeInstanceOf(ApiError);
    expect(server.count("/status/abc")).toBe(1);
    await expect(client().call(getStatus, { id: "abc" }, { retry: false })).rejects.toBeInstanceOf(ApiError);
    expect(server.count("/status/abc")).toBe(2);
    await expect(client().call(getStatus, { id: "abc" }, { retry: { maxAttempts: 1 } })).rejects.toBeInstanceOf(ApiError);
    expect(server.count("/status/abc")).toBe(3);
  });

  it("lets a call turn retries back on when the client turned them off", async () => {
    server.script("/status/abc", json(503, {}), json(200, { state: "ok" }));
    await expect(client({ retry: false }).call(getStatus, { id: "abc" }, { retry: fast })).resolves.toEqual({ state: "ok" });
    expect(server.count("/status/abc")).toBe(2);
  });

  it("resends the same body on every attempt of an idempotent POST", async () => {
    server.script("/cancel", json(503, {}), json(503, {}), json(200, { ok: true }));
    await client().call(cancel, { id: "x1" });
    expect(server.received.map((r) => r.body)).toEqual(['{"id":"x1"}', '{"id":"x1"}', '{"id":"x1"}']);
  });
});

describe("connection failures", () => {
  it("retries a money-costing POST when the connection was refused (the request never left)", async () => {
    const port = await freePort();
    const events: RetryEvent[] = [];
    const error = (await createVendorClient(vendor, {
      apiKey: SECRET,
      baseUrl: `http://127.0.0.1:${port}`,
      retry: { ...fast, onRetry: (e) => events.push(e) },
    })
      .call(sendOtp, { phone: "+33612246400" })
      .catch((e: unknown) => e)) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.requestSent).toBe(false);
    expect(error.attempts).toBe(3);
    expect(events.map((e) => e.attempt)).toEqual([1, 2]);
    expect(error.message).toMatch(/could not connect \(ECONNREFUSED\)\. Nothing was sent\. Gave up after 3 attempts\. Check the network and the baseUrl\./);
  });

  it("does not retry a money-costing POST when the connection broke after it was sent", async () => {
    server.script("/otp", reset);
    const error = (await client().call(sendOtp, { phone: "+33612246400" }).catch((e: unknown) => e)) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.requestSent).toBe(true);
    expect(error.message).toMatch(/may have reached the server\. Not retried: SendOtp costs money/);
    expect(server.count("/otp")).toBe(1);
  });

  it("says a non-idempotent POST that is not billed is not safe to repeat", async () => {
    server.script("/verify/123456", reset);
    const error = (await client().call(verify, { code: "123456" }).catch((e: unknown) => e)) as ConnectionError;
    expect(error.message).toMatch(/Verify is not idempotent/);
    expect(server.count("/verify/123456")).toBe(1);
  });

  it("retries a GET whose connection broke after it was sent", async () => {
    server.script("/status/abc", reset, reset, json(200, { state: "ok" }));
    await expect(client().call(getStatus, { id: "abc" })).resolves.toEqual({ state: "ok" });
    expect(server.count("/status/abc")).toBe(3);
  });

  it("reports a GET that keeps breaking as a connection error after the last attempt", async () => {
    server.script("/status/abc", reset);
    const error = (await client().call(getStatus, { id: "abc" }).catch((e: unknown) => e)) as ConnectionError;
    expect(error.requestSent).toBe(true);
    expect(error.message).toMatch(/Gave up after 3 attempts\. Try again later\./);
    expect(server.count("/status/abc")).toBe(3);
  });

  it("retries a money-costing POST when DNS failed (the request never left)", async () => {
    let lookups = 0;
    const agent = new Agent({
      connect: {
        lookup: (_host, _options, callback) => {
          lookups++;
          callback(Object.assign(new Error("getaddrinfo ENOTFOUND api.acme.example"), { code: "ENOTFOUND" }), "", 0);
        },
      },
    });
    const error = (await createVendorClient(vendor, {
      apiKey: SECRET,
      retry: fast,
      fetch: (input, init) => undiciFetch(input as string, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>,
    })
      .call(sendOtp, { phone: "+33612246400" })
      .catch((e: unknown) => e)) as ConnectionError;
    await agent.close();
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.requestSent).toBe(false);
    expect(error.attempts).toBe(3);
    expect(lookups).toBe(3);
    expect(error.message).toMatch(/ENOTFOUND/);
  });

  it("treats a body that breaks off mid-way as a failure after sending", async () => {
    server.script("/otp", cutOff(200, '{"otpId":"0f'));
    const error = (await client().call(sendOtp, { phone: "+33612246400" }).catch((e: unknown) => e)) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.requestSent).toBe(true);
    expect(error.message).toMatch(/connection failed \(UND_ERR_SOCKET\)\. The request may have reached the server/);
    expect(server.count("/otp")).toBe(1);
  });

  it("retries a GET whose body broke off mid-way", async () => {
    server.script("/status/abc", cutOff(200, '{"state":'), json(200, { state: "ok" }));
    await expect(client().call(getStatus, { id: "abc" })).resolves.toEqual({ state: "ok" });
    expect(server.count("/status/abc")).toBe(2);
  });
});

describe("Retry-After and reset headers", () => {
  const delays = async (first: ReturnType<typeof json>, retry: object = {}) => {
    server.script("/status/abc", first, json(200, { state: "ok" }));
    const events: RetryEvent[] = [];
    await client({ retry: { ...fast, ...retry, onRetry: (e) => events.push(e) } }).call(getStatus, { id: "abc" });
    return events;
  };

  it("waits the seconds Retry-After asks for", async () => {
    const [event] = await delays(json(429, {}, { "retry-after": "1" }));
    expect(event).toMatchObject({ attempt: 1, status: 429, delay: 1000, operationId: "GetStatus", method: "GET" });
  });

  it("understands Retry-After as an HTTP date", async () => {
    const at = new Date(Date.now() + 3000).toUTCString();
    const [event] = await delays(json(503, {}, { "retry-after": at }), { maxRetryAfter: 10_000 });
    // HTTP dates have one-second resolution.
    expect(event!.delay).toBeGreaterThan(1000);
    expect(event!.delay).toBeLessThanOrEqual(3000);
  });

  it("clamps a long Retry-After to maxRetryAfter", async () => {
    const [event] = await delays(json(429, {}, { "retry-after": "3600" }), { maxRetryAfter: 50 });
    expect(event!.delay).toBe(50);
  });

  it("treats a Retry-After date in the past as 'now'", async () => {
    const [event] = await delays(json(503, {}, { "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT" }));
    expect(event!.delay).toBe(0);
  });

  it("uses the vendor's reset header (Unix epoch seconds) when there is no Retry-After", async () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 2);
    const [event] = await delays(json(429, {}, { "x-rate-limit-reset": reset }), { maxRetryAfter: 10_000 });
    expect(event!.delay).toBeGreaterThan(900);
    expect(event!.delay).toBeLessThanOrEqual(3000);
  });

  it("prefers Retry-After over the reset header", async () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 60);
    const [event] = await delays(json(429, {}, { "retry-after": "0", "x-rate-limit-reset": reset }));
    expect(event!.delay).toBe(0);
  });

  it("ignores a malformed Retry-After and backs off exponentially with jitter", async () => {
    server.script("/status/abc", json(503, {}, { "retry-after": "soon" }), json(503, {}), json(503, {}), json(200, {}));
    const events: RetryEvent[] = [];
    await client({ retry: { maxAttempts: 4, baseDelay: 40, maxDelay: 100, onRetry: (e) => events.push(e) } }).call(getStatus, { id: "abc" });
    const [a, b, c] = events.map((e) => e.delay);
    expect(a).toBeGreaterThanOrEqual(20);
    expect(a).toBeLessThanOrEqual(40);
    expect(b).toBeGreaterThanOrEqual(40);
    expect(b).toBeLessThanOrEqual(80);
    // The third delay (160 ms uncapped) is capped by maxDelay.
    expect(c).toBeGreaterThanOrEqual(50);
    expect(c).toBeLessThanOrEqual(100);
  });

  it("reads the rate-limit headers into metadata", async () => {
    const reset = Math.ceil(Date.now() / 1000) + 30;
    server.script(
      "/status/abc",
      json(200, { state: "ok" }, { "x-rate-limit-limit": "100", "x-rate-limit-remaining": "7", "x-rate-limit-reset": String(reset), "x-request-id": "req-42" }),
    );
    const { metadata } = await client().call(getStatus, { id: "abc" }).withMetadata();
    expect(metadata).toMatchObject({
      status: 200,
      requestId: "req-42",
      attempts: 1,
      operationId: "GetStatus",
      method: "GET",
      url: `${server.origin}/status/abc`,
      rateLimit: { limit: 100, remaining: 7, reset: new Date(reset * 1000) },
    });
    expect(metadata.headers.get("x-rate-limit-limit")).toBe("100");
    expect(metadata.duration).toBeGreaterThanOrEqual(0);
  });

  it("leaves rateLimit undefined when the vendor sends none", async () => {
    server.script("/status/abc", json(200, { state: "ok" }));
    const { metadata } = await client().call(getStatus, { id: "abc" }).withMetadata();
    expect(metadata.rateLimit).toBeUndefined();
    expect(metadata.requestId).toBeUndefined();
  });
});

describe("timeouts and the deadline", () => {
  // The limits in the next three tests leave a loaded machine time to deliver the request before
  // the attempt times out (at 50–100 ms, loads of 10 and more failed them now and then).
  it("times out one attempt and retries a GET", async () => {
    server.script("/status/abc", hang, json(200, { state: "ok" }));
    await expect(client({ timeout: 400 }).call(getStatus, { id: "abc" })).resolves.toEqual({ state: "ok" });
    expect(server.count("/status/abc")).toBe(2);
  });

  it("reports a GET that times out on every attempt as a TimeoutError after the last attempt", async () => {
    server.script("/status/abc", hang);
    const error = (await client({ timeout: 200 }).call(getStatus, { id: "abc" }).catch((e: unknown) => e)) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ limit: "timeout", ms: 200, attempts: 3 });
    expect(server.count("/status/abc")).toBe(3);
  });

  it("does not retry a money-costing POST that timed out: it may have been received", async () => {
    server.script("/otp", hang);
    const error = (await client({ timeout: 400 }).call(sendOtp, { phone: "+33612246400" }).catch((e: unknown) => e)) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ limit: "timeout", attempts: 1 });
    expect(error.message).toMatch(/no answer within the 400 ms timeout\. The request may have reached the server\. Not retried: SendOtp costs money/);
    expect(server.count("/otp")).toBe(1);
  });

  it("stops at the deadline, even in the middle of an attempt", async () => {
    server.script("/status/abc", hang);
    const started = performance.now();
    const error = (await client({ timeout: 1000 }).call(getStatus, { id: "abc" }, { deadline: 150 }).catch((e: unknown) => e)) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ limit: "deadline", ms: 150, attempts: 1 });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("applies the per-attempt timeout to the body as well as the headers", async () => {
    server.script("/status/abc", stall(200));
    const error = (await client({ timeout: 80, retry: false }).call(getStatus, { id: "abc" }).catch((e: unknown) => e)) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(/no answer within the 80 ms timeout/);
  });

  it("applies the deadline to the body as well", async () => {
    server.script("/status/abc", stall(200));
    const error = (await client({ deadline: 80 }).call(getStatus, { id: "abc" }).catch((e: unknown) => e)) as TimeoutError;
    expect(error).toMatchObject({ limit: "deadline" });
  });

  it("does not sleep past the deadline: it returns the last answer instead of waiting", async () => {
    server.script("/status/abc", json(503, {}, { "retry-after": "5" }));
    const started = performance.now();
    const error = (await client({ deadline: 2000, retry: { maxRetryAfter: 10_000 } }).call(getStatus, { id: "abc" }).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(503);
    expect(server.count("/status/abc")).toBe(1);
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it("lets a call's timeout override the client's", async () => {
    server.script("/status/abc", after(150, json(200, { state: "ok" })));
    await expect(client({ timeout: 50, retry: false }).call(getStatus, { id: "abc" }, { timeout: 2000 })).resolves.toEqual({ state: "ok" });
  });
});

describe("cancellation", () => {
  it("aborts during the backoff wait, without another attempt", async () => {
    server.script("/status/abc", json(503, {}, { "retry-after": "5" }));
    const controller = new AbortController();
    const started = performance.now();
    const error = (await client({ retry: { maxRetryAfter: 10_000, onRetry: () => setTimeout(() => controller.abort("user left"), 20) } })
      .call(getStatus, { id: "abc" }, { signal: controller.signal })
      .catch((e: unknown) => e)) as AbortError;
    expect(error).toBeInstanceOf(AbortError);
    expect(error.reason).toBe("user left");
    expect(error.message).toMatch(/while waiting to retry/);
    expect(server.count("/status/abc")).toBe(1);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("aborts an attempt in flight", async () => {
    const controller = new AbortController();
    // Aborted once the server holds the request (and never answers it), not after a fixed delay: on
    // a loaded machine a 50 ms timer could fire before the request arrived.
    server.script("/otp", () => controller.abort());
    const error = (await client().call(sendOtp, { phone: "+33612246400" }, { signal: controller.signal }).catch((e: unknown) => e)) as AbortError;
    expect(error).toBeInstanceOf(AbortError);
    expect(error.attempts).toBe(1);
    expect(server.count("/otp")).toBe(1);
  });

  it("aborts while the body is arriving", async () => {
    server.script("/status/abc", stall(200));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 80);
    await expect(client().call(getStatus, { id: "abc" }, { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
  });

  it("sends nothing when the signal is already aborted", async () => {
    server.script("/otp", json(201, {}));
    const error = await client().call(sendOtp, { phone: "+33612246400" }, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(server.count("/otp")).toBe(0);
  });
});

describe("the raw openapi-fetch client", () => {
  it("retries GETs through the same transport and keeps the typed result shape", async () => {
    server.script("/status/abc", json(503, {}), json(200, { state: "ok" }));
    const { raw } = createVendorClient<import("./helpers/vendor.js").AcmePaths>(vendor, { apiKey: SECRET, baseUrl: server.origin, retry: fast });
    const { data, response } = await raw.GET("/status/{id}", { params: { path: { id: "abc" } } });
    expect(data).toEqual({ state: "ok" });
    expect(response.status).toBe(200);
    expect(server.count("/status/abc")).toBe(2);
    expect(server.received[0]!.headers["x-api-key"]).toBe(SECRET);
  });

  it("never retries a raw POST after a 5xx", async () => {
    server.script("/otp", json(503, {}));
    const { raw } = createVendorClient<Record<string, never>>(vendor, { apiKey: SECRET, baseUrl: server.origin, retry: fast });
    const { response } = await (raw as unknown as { POST: (p: string, i: object) => Promise<{ response: Response }> }).POST("/otp", { body: {} });
    expect(response.status).toBe(503);
    expect(server.count("/otp")).toBe(1);
  });

  it("honours a raw request's own signal", async () => {
    server.script("/status/abc", hang);
    const { raw } = createVendorClient<import("./helpers/vendor.js").AcmePaths>(vendor, { apiKey: SECRET, baseUrl: server.origin });
    await expect(raw.GET("/status/{id}", { params: { path: { id: "abc" } }, signal: AbortSignal.timeout(50) })).rejects.toBeInstanceOf(AbortError);
  });
});

describe("what middleware sees", () => {
  it("sees one logical request and one response however many attempts were made", async () => {
    server.script("/status/abc", json(503, {}), json(503, {}), json(200, { state: "ok" }));
    const seen: string[] = [];
    const middleware = {
      onRequest: ({ request }: { request: Request }) => void seen.push(`request ${request.headers.get("x-api-key") ?? "no key"}`),
      onResponse: ({ response }: { response: Response }) => void seen.push(`response ${response.status}`),
    };
    await client({ middleware: [middleware] }).call(getStatus, { id: "abc" });
    expect(seen).toEqual(["request no key", "response 200"]);
    expect(server.count("/status/abc")).toBe(3);
  });

  it("runs per-call middleware after the client's", async () => {
    server.script("/status/abc", json(200, { state: "ok" }));
    const order: string[] = [];
    const mw = (name: string) => ({ onRequest: () => void order.push(name) });
    await client({ middleware: [mw("client")] }).call(getStatus, { id: "abc" }, { middleware: [mw("call")] });
    expect(order).toEqual(["client", "call"]);
  });

  it.each([
    ["client middleware", (mw: object) => client({ middleware: [mw as Middleware] }), undefined],
    ["call middleware", () => client(), (mw: object) => ({ middleware: [mw as Middleware] })],
    ["middleware added later with raw.use()", (mw: object) => {
      const c = client();
      c.raw.use(mw as Middleware);
      return c;
    }, undefined],
  ] as const)("%s reads success and error bodies, and the call still gets them", async (_, make, perCall) => {
    server.script("/status/abc", json(200, { state: "ok" }), json(404, { error: { code: "not_found", message: "No such OTP" } }));
    const bodies: unknown[] = [];
    const middleware = { onResponse: async ({ response }: { response: Response }) => void bodies.push(await response.clone().json()) };
    const c = make(middleware);
    const options = perCall?.(middleware);
    await expect(c.call(getStatus, { id: "abc" }, options)).resolves.toEqual({ state: "ok" });
    await expect(c.call(getStatus, { id: "abc" }, options)).rejects.toMatchObject({ status: 404, code: "not_found" });
    expect(bodies).toEqual([{ state: "ok" }, { error: { code: "not_found", message: "No such OTP" } }]);
  });

  it("a middleware may replace the answer; the call reads the new one", async () => {
    server.script("/status/abc", json(200, { state: "from server" }));
    const replace = { onResponse: () => new Response(JSON.stringify({ state: "from middleware" }), { status: 200, headers: { "content-type": "application/json" } }) };
    await expect(client().call(getStatus, { id: "abc" }, { middleware: [replace] })).resolves.toEqual({ state: "from middleware" });
  });

  it("gets connection errors in onError", async () => {
    server.script("/otp", reset);
    const errors: unknown[] = [];
    await client({ middleware: [{ onError: ({ error }: { error: unknown }) => void errors.push(error) }] })
      .call(sendOtp, { phone: "+33612246400" })
      .catch(() => undefined);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ConnectionError);
  });
});

describe("empty and null-body answers", () => {
  it("returns undefined for a 204", async () => {
    server.script("/verify/123456", empty(204));
    await expect(client().call(verify, { code: "123456" })).resolves.toBeUndefined();
  });

  it("sends HTML error pages through the retry loop like any 502", async () => {
    server.script("/status/abc", text(502, "<html><body>Bad gateway</body></html>"), json(200, { state: "ok" }));
    await expect(client().call(getStatus, { id: "abc" })).resolves.toEqual({ state: "ok" });
  });
});
