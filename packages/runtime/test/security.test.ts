import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ApiError,
  ConfigurationError,
  ConnectionError,
  createVendorClient,
  OtpkitError,
  ValidationError,
  type RetryEvent,
  type VendorSpec,
} from "../src/index.js";
import { freePort } from "./helpers/ports.js";
import { json, redirect, reset, startFaultServer, text, type FaultServer } from "./helpers/fault-server.js";
import { check, getStatus, SECRET, sendOtp, vendor, verify } from "./helpers/vendor.js";

let server: FaultServer;
let other: FaultServer;
beforeEach(async () => {
  [server, other] = await Promise.all([startFaultServer(), startFaultServer()]);
});
afterEach(async () => {
  await Promise.all([server.close(), other.close()]);
});

const client = (options: object = {}) => createVendorClient(vendor, { apiKey: SECRET, baseUrl: server.origin, retry: { baseDelay: 1 }, ...options });
const failure = (promise: Promise<unknown>) => promise.then(() => expect.unreachable("the call should have failed"), (e: unknown) => e);

/** Every way an error can end up in a log. */
function everyView(error: unknown): string {
  const parts = [String(error), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error)];
  for (let e = error as { cause?: unknown } | undefined; e; e = e.cause as typeof e) parts.push(inspect(e, { depth: 10 }));
  return parts.join("\n");
}

describe("credentials", () => {
  it("sends the API key in the spec's header, or a bearer token", async () => {
    server.script("/status/abc", json(200, {}));
    await client().call(getStatus, { id: "abc" });
    await createVendorClient(vendor, { accessToken: "tok_123", baseUrl: server.origin }).call(getStatus, { id: "abc" });
    expect(server.received[0]!.headers["x-api-key"]).toBe(SECRET);
    expect(server.received[1]!.headers.authorization).toBe("Bearer tok_123");
    expect(server.received[1]!.headers["x-api-key"]).toBeUndefined();
  });

  it.each([
    [{}, /pass exactly one credential: apiKey \(sent in the x-api-key header\) or accessToken \(sent in the authorization header\)/],
    [{ apiKey: "" }, /apiKey must be a non-empty string without spaces/],
    [{ apiKey: 42 }, /apiKey must be a non-empty string/],
    [{ apiKey: `${SECRET}\n` }, /apiKey must be a non-empty string without spaces, line breaks or non-ASCII characters \(a copied newline\?\)/],
    [{ apiKey: "a", accessToken: "b" }, /pass exactly one credential/],
  ])("refuses %j when the client is created, not with a 401 later", (credentials, message) => {
    const create = () => createVendorClient(vendor, { baseUrl: server.origin, ...(credentials as object) });
    expect(create).toThrow(ConfigurationError);
    expect(create).toThrow(message);
    expect(server.received).toHaveLength(0);
  });

  it("never puts the credential into a configuration error", () => {
    try {
      createVendorClient(vendor, { apiKey: ` ${SECRET}` });
    } catch (error) {
      expect(everyView(error)).not.toContain(SECRET);
    }
  });

  it("requires the values the client takes once", () => {
    const ding: VendorSpec = { ...vendor, clientOptions: { customerUuid: "customer_uuid" } };
    expect(() => createVendorClient(ding, { apiKey: SECRET })).toThrow(/customerUuid is required: it fills customer_uuid in every request/);
    expect(() => createVendorClient(ding, { apiKey: SECRET, customerUuid: "" })).toThrow(ConfigurationError);
  });

  it("fills a value the client took once into every body, unless the call passes its own", async () => {
    server.script("/check", json(200, { status: "valid" }));
    const ding = createVendorClient({ ...vendor, clientOptions: { customerUuid: "customer_uuid" } }, { apiKey: SECRET, baseUrl: server.origin, customerUuid: "c-1" });
    await ding.call(check, { code: "1" });
    await ding.call(check, { code: "2", customer_uuid: "c-2" });
    expect(server.received.map((r) => JSON.parse(r.body) as unknown)).toEqual([
      { code: "1", customer_uuid: "c-1" },
      { code: "2", customer_uuid: "c-2" },
    ]);
  });
});

