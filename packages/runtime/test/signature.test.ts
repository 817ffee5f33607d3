/**
 * `verifyWebhookSignature` with key pairs generated here, through WebCrypto only: what a genuine
 * signature looks like in each accepted encoding and header form, and the typed refusal of
 * everything else (altered body, other key, missing or malformed header, unusable key).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ConfigurationError, ValidationError, verifyWebhookSignature, type WebhookSignatureSpec } from "../src/index.js";

const PSS: WebhookSignatureSpec = { header: "X-Webhook-Signature", prefix: "rsassa-pss-sha256=", algorithm: "RSASSA-PSS", hash: "SHA-256", saltLength: 32, encodings: ["base64url", "base64"] };
const PKCS1: WebhookSignatureSpec = { header: "X-Signature", algorithm: "RSASSA-PKCS1-v1_5", hash: "SHA-256", encodings: ["base64"] };

const body = '{"id":"evt_1","type":"verify.attempt","payload":{"verification_id":"vrf_1"}}';
const encoder = new TextEncoder();

interface Signer {
  readonly pem: string;
  readonly key: CryptoKey;
  readonly privateKey: CryptoKey;
  sign(text: string): Promise<Buffer>;
}

async function signer(name: "RSA-PSS" | "RSASSA-PKCS1-v1_5"): Promise<Signer> {
  const pair = await crypto.subtle.generateKey({ name, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign", "verify"]);
  const der = Buffer.from(await crypto.subtle.exportKey("spki", pair.publicKey)).toString("base64");
  return {
    pem: `-----BEGIN PUBLIC KEY-----\n${der.match(/.{1,64}/g)!.join("\n")}\n-----END PUBLIC KEY-----\n`,
    key: pair.publicKey,
    privateKey: pair.privateKey,
    sign: async (text) => Buffer.from(await crypto.subtle.sign({ name, saltLength: 32 }, pair.privateKey, encoder.encode(text))),
  };
}

let pss: Signer;
let pkcs1: Signer;
beforeAll(async () => {
  [pss, pkcs1] = await Promise.all([signer("RSA-PSS"), signer("RSASSA-PKCS1-v1_5")]);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const verify = (spec: WebhookSignatureSpec, ...args: Parameters<typeof verifyWebhookSignature> extends [string, WebhookSignatureSpec, ...infer Rest] ? Rest : never) =>
  verifyWebhookSignature("Acme", spec, ...args);
const refusal = (promise: Promise<void>) => promise.then(() => expect.fail("the signature was accepted"), (error: unknown) => error as ValidationError);

describe("a genuine signature", () => {
  it("is accepted in base64url and in base64, padded or not", async () => {
    const signature = await pss.sign(body);
    for (const text of [signature.toString("base64url"), signature.toString("base64"), signature.toString("base64").replace(/=+$/, "")]) {
      await expect(verify(PSS, body, `rsassa-pss-sha256=${text}`, pss.pem)).resolves.toBeUndefined();
    }
  });

  it("is read from a string, Headers, or a node:http headers object in any case", async () => {
    const header = `rsassa-pss-sha256=${(await pss.sign(body)).toString("base64url")}`;
    await expect(verify(PSS, body, new Headers({ "x-webhook-signature": header }), pss.pem)).resolves.toBeUndefined();
    await expect(verify(PSS, body, { "X-WEBHOOK-SIGNATURE": header, host: "example.com" }, pss.pem)).resolves.toBeUndefined();
    await expect(verify(PSS, body, { "x-webhook-signature": [header] }, pss.pem)).resolves.toBeUndefined();
  });

  it("covers the body as bytes: a string, a Uint8Array, an ArrayBuffer or a Buffer slice of a pool", async () => {
    const header = `rsassa-pss-sha256=${(await pss.sign(body)).toString("base64url")}`;
    const bytes = encoder.encode(body);
    const pooled = Buffer.concat([Buffer.from("xx"), Buffer.from(body)]).subarray(2);
    for (const raw of [body, bytes, bytes.buffer, pooled]) await expect(verify(PSS, raw, header, pss.pem)).resolves.toBeUndefined();
  });

  it("is accepted with a CryptoKey, and with RSASSA-PKCS1-v1_5 and no prefix when the spec says so", async () => {
    const { saltLength: _, ...digestLengthSalt } = PSS;
    await expect(verify(digestLengthSalt, body, `rsassa-pss-sha256=${(await pss.sign(body)).toString("base64")}`, pss.key)).resolves.toBeUndefined();
    await expect(verify(PKCS1, body, (await pkcs1.sign(body)).toString("base64"), pkcs1.pem)).resolves.toBeUndefined();
  });
});

describe("a refused signature", () => {
  it("does not match an altered body, or a signature made with another key", async () => {
    const header = `rsassa-pss-sha256=${(await pss.sign(body)).toString("base64url")}`;
    const altered = await refusal(verify(PSS, body.replace("vrf_1", "vrf_2"), header, pss.pem));
    expect(altered).toBeInstanceOf(ValidationError);
    expect(altered.message).toBe(
      "Acme webhook signature: X-Webhook-Signature does not match the body (a forged or altered request, or another key). Answer the sender with an error status and drop the event.",
    );
    expect(altered.issues).toEqual([{ path: "X-Webhook-Signature", message: "does not match the body (a forged or altered request, or another key)" }]);
    const other = await signer("RSA-PSS");
    expect((await refusal(verify(PSS, body, header, other.pem))).message).toMatch(/does not match the body/);
  });

  it("names a missing header, a missing prefix and an encoding that is not accepted", async () => {
    const signature = await pss.sign(body);
    const cases: [Parameters<typeof verify>[2], RegExp][] = [
      [undefined, /X-Webhook-Signature is missing/],
      [null, /X-Webhook-Signature is missing/],
      ["", /X-Webhook-Signature is missing/],
      [new Headers(), /X-Webhook-Signature is missing/],
      [{ "x-webhook-signature": ["a", "b"] }, /X-Webhook-Signature is missing/],
      [{ "x-webhook-signature": undefined }, /X-Webhook-Signature is missing/],
      [signature.toString("base64"), /X-Webhook-Signature must start with "rsassa-pss-sha256="/],
      ["rsassa-pss-sha256=", /X-Webhook-Signature is not base64url or base64 after "rsassa-pss-sha256="/],
      ["rsassa-pss-sha256=ab+c_d", /is not base64url or base64/],
      ["rsassa-pss-sha256=abcde", /is not base64url or base64/],
      ["rsassa-pss-sha256=ab%cd", /is not base64url or base64/],
    ];
    for (const [header, message] of cases) {
      const error = await refusal(verify(PSS, body, header, pss.pem));
      expect(error, String(header)).toBeInstanceOf(ValidationError);
      expect(error.message).toMatch(message);
      expect(error.issues[0]!.path).toBe("X-Webhook-Signature");
    }
    // A spec that accepts base64 only refuses the base64url alphabet.
    expect((await refusal(verify(PKCS1, body, signature.toString("base64").replace(/.$/, "-"), pkcs1.pem))).message).toMatch(/X-Signature is not base64 after ""/);
  });

  it("asks for the raw body when given parsed JSON", async () => {
    for (const parsed of [JSON.parse(body) as object, null]) {
      const error = await refusal(verify(PSS, parsed as unknown as string, "rsassa-pss-sha256=AAAA", pss.pem));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.issues[0]!.path).toBe("(body)");
      expect(error.message).toMatch(/must be the raw request body \(a string or bytes\), got (object|null)\. Read the body as text or bytes/);
    }
  });
});

describe("an unusable key", () => {
  it("is a ConfigurationError: not PEM, another algorithm, a private key, or no WebCrypto", async () => {
    const header = `rsassa-pss-sha256=${(await pss.sign(body)).toString("base64")}`;
    const failure = (key: Parameters<typeof verify>[3], spec = PSS, value = header) => verify(spec, body, value, key).then(() => expect.fail("accepted"), (e: unknown) => e as Error);
    expect(await failure("not a key")).toBeInstanceOf(ConfigurationError);
    expect((await failure("not a key")).message).toMatch(/publicKey must be a PEM public key \("-----BEGIN PUBLIC KEY-----" …\)/);
    const ec = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
    const ecPem = `-----BEGIN PUBLIC KEY-----\n${Buffer.from(await crypto.subtle.exportKey("spki", ec.publicKey)).toString("base64")}\n-----END PUBLIC KEY-----`;
    // Twice: a key that failed to import is not cached as a failure forever.
    for (let i = 0; i < 2; i++) expect((await failure(ecPem)).message).toMatch(/publicKey is not a RSASSA-PSS public key/);
    expect((await failure(pss.privateKey)).message).toMatch(/publicKey must be a PEM public key or a public CryptoKey/);
    expect((await failure(pkcs1.key)).message).toMatch(/the public key cannot verify RSASSA-PSS with SHA-256 signatures/);
    vi.stubGlobal("crypto", undefined);
    expect((await failure(pss.pem)).message).toBe("Acme webhook signature: this platform has no WebCrypto (crypto.subtle).");
  });
});
