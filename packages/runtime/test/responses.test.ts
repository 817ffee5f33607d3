import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiError, createVendorClient, OutcomeError, ResponseParseError, ValidationError } from "../src/index.js";
import { cutOff, empty, json, startFaultServer, text, type FaultServer } from "./helpers/fault-server.js";
import { check, getStatus, SECRET, sendOtp, vendor, verify } from "./helpers/vendor.js";

let server: FaultServer;
beforeEach(async () => {
  server = await startFaultServer();
});
afterEach(async () => {
  await server.close();
});

const client = () => createVendorClient(vendor, { apiKey: SECRET, baseUrl: server.origin, retry: false });
const failure = (promise: Promise<unknown>) => promise.then(() => expect.unreachable("the call should have failed"), (e: unknown) => e);

describe("API errors", () => {
  it("carries status, typed body, vendor code and type, message, request id and rate limit", async () => {
    const body = { error: { type: "invalid_pin", code: 2029, message: "Invalid PIN", uri: "https://docs.example/2029" } };
    server.script("/otp", json(400, body, { "x-request-id": "req-7", "x-rate-limit-remaining": "3" }));
    const error = (await failure(client().call(sendOtp, { phone: "+33612246400" }))) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      name: "ApiError",
      status: 400,
      body,
      code: 2029,
      type: "invalid_pin",
      requestId: "req-7",
      rateLimit: { remaining: 3 },
      operationId: "SendOtp",
      method: "POST",
      url: `${server.origin}/otp`,
      vendor: "Acme OTP",
    });
    expect(error.message).toBe(
      `Acme OTP SendOtp (POST ${server.origin}/otp): HTTP 400 invalid_pin 2029: Invalid PIN. Resent unchanged, it fails again; error.code and error.body say why. (request id req-7)`,
    );
  });

  it("joins a list of messages (Equinix's errors array)", async () => {
    server.script("/status/abc", json(422, { errors: ["OTP is not enabled", "phone missing"] }));
    const error = (await failure(client().call(getStatus, { id: "abc" }))) as ApiError;
    expect(error.message).toMatch(/HTTP 422: OTP is not enabled; phone missing\. Resent unchanged/);
    expect(error.code).toBeUndefined();
  });

  it("leaves code and type undefined for a vendor whose errors carry none (Equinix)", async () => {
    server.script("/status/abc", json(400, { error: "Invalid OTP" }));
    const equinixLike = { ...vendor, errorFields: { message: ["/error", "/errors"] } };
    const error = (await failure(createVendorClient(equinixLike, { apiKey: SECRET, baseUrl: server.origin }).call(getStatus, { id: "abc" }))) as ApiError;
    expect(error).toMatchObject({ code: undefined, type: undefined, body: { error: "Invalid OTP" } });
    expect(error.message).toMatch(/\(GET [^)]+\): HTTP 400: Invalid OTP\. Resent unchanged/);
  });

  it("uses the status alone when the vendor names no error fields", async () => {
    server.script("/status/abc", json(409, { whatever: 1 }));
    const bare = { ...vendor, errorFields: undefined };
    const error = (await failure(createVendorClient(bare, { apiKey: SECRET, baseUrl: server.origin }).call(getStatus, { id: "abc" }))) as ApiError;
    expect(error.message).toMatch(/: HTTP 409\. See error\.body\./);
  });

  it.each([
    [401, /Check the credentials/],
    [403, /not allowed to do this/],
    [404, /Check the identifiers/],
    [405, /See error\.body/],
    [429, /Too many requests: slow down/],
    [418, /See error\.body/],
  ])("tells what to do next for HTTP %i", async (status, hint) => {
    server.script("/status/abc", json(status, {}));
    const error = (await failure(client().call(getStatus, { id: "abc" }))) as ApiError;
    expect(error.message).toMatch(hint);
  });

  it("says a 5xx on a billed call may have taken effect", async () => {
    server.script("/otp", json(500, { error: { message: "boom" } }));
    const error = (await failure(client().call(sendOtp, { phone: "+33612246400" }))) as ApiError;
    expect(error.message).toMatch(/HTTP 500: boom\. Not retried: SendOtp costs money; check whether it took effect/);
  });

  it("keeps an empty error body as undefined (a load balancer's bare 503)", async () => {
    server.script("/status/abc", empty(503));
    const error = (await failure(client().call(getStatus, { id: "abc" }))) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(ResponseParseError);
    expect(error.body).toBeUndefined();
    expect(error.message).toMatch(/HTTP 503\. Acme OTP had a problem; try again later\./);
  });
});