describe("base URL", () => {
  it.each([
    ["api.acme.example", /baseUrl must be an absolute URL such as https:\/\/api\.acme\.example/],
    ["ftp://api.acme.example", /baseUrl must be an https: URL without credentials, query or fragment/],
    ["http://api.acme.example", /uses http: for api\.acme\.example, so credentials would travel unencrypted\. Use https:, or set allowInsecureHttp: true/],
    ["https://user:pw@api.acme.example", /must be an https: URL without credentials, query or fragment/],
  ])("refuses %s", (baseUrl, message) => {
    expect(() => createVendorClient(vendor, { apiKey: SECRET, baseUrl })).toThrow(message);
  });

  it.each(["http://localhost:4010", "http://127.0.0.1:4010", "http://[::1]:4010"])("allows http: for loopback %s", (baseUrl) => {
    expect(() => createVendorClient(vendor, { apiKey: SECRET, baseUrl })).not.toThrow();
  });

  it("allows http: elsewhere only when asked explicitly", () => {
    expect(() => createVendorClient(vendor, { apiKey: SECRET, baseUrl: "http://10.0.0.5", allowInsecureHttp: true })).not.toThrow();
  });

  it("defaults to the spec's server and keeps its path", async () => {
    const requested: string[] = [];
    const spy = async (input: Request | string | URL) => {
      requested.push(String(input));
      return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
    };
    await createVendorClient({ ...vendor, baseUrl: "https://api.acme.example/v1/" }, { apiKey: SECRET, fetch: spy }).call(getStatus, { id: "abc" });
    expect(requested).toEqual(["https://api.acme.example/v1/status/abc"]);
  });

  it.each([
    [{ timeout: 0 }, /timeout must be a number of milliseconds ≥ 1, got 0/],
    [{ deadline: -5 }, /deadline must be a number of milliseconds ≥ 1, got -5/],
    [{ retry: { maxAttempts: 1.5 } }, /retry\.maxAttempts must be a whole number ≥ 1, got 1\.5/],
    [{ retry: { baseDelay: -1 } }, /retry\.baseDelay must be a number of milliseconds ≥ 0, got -1/],
    [{ fetch: "nope" }, /the fetch option must be a function/],
  ])("refuses bad options %j", (options, message) => {
    expect(() => createVendorClient(vendor, { apiKey: SECRET, ...(options as object) })).toThrow(message);
  });

  it("refuses bad call options as a rejected call", async () => {
    await expect(client().call(getStatus, { id: "abc" }, { timeout: Number.NaN })).rejects.toThrow(/options\.timeout must be a number of milliseconds ≥ 1, got NaN/);
    expect(server.received).toHaveLength(0);
  });

  it("a call with input or options of the wrong kind is a typed error, not a crash, and nothing is sent", async () => {
    const c = client();
    for (const input of ["abc", 42, ["abc"]]) {
      const error = (await failure(c.call(getStatus, input as never))) as ValidationError;
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toMatch(/the input must be an object of named fields, got (string|number|an array); nothing was sent/);
    }
    for (const options of ["fast", 5]) {
      await expect(c.call(getStatus, { id: "abc" }, options as never)).rejects.toThrow(/the call options \(the last argument\) must be an object, got (string|number)/);
    }
    // null stands for "nothing", as undefined does.
    server.script("/status/abc", json(200, {}));
    await expect(c.call(getStatus, { id: "abc" }, null as never)).resolves.toEqual({});
    expect(server.received).toHaveLength(1);
  });

  it("needs an options object", () => {
    expect(() => createVendorClient(vendor, undefined as never)).toThrow(/pass an options object/);
  });
});

describe("redirects", () => {
  it("never carries credentials to another origin: the redirect is not followed at all", async () => {
    server.script("/status/abc", redirect(307, `${other.origin}/status/abc`));
    other.script("/status/abc", json(200, { state: "stolen" }));
    const error = (await failure(client().call(getStatus, { id: "abc" }))) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(307);
    expect(error.message).toMatch(
      /HTTP 307 redirect to http:\/\/127\.0\.0\.1:\d+\/status\/abc not followed: credentials and requests go only to http:\/\/127\.0\.0\.1:\d+\. If the API moved and you trust the new address, make it the baseUrl\./,
    );
    expect(other.received).toHaveLength(0);
    expect(server.count("/status/abc")).toBe(1);
  });

  it.each([301, 302, 303, 307, 308])("does not send a billed POST a second time on a same-origin %i", async (status) => {
    server.script("/otp", redirect(status, "/otp-again"));
    server.script("/otp-again", json(201, {}));
    const error = (await failure(client().call(sendOtp, { phone: "+33612246400" }))) as ApiError;
    expect(error.status).toBe(status);
    expect(server.received.map((r) => r.path)).toEqual(["/otp"]);
  });

  it("does not retry a redirect", async () => {
    server.script("/status/abc", redirect(302, "/status/abc"));
    await failure(client().call(getStatus, { id: "abc" }));
    expect(server.count("/status/abc")).toBe(1);
  });

  it("refuses a redirect the platform hides (a browser's opaque redirect)", async () => {
    const opaque = async () => Object.defineProperty(new Response(null, { status: 200 }), "type", { value: "opaqueredirect" });
    const error = (await failure(createVendorClient(vendor, { apiKey: SECRET, fetch: opaque }).call(getStatus, { id: "abc" }))) as ApiError;
    expect(error.message).toMatch(/HTTP 200 redirect not followed/);
  });

  it("passes 304 Not Modified through as an answer", async () => {
    server.script("/status/abc", (_req, res) => res.writeHead(304).end());
    await expect(client().call(getStatus, { id: "abc" })).rejects.toMatchObject({ status: 304 });
  });
});

