/**
 * A named call that no middleware can see skips openapi-fetch's request pipeline (call.ts,
 * `sendDirect`): it builds the request with openapi-fetch's serializers and hands it to the
 * transport. These tests hold it to sending, byte for byte, what the same call sends through the
 * pipeline (a middleware that changes nothing puts it there).
 */
import { describe, expect, it } from "vitest";
import { createVendorClient, type CallOptions, type OperationSpec } from "../src/index.js";
import { getStatus, SECRET, sendOtp, vendor } from "./helpers/vendor.js";

/** GET with every kind of parameter: path, query (a list among them) and header. */
const search: OperationSpec = {
  id: "Search",
  method: "GET",
  path: "/accounts/{account}/otps",
  idempotent: true,
  costsMoney: false,
  returnsBody: true,
  hasBody: false,
  pathParams: ["account"],
  queryParams: ["status", "limit", "tags"],
  headerParams: ["x-idempotency-key"],
};

interface Sent {
  readonly method: string;
  readonly url: string;
  readonly headers: [string, string][];
  readonly body: string | undefined;
}

/** Makes the call once directly and once through a middleware that changes nothing; returns both requests as sent. */
async function sendBothWays(operation: OperationSpec, input: object, options: CallOptions = {}): Promise<{ direct: Sent; pipeline: Sent }> {
  const sent: Sent[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    const body = init?.body === undefined ? undefined : typeof init.body === "string" ? init.body : new TextDecoder().decode(init.body as ArrayBuffer);
    sent.push({ method: init!.method!, url: String(url), headers: [...new Headers(init!.headers).entries()], body });
    return new Response(JSON.stringify({ state: "ok" }), { status: 200, headers: { "content-type": "application/json" } });
  };
  const client = createVendorClient(vendor, { apiKey: SECRET, baseUrl: "https://api.acme.example/v1", fetch, validate: false });
  await client.call(operation, input, options);
  await client.call(operation, input, { ...options, middleware: [{ onRequest: () => undefined }] });
  return { direct: sent[0]!, pipeline: sent[1]! };
}

describe("a call without middleware sends what openapi-fetch's pipeline sends", () => {
  it.each([
    ["a path parameter that needs encoding", getStatus, { id: "a b/ü?#%" }, {}],
    ["path, query (a list among them) and header parameters", search, { account: "acc 1", status: "sent", limit: 20, tags: ["a", "b c"], "x-idempotency-key": "k-1" }, {}],
    ["a query parameter left out", search, { account: "acc", "x-idempotency-key": "k-1" }, {}],
    ["a JSON body", sendOtp, { phone: "+33612246400", ttl: 300 }, {}],
    ["the call's own headers", sendOtp, { phone: "+33612246400" }, { headers: { "x-trace": "t-1", accept: "application/problem+json" } }],
    ["a Content-Type of the caller's (form encoding)", sendOtp, { phone: "+33612246400" }, { headers: { "content-type": "application/x-www-form-urlencoded" } }],
  ] as const)("%s", async (_, operation, input, options) => {
    const { direct, pipeline } = await sendBothWays(operation, input, options);
    expect(direct).toEqual(pipeline);
    expect(direct.headers).toContainEqual(["x-api-key", SECRET]);
  });

  it("serializes as openapi-fetch does (spot checks of the request above)", async () => {
    const { direct } = await sendBothWays(search, { account: "acc 1", status: "sent", tags: ["a", "b c"], "x-idempotency-key": "k-1" });
    expect(direct.url).toBe("https://api.acme.example/v1/accounts/acc%201/otps?status=sent&tags=a&tags=b%20c");
    expect(direct.headers).toContainEqual(["x-idempotency-key", "k-1"]);
    const form = await sendBothWays(sendOtp, { phone: "+33612246400" }, { headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(form.direct.body).toBe("phone=%2B33612246400");
  });
});
