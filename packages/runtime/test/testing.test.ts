/**
 * The mock engine (`@otpkit/runtime/testing`) on a made-up vendor: routing, the credential and input
 * checks with their documented answers, faults, `Prefer`, the handlers' replies, headers, the request
 * record, `reset()`, the clock and the random source. The vendor packages' own tests run it with
 * their real specs and state machines, through their clients.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import type { OperationSpec } from "../src/index.js";
import { createMock, createMockClock, type MockBehaviour, type MockOptions, type MockSpec } from "../src/testing/index.js";
import { createRandom } from "../src/testing/random.js";
import { readClock } from "../src/testing/clock.js";
import { getStatus, sendOtp, vendor, verify } from "./helpers/vendor.js";

const BASE = "https://api.acme.example";
const KEY = { "x-api-key": "k" };
const error = (code: number) => ({ error: { code, message: `code ${code}` } });

/** Lists things with query parameters: only here to show query values are typed by their schema. */
const list: OperationSpec = {
  id: "List",
  method: "GET",
  path: "/items",
  idempotent: true,
  costsMoney: false,
  returnsBody: true,
  queryParams: ["limit", "all", "tags"],
  hasBody: false,
  input: { type: "object", properties: { query: { type: "object", properties: { limit: { type: "integer", maximum: 10 }, all: { type: "boolean" }, tags: { type: "array", items: { type: "string", enum: ["a", "b"] } } } } } },
};

const spec: MockSpec<"GetStatus" | "SendOtp" | "Verify" | "List"> = {
  vendor: { ...vendor, baseUrl: `${BASE}/v1` },
  operations: {
    GetStatus: {
      operation: getStatus,
      responses: {
        200: { headers: { "X-Request-Id": "example-id", "X-Rate-Limit-Limit": 100 }, examples: { ok: { state: "ok" }, late: { state: "late" } } },
        404: { examples: { notFound: error(404) } },
        405: { examples: { notAllowed: error(405) } },
        429: { headers: { "X-Rate-Limit-Reset": 2114380800 }, examples: { slowDown: error(429) } },
        500: {},
      },
      inputRules: [{ field: "id", rules: ["*"], status: 404, example: "notFound" }],
    },
    SendOtp: {
      operation: sendOtp,
      responses: {
        201: { examples: { sent: { id: "example" } } },
        400: { examples: { phoneMissing: error(1), ttlLow: error(2), ttlType: error(3), badRequest: error(4) } },
        401: { examples: { badKey: error(401) } },
      },
      inputRules: [
        { field: "phone", rules: ["required", "empty"], status: 400, example: "phoneMissing" },
        { field: "ttl", rules: ["minimum"], status: 400, example: "ttlLow" },
        { field: "ttl", rules: ["type"], status: 400, example: "ttlType" },
        { field: "*", rules: ["additionalProperties"], status: 400, example: "badRequest" },
      ],
    },
    Verify: { operation: { ...verify, input: { type: "object", properties: { path: { type: "object", properties: { code: { type: "string", pattern: "^\\d+$" } } } } } }, responses: { 204: {} } },
    List: { operation: list, responses: { 200: { examples: { items: { items: [] } } } } },
  },
};

interface State {
  sent: Map<string, string>;
}

const behaviour: MockBehaviour<State, keyof typeof spec.operations> = {
  createState: () => ({ sent: new Map() }),
  codeFor: (state, id) => state.sent.get(id),
  handlers: {
    SendOtp({ state, body, uuid, code }) {
      const id = uuid();
      state.sent.set(id, code(6));
      return { body: { id, phone: body.phone } };
    },
    GetStatus: ({ state, path }) => (state.sent.has(path.id!) ? { body: { state: "sent" } } : "notFound"),
    List: ({ query, input, now }) => ({ body: { items: [], query, input: input.query, now: now.toISOString() } }),
  },
};

const mockOf = (options?: MockOptions) => createMock(spec, behaviour, options);