describe("no credential in any message, inspect output, JSON, cause chain or log line", () => {
  it("scrubs a server that echoes the key in its error body and headers", async () => {
    server.script("/otp", json(401, { error: { message: `API key ${SECRET} is not valid` } }, { "x-debug-key": SECRET }));
    const error = (await failure(client().call(sendOtp, { phone: "+33612246400" }))) as ApiError;
    expect(error.message).toMatch(/API key \[REDACTED\] is not valid/);
    expect(error.metadata.headers.get("x-debug-key")).toBe("[REDACTED]");
    expect(everyView(error)).not.toContain(SECRET);
  });

  it("scrubs an HTML page that echoes the key", async () => {
    server.script("/status/abc", text(502, `<html>bad key ${SECRET}</html>`));
    const error = await failure(client({ retry: false }).call(getStatus, { id: "abc" }));
    expect(everyView(error)).not.toContain(SECRET);
    expect(everyView(error)).toContain("[REDACTED]");
  });

  it("scrubs a 2xx body that echoes the key into an OutcomeError", async () => {
    server.script("/check", json(200, { status: "invalid", note: SECRET }));
    const error = await failure(client().call(check, {}));
    expect(everyView(error)).not.toContain(SECRET);
  });

  it("keeps an OTP sent in the URL path out of messages and metadata", async () => {
    server.script("/verify/987654", json(400, { error: { message: "wrong code" } }));
    const error = (await failure(client().call(verify, { code: "987654" }))) as ApiError;
    expect(error.url).toBe(`${server.origin}/verify/[REDACTED]`);
    expect(everyView(error)).not.toContain("987654");
  });

  it("scrubs a short OTP only where it stands alone: a JSON number or a longer word keeps its digits", async () => {
    server.script("/verify/1234", json(400, { error: { message: "code 1234 is wrong; order 12345, ttl 1234" } }));
    const error = (await failure(client().call(verify, { code: "1234" }))) as ApiError;
    expect(error.message).toContain("code [REDACTED] is wrong; order 12345, ttl [REDACTED]");
    expect(error.url).toBe(`${server.origin}/verify/[REDACTED]`);
    // A 2xx body whose numbers contain the OTP still parses: strings are scrubbed after parsing.
    server.script("/verify/1234", json(200, { status: "valid", ttl: 1234, note: "1234" }));
    const data = await client().call({ ...verify, returnsBody: true }, { code: "1234" });
    expect(data).toEqual({ status: "valid", ttl: 1234, note: "[REDACTED]" });
  });

  it("a secret path input left out (validate: false) makes no word a secret", async () => {
    server.script("/verify/%7Bcode%7D", json(400, { error: { message: "code undefined is wrong" } }));
    const error = (await failure(client({ validate: false }).call(verify, {}))) as ApiError;
    expect(server.received[0]!.path).toBe("/verify/%7Bcode%7D");
    expect(error.message).toContain("code undefined is wrong");
  });

  it("a short API key is not cut out of the words around it", async () => {
    server.script("/otp", json(401, { error: { message: "check the key k, then retry" } }));
    const error = (await failure(createVendorClient(vendor, { apiKey: "k", baseUrl: server.origin }).call(sendOtp, { phone: "+33612246400" }))) as ApiError;
    expect(error.message).toContain("check the key [REDACTED], then retry");
  });

  it("ends the vendor's message with one full stop before the advice", async () => {
    server.script("/otp", json(401, { error: { message: "Invalid API key." } }));
    const error = (await failure(client().call(sendOtp, { phone: "+33612246400" }))) as ApiError;
    expect(error.message).toMatch(/: Invalid API key\. Check the credentials\./);
  });

  it("keeps connection errors and their causes clean", async () => {
    server.script("/otp", reset);
    const error = await failure(client().call(sendOtp, { phone: "+33612246400" }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(everyView(error)).not.toContain(SECRET);
  });

  it("replaces a cause whose message carries the key (a custom fetch that logs too much)", async () => {
    const leaky = async () => {
      throw new TypeError(`fetch failed for key ${SECRET}`);
    };
    const error = (await failure(createVendorClient(vendor, { apiKey: SECRET, fetch: leaky, retry: false }).call(getStatus, { id: "abc" }))) as ConnectionError;
    expect((error.cause as Error).message).toBe("fetch failed for key [REDACTED]");
    expect(everyView(error)).not.toContain(SECRET);
  });

  it("keeps secrets in query strings and user info out of URLs", async () => {
    const port = await freePort();
    const { raw } = createVendorClient<Record<string, never>>(vendor, { apiKey: SECRET, baseUrl: `http://127.0.0.1:${port}`, retry: false });
    const get = raw as unknown as { GET: (p: string, i: object) => Promise<unknown> };
    const error = (await failure(get.GET("/status/abc", { params: { query: { token: "t0p", page: 2 } } }))) as OtpkitError;
    expect(error.url).toBe(`http://127.0.0.1:${port}/status/abc?token=%5BREDACTED%5D&page=2`);
  });

  it("gives onRetry no credential", async () => {
    server.script("/status/abc", json(503, {}), json(200, {}));
    const events: RetryEvent[] = [];
    await client({ retry: { baseDelay: 1, onRetry: (e: RetryEvent) => events.push(e) } }).call(getStatus, { id: "abc" });
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events) + inspect(events, { depth: 10 })).not.toContain(SECRET);
  });

  it("keeps the key out of the client object", () => {
    const c = client();
    expect(inspect(c, { depth: 10, showHidden: true })).not.toContain(SECRET);
    expect(JSON.stringify(c)).not.toContain(SECRET);
  });

  it("serialises errors with their message for logs", async () => {
    server.script("/status/abc", json(404, { error: { message: "nope" } }));
    const error = await failure(client().call(getStatus, { id: "abc" }));
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ name: "ApiError", status: 404, message: expect.stringMatching(/nope/) });
  });
});

