/**
 * Portability: each vendor package, bundled for the browser, runs in a bare JavaScript realm that
 * has only the WHATWG globals an edge worker or a browser offers (fetch, Request, Response,
 * Headers, AbortController, URL, TextEncoder/Decoder, timers): no `process`, no `require`, no
 * Node built-in. It makes a real call to a loopback server from there.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let server: Server;
let origin = "";
const seen: { url: string; headers: Record<string, unknown> }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", headers: req.headers });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ recovery_codes: ["a1b2c3d4"] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

// Each package is bundled once for the tests below (each runs the bundle in a realm of its own).
const bundles = new Map<string, Promise<string>>();
function bundle(pkg: string): Promise<string> {
  if (!bundles.has(pkg)) bundles.set(pkg, bundleOnce(pkg));
  return bundles.get(pkg)!;
}

async function bundleOnce(pkg: string): Promise<string> {
  const result = await build({
    entryPoints: [path.join(root, "packages", pkg, "dist/index.js")],
    bundle: true,
    format: "iife",
    globalName: "otpkit",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

function bareRealm(): vm.Context {
  const globals = {
    fetch,
    Request,
    Response,
    Headers,
    AbortController,
    AbortSignal,
    URL,
    URLSearchParams,
    TextEncoder,
    TextDecoder,
    FormData,
    Blob,
    setTimeout,
    clearTimeout,
    performance,
    console,
    // WebCrypto and base64, as browsers and edge workers offer them (webhook signature checks).
    crypto,
    atob,
    btoa,
  };
  return vm.createContext({ ...globals });
}

describe.each(["equinix-metal", "smscx", "ding", "prelude"])("@otpkit/%s in a realm without Node", (pkg) => {
  it("has no Node built-in in its browser bundle", async () => {
    const code = await bundle(pkg);
    expect(code).not.toMatch(/require\(["']node:|from ["']node:/);
  });

  it("loads and makes a call", async () => {
    const realm = bareRealm();
    vm.runInContext(await bundle(pkg), realm);
    const check = vm.runInContext("typeof process + ' ' + typeof require + ' ' + typeof Buffer", realm) as string;
    expect(check).toBe("undefined undefined undefined");
    const uuid = "a17fb13d-f4ac-4d93-9439-ef41ab8de390";
    const calls: Record<string, string> = {
      "equinix-metal": `otpkit.createEquinixMetalClient({ apiKey: "k", baseUrl: ${JSON.stringify(origin)} }).findRecoveryCodes()`,
      smscx: `otpkit.createSmscxClient({ apiKey: "k", baseUrl: ${JSON.stringify(origin)} }).getOtpStatus({ otpId: "${uuid}" })`,
      ding: `otpkit.createDingClient({ apiKey: "k", customerUuid: "c", baseUrl: ${JSON.stringify(origin)} }).getAuthenticationStatus({ auth_uuid: "${uuid}" })`,
      prelude: `otpkit.createPreludeClient({ accessToken: "k", baseUrl: ${JSON.stringify(origin)} }).lookup({ phone_number: "+30123456789" })`,
    };
    const result = await (vm.runInContext(calls[pkg]!, realm) as Promise<unknown>);
    expect(result).toEqual({ recovery_codes: ["a1b2c3d4"] });
    expect(seen.at(-1)?.headers["user-agent"]).toMatch(new RegExp(`^otpkit-${pkg}/\\d+\\.\\d+\\.\\d+`));
  });
});

describe("@otpkit/prelude webhook signatures in a realm without Node", () => {
  it("verifies an RSASSA-PSS signature with WebCrypto alone, and refuses a forged one", async () => {
    const pair = await crypto.subtle.generateKey({ name: "RSA-PSS", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign", "verify"]);
    const pem = `-----BEGIN PUBLIC KEY-----\n${Buffer.from(await crypto.subtle.exportKey("spki", pair.publicKey)).toString("base64")}\n-----END PUBLIC KEY-----`;
    const body = JSON.stringify({ id: "evt_1", type: "verify.attempt", created_at: "2026-11-20T09:14:03Z", payload: { verification_id: "vrf_1" } });
    const signature = Buffer.from(await crypto.subtle.sign({ name: "RSA-PSS", saltLength: 32 }, pair.privateKey, new TextEncoder().encode(body))).toString("base64url");
    const realm = bareRealm();
    vm.runInContext(await bundle("prelude"), realm);
    Object.assign(realm, { body, pem, header: `rsassa-pss-sha256=${signature}` });
    const verdict = (code: string) => vm.runInContext(`${code}.then(() => "valid", (e) => e.name + ": " + e.issues[0].message)`, realm) as Promise<string>;
    await expect(verdict("otpkit.verifyPreludeWebhookSignature(body, new Headers({ 'X-Webhook-Signature': header }), pem)")).resolves.toBe("valid");
    await expect(verdict("otpkit.verifyPreludeWebhookSignature(body.replace('vrf_1', 'vrf_2'), header, pem)")).resolves.toMatch(/^ValidationError: does not match the body/);
  });
});
