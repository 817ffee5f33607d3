/** A refused redirect stays an ApiError about the redirect, whatever its Location and headers hold. */
import { afterEach, beforeEach, expect, it } from "vitest";
import { ApiError, createVendorClient } from "../src/index.js";
import { redirect, startFaultServer, type FaultServer } from "./helpers/fault-server.js";
import { getStatus, SECRET, vendor } from "./helpers/vendor.js";

let server: FaultServer;
beforeEach(async () => {
  server = await startFaultServer();
});
afterEach(async () => {
  await server.close();
});

const client = () => createVendorClient(vendor, { apiKey: SECRET, baseUrl: server.origin });

it("reports a redirect whose Location is not a URL as the redirect, not as a failed connection, and does not retry it", async () => {
  server.script("/status/abc", redirect(302, "http://[not-a-host"));
  const error = (await client()
    .call(getStatus, { id: "abc" })
    .catch((e: unknown) => e)) as ApiError;
  expect(error).toBeInstanceOf(ApiError);
  expect(error.status).toBe(302);
  expect(error.message).toMatch(/HTTP 302 redirect to http:\/\/\[not-a-host not followed/);
  expect(server.count("/status/abc")).toBe(1);
});

it("scrubs the credential from a refused redirect's headers in its metadata", async () => {
  server.script("/status/abc", (_req, res) => {
    res.writeHead(307, { location: "/elsewhere", "x-debug": `key ${SECRET}`, "content-length": "0" });
    res.end();
  });
  const error = (await client()
    .call(getStatus, { id: "abc" })
    .catch((e: unknown) => e)) as ApiError;
  expect(error.status).toBe(307);
  expect(error.metadata.headers.get("x-debug")).toBe("key [REDACTED]");
});