describe("middleware", () => {
  it("never sees the credentials, which are added below it", async () => {
    server.script("/otp", json(201, {}));
    let seen: Headers | undefined;
    await client({ middleware: [{ onRequest: ({ request }: { request: Request }) => void (seen = request.headers) }] }).call(sendOtp, { phone: "+33612246400" });
    expect(seen?.get("x-api-key")).toBeNull();
    expect(seen?.get("authorization")).toBeNull();
    expect(server.received[0]!.headers["x-api-key"]).toBe(SECRET);
  });

  it("does not get credentials added when it sends the request to another origin", async () => {
    other.script("/status/abc", json(200, {}));
    const elsewhere = { onRequest: ({ request }: { request: Request }) => new Request(request.url.replace(server.origin, other.origin), request) };
    await client({ middleware: [elsewhere] }).call(getStatus, { id: "abc" });
    expect(other.received[0]!.headers["x-api-key"]).toBeUndefined();
  });
});

describe("platform", () => {
  it("uses the global fetch when none is given, looked up at call time", async () => {
    server.script("/status/abc", json(200, { state: "ok" }));
    await expect(client().call(getStatus, { id: "abc" })).resolves.toEqual({ state: "ok" });
  });

  it("explains when the platform has no fetch", () => {
    const original = globalThis.fetch;
    try {
      (globalThis as { fetch?: unknown }).fetch = undefined;
      expect(() => createVendorClient(vendor, { apiKey: SECRET })).toThrow(/this platform has no global fetch/);
    } finally {
      globalThis.fetch = original;
    }
  });

  it("does not set User-Agent in a browser", async () => {
    const seen: Headers[] = [];
    const spy = async (_input: Request | string | URL, init?: RequestInit) => {
      seen.push(new Headers(init?.headers));
      return new Response(null, { status: 204 });
    };
    (globalThis as { document?: unknown }).document = {};
    try {
      await createVendorClient(vendor, { apiKey: SECRET, fetch: spy }).call(verify, { code: "1" });
    } finally {
      delete (globalThis as { document?: unknown }).document;
    }
    expect(seen[0]!.get("user-agent")).toBeNull();
  });
});
