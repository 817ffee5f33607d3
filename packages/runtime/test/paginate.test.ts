/**
 * `paginate` against a real loopback server that serves pages by cursor: every item of every page
 * in order, one request per page with the previous page's cursor and the same filters, no request
 * past the page the loop stops on, and typed errors for pages that cannot be walked.
 */
import type { IncomingMessage } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiError, ConfigurationError, createVendorClient, paginate, ResponseParseError, ValidationError, type OperationSpec } from "../src/index.js";
import { json, startFaultServer, type Behaviour, type FaultServer } from "./helpers/fault-server.js";
import { getStatus, SECRET, vendor } from "./helpers/vendor.js";

/** GET /items?status=…&cursor=…: `{ data: [...], page: { next } }`. */
const listItems: OperationSpec = {
  id: "ListItems",
  method: "GET",
  path: "/items",
  idempotent: true,
  costsMoney: false,
  returnsBody: true,
  hasBody: false,
  queryParams: ["status", "cursor"],
  pagination: { cursor: "cursor", nextCursor: "/page/next", items: "/data" },
  input: { type: "object", properties: { query: { type: "object", properties: { status: { type: "string", enum: ["open", "closed"] }, cursor: { type: "string" } } } } },
};

let server: FaultServer;
/** The query string of each request, in order. */
let queries: URLSearchParams[];
beforeEach(async () => {
  server = await startFaultServer();
  queries = [];
});
afterEach(async () => {
  await server.close();
});

const query = (req: IncomingMessage) => new URL(req.url ?? "/", "http://x").searchParams;

/** Serves `pages` by cursor: page n is asked for with cursor `c<n>` (the first without one). */
function servePages(pages: Record<string, unknown>[]): Behaviour {
  return (req, res, body) => {
    const params = query(req);
    queries.push(params);
    const cursor = params.get("cursor");
    const index = cursor === null ? 0 : Number(cursor.slice(1));
    json(200, pages[index] ?? { data: [] })(req, res, body);
  };
}

const client = () => createVendorClient(vendor, { apiKey: SECRET, baseUrl: server.origin, retry: { baseDelay: 1, maxDelay: 1 } });
const all = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const seen: T[] = [];
  for await (const item of items) seen.push(item);
  return seen;
};
const rejection = async (items: AsyncIterable<unknown>, seen: unknown[] = []): Promise<unknown> => {
  try {
    for await (const item of items) seen.push(item);
  } catch (error) {
    return error;
  }
  return expect.fail("the iteration ended without an error");
};

describe("paginate", () => {
  it("yields every item of every page in order, passing each page's cursor and the same filters", async () => {
    server.script("/items", servePages([{ data: [1, 2], page: { next: "c1" } }, { data: [3], page: { next: "c2" } }, { data: [4, 5] }]));
    expect(await all(paginate(vendor.name, client().call, listItems, { status: "open" }))).toEqual([1, 2, 3, 4, 5]);
    expect(queries.map((q) => [q.get("status"), q.get("cursor")])).toEqual([
      ["open", null],
      ["open", "c1"],
      ["open", "c2"],
    ]);
  });

  it("fetches no page past the one the loop stops in", async () => {
    server.script("/items", servePages([{ data: [1, 2], page: { next: "c1" } }, { data: [3] }]));
    for await (const item of paginate(vendor.name, client().call, listItems)) if (item === 1) break;
    expect(queries).toHaveLength(1);
  });

  it("resumes from a cursor given in the input, and stops at a null, empty or missing next cursor", async () => {
    server.script("/items", servePages([{ data: [0], page: { next: "c1" } }, { data: [1], page: { next: "c2" } }, { data: [2], page: { next: "" } }]));
    expect(await all(paginate(vendor.name, client().call, listItems, { cursor: "c1" }))).toEqual([1, 2]);
    server.script("/items", servePages([{ data: [0], page: { next: null } }]));
    expect(await all(paginate(vendor.name, client().call, listItems))).toEqual([0]);
    server.script("/items", servePages([{ data: [], page: {} }]));
    expect(await all(paginate(vendor.name, client().call, listItems))).toEqual([]);
  });

  it("takes a numeric cursor", async () => {
    server.script("/items", (req, res, body) => {
      queries.push(query(req));
      json(200, query(req).get("cursor") === "2" ? { data: ["b"] } : { data: ["a"], page: { next: 2 } })(req, res, body);
    });
    expect(await all(paginate(vendor.name, client().call, listItems))).toEqual(["a", "b"]);
  });

  it("stops with a ResponseParseError when a page hands back a cursor already used, after yielding what came", async () => {
    server.script("/items", servePages([{ data: [1], page: { next: "c1" } }, { data: [2], page: { next: "c1" } }]));
    const seen: unknown[] = [];
    const error = await rejection(paginate(vendor.name, client().call, listItems), seen);
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as ResponseParseError).message).toMatch(/^Acme OTP ListItems \(GET http:\/\/127\.0\.0\.1:\d+\/items\?cursor=c1\): HTTP 200, but the next cursor at \/page\/next names a page already fetched/);
    expect((error as ResponseParseError).operationId).toBe("ListItems");
    expect(seen).toEqual([1, 2]);
    expect(queries).toHaveLength(2);
  });

  it("refuses a page without an items array, or with a cursor that is not a string", async () => {
    server.script("/items", json(200, { data: { not: "a list" } }));
    expect(await rejection(paginate(vendor.name, client().call, listItems))).toMatchObject({ name: "ResponseParseError", message: expect.stringMatching(/the page has no items array at \/data \(got object\)/) });
    server.script("/items", json(200, { data: [], page: { next: { token: "x" } } }));
    expect(await rejection(paginate(vendor.name, client().call, listItems))).toMatchObject({ name: "ResponseParseError", message: expect.stringMatching(/the next cursor at \/page\/next is not a string or a number \(got object\)/) });
  });

  it("passes a page's error on, after the items before it, with the page's retries", async () => {
    let served = 0;
    server.script("/items", (req, res, body) => {
      served++;
      if (served === 1) json(200, { data: [1], page: { next: "c1" } })(req, res, body);
      else if (served === 2) json(503, { error: { message: "busy" } })(req, res, body);
      else json(400, { error: { code: "bad_cursor", message: "Unknown cursor" } })(req, res, body);
    });
    const seen: unknown[] = [];
    const error = await rejection(paginate(vendor.name, client().call, listItems), seen);
    expect(seen).toEqual([1]);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: "bad_cursor", metadata: { attempts: 2 } });
  });

  it("checks the input like a single call, before any request", async () => {
    const error = await rejection(paginate(vendor.name, client().call, listItems, { status: "pending" }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path: "query.status", message: 'must be one of "open", "closed", got "pending"' }]);
    expect(server.received).toHaveLength(0);
  });

  it("refuses an operation that is not paginated", async () => {
    const error = await rejection(paginate(vendor.name, client().call, getStatus, { id: "abc" }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe("Acme OTP GetStatus is not a paginated operation (its spec has no x-otpkit-pagination): call it directly.");
  });
});