/** A full garbage collection, now (V8's `gc`, exposed for this process). */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}
const post = (body: unknown, headers: Record<string, string> = KEY) => ({ method: "POST", headers: { ...headers, "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });

describe("routing", () => {
  it("serves the operations under the base URL's path, and without it, from any origin", async () => {
    const mock = mockOf();
    const sent = await (await mock.fetch(`${BASE}/v1/otp`, post({ phone: "+33612246400" }))).json();
    expect((await mock.fetch(`http://127.0.0.1:4010/status/${sent.id}`, { headers: KEY })).status).toBe(200);
    expect(mock.requests.map((r) => [r.operationId, r.status])).toEqual([["SendOtp", 201], ["GetStatus", 200]]);
  });

  it("answers a path no operation has with a 404 problem", async () => {
    const mock = mockOf();
    const response = await mock.fetch(`${BASE}/v1/nothing`, { headers: KEY });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(mock.requests[0]).toMatchObject({ operationId: undefined, status: 404 });
  });

  it("answers a known path with another method with the documented 405, or a problem, and Allow", async () => {
    const mock = mockOf();
    const documented = await mock.fetch(`${BASE}/v1/status/abc`, { method: "DELETE", headers: KEY });
    expect([documented.status, await documented.json(), documented.headers.get("allow")]).toEqual([405, error(405), "GET"]);
    const undocumented = await mock.fetch(`${BASE}/v1/otp`, { method: "GET", headers: KEY });
    expect([undocumented.status, undocumented.headers.get("content-type"), undocumented.headers.get("allow")]).toEqual([405, "application/problem+json", "POST"]);
  });

  it("decodes path parameters, and keeps one that is not valid percent-encoding as it is", async () => {
    const mock = mockOf();
    await mock.fetch(`${BASE}/status/a%20b`, { headers: KEY });
    await mock.fetch(`${BASE}/status/%E0%A4%A`, { headers: KEY });
    expect(mock.requests.map((r) => r.path.id)).toEqual(["a b", "%E0%A4%A"]);
  });
});

describe("credentials", () => {
  it("accepts any non-empty API key or bearer token, and passes it to the handler", async () => {
    const mock = mockOf();
    expect((await mock.fetch(`${BASE}/otp`, post({ phone: "+33612246400" }, { "x-api-key": "key" }))).status).toBe(201);
    expect((await mock.fetch(`${BASE}/otp`, post({ phone: "+33612246400" }, { authorization: "Bearer token" }))).status).toBe(201);
  });

  it("answers a request without one with the documented 401, or a 401 problem when none is documented", async () => {
    const mock = mockOf();
    const documented = await mock.fetch(`${BASE}/otp`, post({ phone: "+33612246400" }, { "x-api-key": " " }));
    expect([documented.status, await documented.json()]).toEqual([401, error(401)]);
    const undocumented = await mock.fetch(`${BASE}/status/abc`, { headers: { authorization: "Basic x" } });
    expect([undocumented.status, (await undocumented.json()).title]).toEqual([401, "Unauthorized"]);
  });
});

describe("input", () => {
  const send = async (body: unknown) => {
    const response = await mockOf().fetch(`${BASE}/otp`, post(body));
    return [response.status, await response.json()];
  };

  it("answers each mistake with the example its rule names, the first rule that fires winning", async () => {
    expect(await send({})).toEqual([400, error(1)]);
    expect(await send({ phone: "" })).toEqual([400, error(1)]);
    expect(await send({ phone: "+33612246400", ttl: 5 })).toEqual([400, error(2)]);
    expect(await send({ phone: "+33612246400", ttl: "5" })).toEqual([400, error(3)]);
    expect(await send({ phone: "+33612246400", extra: 1 })).toEqual([400, error(4)]);
  });

  it("applies a rule to a field inside an object field, by its dotted path", async () => {
    const options = { type: "object", required: ["size"], properties: { size: { type: "integer", minimum: 4 }, locale: { type: "string" } } } as const;
    const nested: MockSpec<"SendOtp"> = {
      vendor: spec.vendor,
      operations: {
        SendOtp: {
          operation: { ...sendOtp, input: { type: "object", properties: { body: { type: "object", properties: { options } } } } },
          responses: { 201: { examples: { sent: { id: "example" } } }, 400: { examples: { badRequest: error(4), sizeWrong: error(5), sizeMissing: error(6) } } },
          inputRules: [
            { field: "options.size", rules: ["minimum"], status: 400, example: "sizeWrong" },
            { field: "options.size", rules: ["required"], status: 400, example: "sizeMissing" },
          ],
        },
      },
    };
    const mock = createMock(nested, { createState: () => undefined, handlers: {}, codeFor: () => undefined });
    const answer = async (body: unknown) => (await mock.fetch(`${BASE}/otp`, post(body))).json();
    expect(await answer({ options: { size: 3 } })).toEqual(error(5));
    expect(await answer({ options: { locale: "el" } })).toEqual(error(6));
    expect(await answer({ options: { size: 4, locale: 1 } })).toEqual(error(4));
    expect(await answer({})).toEqual({ id: "example" });
  });

  it("answers a mistake no rule names, and a body that is not JSON, with the first 400 example, as Prism does", async () => {
    expect(await send({ phone: "not a phone number" })).toEqual([400, error(1)]);
    expect(await send("{not json")).toEqual([400, error(1)]);
  });

  it("answers with a 422 problem listing the issues when the operation documents no 400", async () => {
    const mock = mockOf();
    const response = await mock.fetch(`${BASE}/items?limit=11`, { headers: KEY });
    expect(response.status).toBe(422);
    expect((await response.json()).detail).toMatch(/query\.limit/);
  });

  it("checks query values as the types their schemas declare (the handler gets them as sent, and as checked)", async () => {
    const response = await mockOf().fetch(`${BASE}/items?limit=3&all=true&other=x`, { headers: KEY });
    expect([response.status, await response.json()]).toMatchObject([200, { query: { limit: "3", all: "true", other: "x" }, input: { limit: 3, all: true } }]);
  });

  it("reads a repeated parameter whose schema is an array as an array (OpenAPI's default form style), each value checked", async () => {
    const mock = mockOf();
    const response = await mock.fetch(`${BASE}/items?tags=a&tags=b`, { headers: KEY });
    expect([response.status, (await response.json()).input]).toEqual([200, { tags: ["a", "b"] }]);
    expect((await mock.fetch(`${BASE}/items?tags=a`, { headers: KEY })).status).toBe(200);
    const wrong = await mock.fetch(`${BASE}/items?tags=a&tags=c`, { headers: KEY });
    expect([wrong.status, (await wrong.json()).detail]).toEqual([422, expect.stringMatching(/query\.tags\[1\]/)]);
  });

  it("applies a rule to a path parameter too", async () => {
    const response = await mockOf().fetch(`${BASE}/status/ab`, { headers: KEY });
    expect([response.status, await response.json()]).toEqual([404, error(404)]);
  });
});

describe("faults", () => {
  it("answers a documented example by name, with the response's headers, replaced where the fault says", async () => {
    const mock = mockOf({ clock: createMockClock("2024-05-09T12:00:00Z"), faults: { GetStatus: { answer: "slowDown", headers: { "Retry-After": "0" } } } });
    const response = await mock.fetch(`${BASE}/status/abc`, { headers: KEY });
    expect([response.status, await response.json()]).toEqual([429, error(429)]);
    expect(response.headers.get("x-rate-limit-reset")).toBe(String(Date.parse("2024-05-09T12:00:01Z") / 1000));
    expect(response.headers.get("retry-after")).toBe("0");
  });

  it("answers a status with its first example, no body, or a problem, as documented", async () => {
    const answers = [];
    for (const status of [404, 500, 503]) {
      const response = await mockOf({ faults: { GetStatus: status } }).fetch(`${BASE}/status/abc`, { headers: KEY });
      answers.push([response.status, await response.text()]);
    }
    expect(answers[0]).toEqual([404, JSON.stringify(error(404))]);
    expect(answers[1]).toEqual([500, ""]);
    expect(answers[2]![0]).toBe(503);
    expect(JSON.parse(answers[2]![1] as string)).toMatchObject({ status: 503, title: "HTTP 503" });
  });

  it("applies to the next `times` valid requests only, and again after reset()", async () => {
    const mock = mockOf({ faults: { SendOtp: { answer: 500, times: 1 } } });
    expect((await mock.fetch(`${BASE}/otp`, post({}))).status).toBe(400); // invalid: the fault waits
    expect((await mock.fetch(`${BASE}/otp`, post({ phone: "+33612246400" }))).status).toBe(500);
    expect((await mock.fetch(`${BASE}/otp`, post({ phone: "+33612246400" }))).status).toBe(201);
    mock.reset();
    expect((await mock.fetch(`${BASE}/otp`, post({ phone: "+33612246400" }))).status).toBe(500);
  });

  it("resets the connection: fetch fails as undici does, handle() gives a network error", async () => {
    const mock = mockOf({ faults: { GetStatus: "reset" } });
    const failure = await mock.fetch(`${BASE}/status/abc`, { headers: KEY }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TypeError);
    expect(((failure as TypeError).cause as { code: string }).code).toBe("ECONNRESET");
    expect((await mock.handle(new Request(`${BASE}/status/abc`, { headers: KEY }))).type).toBe("error");
    expect(mock.requests.map((r) => r.status)).toEqual([undefined, undefined]);
  });

  it("hangs until the request's signal aborts, or until reset() drops the connection", async () => {
    const mock = mockOf({ faults: { GetStatus: "hang" } });
    const controller = new AbortController();
    const pending = mock.fetch(`${BASE}/status/abc`, { headers: KEY, signal: controller.signal });
    controller.abort(new Error("timed out"));
    await expect(pending).rejects.toThrow("timed out");
    const forever = mock.fetch(`${BASE}/status/abc`, { headers: KEY });
    mock.reset();
    await expect(forever).rejects.toMatchObject({ cause: { code: "ECONNRESET" } });
    // Through handle() (msw), a request given up on gets a network error, not a rejection.
    const gaveUp = new AbortController();
    const held = mock.handle(new Request(`${BASE}/status/abc`, { headers: KEY, signal: gaveUp.signal }));
    gaveUp.abort();
    expect((await held).type).toBe("error");
    await expect(mock.fetch(`${BASE}/status/abc`, { headers: KEY, signal: AbortSignal.abort(new Error("already")) })).rejects.toThrow("already");
  });

  it("ends a hang at the caller's abort even after a garbage collection, when nothing else holds the hang", async () => {
    // What a test's call looks like: the mock and its pending request are held only by the call's
    // own promises. A hang that listened to the Request's copy of the signal (which undici links to
    // the caller's through a weak reference) was collected with it and never ended.
    const controller = new AbortController();
    const outcome = new Promise((resolve) => {
      void (async () => mockOf({ faults: { GetStatus: "hang" } }).fetch(`${BASE}/status/abc`, { headers: KEY, signal: controller.signal }))().catch(resolve);
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    collectGarbage();
    controller.abort(new Error("gave up"));
    const stillHanging = new Promise((resolve) => setTimeout(resolve, 2000, "still hanging")).then(String);
    expect(await Promise.race([outcome, stillHanging])).toEqual(new Error("gave up"));
  });

  it("is checked when the mock is created, naming the choices", () => {
    expect(() => mockOf({ faults: { Nope: 500 } })).toThrow(/has no operation Nope; the operations are GetStatus, SendOtp, Verify, List/);
    expect(() => mockOf({ faults: { GetStatus: "slowdown" } })).toThrow(/"slowdown" is not a documented example of GetStatus. Choose one of "ok", "late", "notFound", "notAllowed", "slowDown"/);
    expect(() => mockOf({ faults: { GetStatus: 700 } })).toThrow(/an HTTP status from 200 to 599, got 700/);
    expect(() => mockOf({ faults: { GetStatus: { answer: 500, times: 0 } } })).toThrow(/times must be a whole number ≥ 1, got 0/);
    expect(() => mockOf({ faults: { GetStatus: undefined } })).not.toThrow();
  });
});

describe("Prefer, as Prism reads it", () => {
  const prefer = async (value: string) => {
    const mock = mockOf();
    const response = await mock.fetch(`${BASE}/status/abc`, { headers: { ...KEY, prefer: value } });
    return [response.status, await response.text()];
  };

  it("answers the documented status and example it names", async () => {
    expect(await prefer("code=200, example=late")).toEqual([200, JSON.stringify({ state: "late" })]);
    expect(await prefer("example=notFound")).toEqual([404, JSON.stringify(error(404))]);
    expect(await prefer("code=429")).toEqual([429, JSON.stringify(error(429))]);
    expect(await prefer("code=500")).toEqual([500, ""]);
    expect(await prefer("dynamic=true")).toEqual([404, JSON.stringify(error(404))]); // not Prefer's: the state says unknown
  });

  it("answers 404 when it names nothing documented", async () => {
    expect((await prefer("code=418"))[1]).toMatch(/status code 418 is not defined/);
    expect((await prefer("code=200, example=nope"))[1]).toMatch(/example nope does not exist for status 200/);
    expect((await prefer("example=nope"))[1]).toMatch(/example nope does not exist/);
  });
});

describe("answers", () => {
  it("gives every answer a fresh request id and the declared headers' examples", async () => {
    const mock = mockOf({ faults: { GetStatus: { answer: "ok", times: 2 } } });
    const ids = [];
    for (const _ of [1, 2]) {
      const response = await mock.fetch(`${BASE}/status/abc`, { headers: KEY });
      expect(response.headers.get("x-rate-limit-limit")).toBe("100");
      ids.push(response.headers.get("x-request-id"));
    }
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it("answers the first success example for an operation without a handler", async () => {
    const response = await mockOf().fetch(`${BASE}/verify/123`, { method: "POST", headers: KEY });
    expect([response.status, await response.text()]).toEqual([204, ""]);
  });

  it("refuses a handler's reply that names no documented example", async () => {
    const broken = createMock(spec, { ...behaviour, handlers: { GetStatus: () => "typo" } });
    await expect(broken.fetch(`${BASE}/status/abc`, { headers: KEY })).rejects.toThrow(/the GetStatus handler answered "typo", which is not a documented example of GetStatus/);
  });
});

describe("the record, the state and reset()", () => {
  it("records every request with its parsed body, time and status; codeFor reads the state", async () => {
    const clock = createMockClock("2024-05-09T12:09:31Z");
    const mock = mockOf({ clock });
    const { id } = await (await mock.fetch(`${BASE}/otp`, post({ phone: "+33612246400" }))).json();
    clock.advance(1000);
    await mock.fetch(`${BASE}/otp`, post("{not json"));
    await mock.fetch(`${BASE}/status/${id}`, { headers: KEY });
    expect(mock.requests.map(({ body, at, status }) => ({ body, at: at.toISOString(), status }))).toEqual([
      { body: { phone: "+33612246400" }, at: "2024-05-09T12:09:31.000Z", status: 201 },
      { body: "{not json", at: "2024-05-09T12:09:32.000Z", status: 400 },
      { body: undefined, at: "2024-05-09T12:09:32.000Z", status: 200 },
    ]);
    expect(mock.codeFor(id)).toMatch(/^\d{6}$/);
    mock.reset();
    expect([mock.requests.length, mock.codeFor(id)]).toEqual([0, undefined]);
  });
});

describe("clock and random", () => {
  it("moves only when told, and refuses times the vendors cannot write", () => {
    const clock = createMockClock(Date.parse("2024-05-09T12:00:00Z"));
    clock.advance(60_000);
    expect(clock.now().toISOString()).toBe("2024-05-09T12:01:00.000Z");
    clock.set(new Date("2030-01-01T00:00:00Z"));
    expect(clock.now().toISOString()).toBe("2030-01-01T00:00:00.000Z");
    expect(() => clock.advance(-1)).toThrow(/advance\(\) takes a number of milliseconds ≥ 0, got -1/);
    expect(() => clock.set("10000-01-01T00:00:00Z")).toThrow(/an invalid time is outside the years 1000–9999/);
    expect(() => clock.set(Date.parse("0999-12-31T00:00:00Z"))).toThrow(/0999-12-31T00:00:00.000Z is outside the years 1000–9999/);
    expect(readClock({ now: () => 0 }).toISOString()).toBe("1970-01-01T00:00:00.000Z");
    expect(() => readClock({ now: () => new Date(NaN) })).toThrow(RangeError);
    expect(Date.now() - createMockClock().now().getTime()).toBeLessThan(1000);
  });

  it("draws ids and codes from the random source it is given", () => {
    const seeded = () => {
      let n = 0;
      return () => (n = (n * 9301 + 49297) % 233280) / 233280;
    };
    const [a, b] = [createRandom(seeded()), createRandom(seeded())];
    expect([a.uuid(), a.code(6)]).toEqual([b.uuid(), b.code(6)]);
    expect(createRandom(() => 1).code(3, "ab")).toBe("bbb");
  });
});

describe("portability", () => {
  const dir = join(import.meta.dirname, "../src/testing");
  it("imports only its own modules and the runtime's validator and types: no Node built-in, no other package", () => {
    const imports = readdirSync(dir).flatMap((file) => [...readFileSync(join(dir, file), "utf8").matchAll(/^\s*(?:import|export)\b[^'"]*?from\s*["']([^"']+)["']/gm)].map((m) => m[1]!));
    expect([...new Set(imports.filter((i) => !i.startsWith("./")))].sort()).toEqual(["../errors.js", "../types.js", "../validate.js"]);
  });
});