describe("unparseable answers", () => {
  it("reports an HTML 502 page from a proxy as a ResponseParseError that is also an ApiError", async () => {
    server.script("/status/abc", text(502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"));
    const error = (await failure(client().call(getStatus, { id: "abc" }))) as ResponseParseError;
    expect(error).toBeInstanceOf(ResponseParseError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(502);
    expect(error.text).toMatch(/^<html>/);
    expect(error.message).toMatch(/HTTP 502 came with a body that is not JSON, probably from a proxy \(text\/html\)/);
  });

  it("reports JSON cut off in the middle", async () => {
    server.script("/otp", text(201, '{"otpId":"0f6c', "application/json"));
    const error = (await failure(client().call(sendOtp, { phone: "+33612246400" }))) as ResponseParseError;
    expect(error).toBeInstanceOf(ResponseParseError);
    expect(error.status).toBe(201);
    expect(error.text).toBe('{"otpId":"0f6c');
    expect(error.message).toMatch(/HTTP 201 body is not valid JSON \(.*\): cut off, or not from the API \(application\/json\)/);
  });

  it("reports an empty 200 where the API documents JSON", async () => {
    server.script("/otp", empty(200));
    const error = (await failure(client().call({ ...sendOtp, successStatus: 201 }, { phone: "+33612246400" }))) as ResponseParseError;
    expect(error).toBeInstanceOf(ResponseParseError);
    expect(error.message).toMatch(/HTTP 200 body is empty, but the API documents a JSON body \(HTTP 201\)/);
  });

  it("reports a 200 HTML page (a captive portal) where JSON was expected", async () => {
    server.script("/status/abc", text(200, "<html>Sign in to Wi-Fi</html>"));
    const error = (await failure(client().call(getStatus, { id: "abc" }))) as ResponseParseError;
    expect(error).toBeInstanceOf(ResponseParseError);
    expect(error.message).toMatch(/text\/html/);
  });

  it("accepts an empty body where the API documents none", async () => {
    server.script("/verify/123456", empty(200));
    await expect(client().call(verify, { code: "123456" })).resolves.toBeUndefined();
  });

  it("lets a body that broke off reach no caller as data", async () => {
    server.script("/otp", cutOff(201, '{"otpId":'));
    await expect(client().call(sendOtp, { phone: "+33612246400" })).rejects.toMatchObject({ name: "ConnectionError" });
  });
});

describe("outcomes inside a 2xx body", () => {
  it("throws an OutcomeError when the status field is not a success value", async () => {
    server.script("/check", json(200, { authentication_uuid: "a1", status: "rate_limited" }));
    const error = (await failure(client().call(check, {}))) as OutcomeError;
    expect(error).toBeInstanceOf(OutcomeError);
    expect(error).toMatchObject({ outcome: "rate_limited", body: { status: "rate_limited" }, operationId: "check" });
    expect(error.metadata.status).toBe(200);
    expect(error.message).toMatch(/check \(POST .*\/check\): HTTP 200, but status is "rate_limited", not valid: the operation did not happen \(error\.outcome says why\)/);
  });

  it("throws when the status field is missing: no success can be assumed", async () => {
    server.script("/check", json(200, {}));
    const error = (await failure(client().call(check, {}))) as OutcomeError;
    expect(error.outcome).toBeUndefined();
    expect(error.message).toMatch(/status is missing/);
  });

  it("returns the body when the status is a success value", async () => {
    server.script("/check", json(200, { status: "valid" }));
    await expect(client().call(check, {})).resolves.toEqual({ status: "valid" });
  });
});

describe("metadata", () => {
  it("is available on success through withMetadata() without a second call", async () => {
    server.script("/status/abc", json(200, { state: "ok" }, { "x-request-id": "r-1" }));
    const promise = client().call(getStatus, { id: "abc" });
    const { data, metadata } = await promise.withMetadata();
    await expect(promise).resolves.toEqual(data);
    expect(metadata.requestId).toBe("r-1");
    expect(server.count("/status/abc")).toBe(1);
  });

  it("rejects withMetadata() with the same typed error, and leaves no unhandled rejection", async () => {
    server.script("/status/abc", json(404, {}));
    await expect(client().call(getStatus, { id: "abc" }).withMetadata()).rejects.toBeInstanceOf(ApiError);
  });

  it("sends the User-Agent naming the package and version, and asks for JSON", async () => {
    server.script("/status/abc", json(200, {}));
    await client().call(getStatus, { id: "abc" });
    expect(server.received[0]!.headers["user-agent"]).toBe("otpkit-acme/1.2.3");
    expect(server.received[0]!.headers.accept).toBe("application/json");
  });

  it("adds the client's and the call's headers", async () => {
    server.script("/status/abc", json(200, {}));
    await createVendorClient(vendor, { apiKey: SECRET, baseUrl: server.origin, headers: { "x-team": "growth" } }).call(
      getStatus,
      { id: "abc" },
      { headers: { "x-trace": "t1" } },
    );
    expect(server.received[0]!.headers).toMatchObject({ "x-team": "growth", "x-trace": "t1" });
  });
});

describe("input validation before sending", () => {
  it("lists every problem with its path and sends nothing", async () => {
    server.script("/otp", json(201, {}));
    const error = (await failure(client().call(sendOtp, { phone: "0612", ttl: 5000, colour: "red" }))) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues).toEqual([
      { path: "body.phone", message: 'must be an E.164 phone number such as +14155550123, got "0612"' },
      { path: "body.ttl", message: "must be ≤ 1800, got 5000" },
      { path: "body.colour", message: "is not a field of this request" },
    ]);
    expect(error.message).toMatch(/invalid input, nothing was sent\.\n {2}body\.phone: .*\n {2}body\.ttl: must be ≤ 1800, got 5000/);
    expect(server.received).toHaveLength(0);
  });

  it("checks path parameters and reports inputs the operation does not take", async () => {
    const error = (await failure(client().call(getStatus, { id: "ab", extra: 1 }))) as ValidationError;
    expect(error.issues).toEqual([
      { path: "path.id", message: 'must be at least 3 characters long, got 2 ("ab")' },
      { path: "extra", message: "is not an input of GetStatus" },
    ]);
    expect(server.received).toHaveLength(0);
  });

  it("can be turned off per client or per call, so the vendor's own errors can be tested", async () => {
    server.script("/otp", json(400, { error: { message: "ttl too big" } }));
    const noCheck = createVendorClient(vendor, { apiKey: SECRET, baseUrl: server.origin, validate: false });
    await expect(noCheck.call(sendOtp, { phone: "+33612246400", ttl: 5000 })).rejects.toMatchObject({ status: 400 });
    await expect(client().call(sendOtp, { phone: "+33612246400", ttl: 5000 }, { validate: false })).rejects.toMatchObject({ status: 400 });
    expect(server.count("/otp")).toBe(2);
    expect(JSON.parse(server.received[0]!.body)).toEqual({ phone: "+33612246400", ttl: 5000 });
  });
});

describe("a middleware that answers by itself", () => {
  it("gets its response parsed like any other, with zero attempts", async () => {
    const cache = { onRequest: () => new Response(JSON.stringify({ state: "cached" }), { status: 200, headers: { "content-type": "application/json" } }) };
    const { data, metadata } = await createVendorClient(vendor, { apiKey: SECRET, baseUrl: server.origin, middleware: [cache] })
      .call(getStatus, { id: "abc" })
      .withMetadata();
    expect(data).toEqual({ state: "cached" });
    expect(metadata).toMatchObject({ attempts: 0, url: `${server.origin}/status/{id}` });
    expect(server.received).toHaveLength(0);
  });
});
