/**
 * Verifies a webhook's signature header against its raw body with WebCrypto (`crypto.subtle`), so
 * it runs wherever the runtime runs: Node.js ≥ 20, Deno, Bun, edge workers and browsers. What the
 * header is called, how its value is written and which algorithm signs it come from the spec
 * (`x-otpkit-webhook-signature`); nothing here knows a vendor.
 */
import { ConfigurationError, ValidationError } from "./errors.js";

/** How a vendor signs its webhooks, generated from `x-otpkit-webhook-signature`. */
export interface WebhookSignatureSpec {
  /** The request header that carries the signature: `X-Webhook-Signature`. */
  readonly header: string;
  /** What precedes the encoded signature in the header value: `rsassa-pss-sha256=`. */
  readonly prefix?: string;
  /** The signature scheme, by its RFC 8017 name (WebCrypto calls RSASSA-PSS `RSA-PSS`). */
  readonly algorithm: "RSASSA-PSS" | "RSASSA-PKCS1-v1_5";
  readonly hash: "SHA-256" | "SHA-384" | "SHA-512";
  /** RSASSA-PSS salt length in bytes (the digest length, 32 for SHA-256, by convention). */
  readonly saltLength?: number;
  /** The encodings the signature may be written in; each one is accepted. */
  readonly encodings: readonly ("base64url" | "base64")[];
}

/** The raw request body, exactly as it arrived: the signature covers these bytes. */
export type WebhookBody = string | Uint8Array | ArrayBuffer;

/** The signature header's value, or the request's headers to read it from. */
export type WebhookSignatureHeader = string | Headers | Readonly<Record<string, string | readonly string[] | undefined>> | null | undefined;

/** The vendor's public key: a PEM `-----BEGIN PUBLIC KEY-----` (SPKI) text, or a WebCrypto key. */
export type WebhookPublicKey = string | CryptoKey;

/** Imported PEM keys, so a busy endpoint does not parse its key on every request. */
const imported = new Map<string, Promise<CryptoKey>>();

/** WebCrypto's names of the RFC 8017 schemes. */
const WEBCRYPTO_NAMES = { "RSASSA-PSS": "RSA-PSS", "RSASSA-PKCS1-v1_5": "RSASSA-PKCS1-v1_5" } as const;

const ALPHABETS = { base64url: /^[A-Za-z0-9_-]+={0,2}$/, base64: /^[A-Za-z0-9+/]+={0,2}$/ } as const;

/**
 * Resolves when `signature` is a valid signature of `body` under `publicKey`, as `spec` describes
 * it. Rejects with a `ValidationError` naming what is wrong (no header, no prefix, not one of the
 * accepted encodings, or a signature that does not match the body: answer the sender with an
 * error status and drop the event), or with a `ConfigurationError` when the key cannot be used.
 */
export async function verifyWebhookSignature(
  vendor: string,
  spec: WebhookSignatureSpec,
  body: WebhookBody,
  signature: WebhookSignatureHeader,
  publicKey: WebhookPublicKey,
): Promise<void> {
  const reject = (path: string, message: string, next = "Answer the sender with an error status and drop the event.") =>
    new ValidationError(`${vendor} webhook signature: ${path} ${message}. ${next}`, { vendor, issues: [{ path, message }] });
  const bytes = rawBytes(body);
  if (!bytes) throw reject("(body)", `must be the raw request body (a string or bytes), got ${body === null ? "null" : typeof body}`, "Read the body as text or bytes before parsing it: the signature covers those exact bytes.");
  const value = headerValue(signature, spec.header);
  if (value === undefined) throw reject(spec.header, "is missing");
  const prefix = spec.prefix ?? "";
  if (!value.startsWith(prefix)) throw reject(spec.header, `must start with ${JSON.stringify(prefix)}`);
  const decoded = decode(value.slice(prefix.length).trim(), spec.encodings);
  if (!decoded) throw reject(spec.header, `is not ${spec.encodings.join(" or ")} after ${JSON.stringify(prefix)}`);
  const key = await keyFor(vendor, spec, publicKey);
  const name = WEBCRYPTO_NAMES[spec.algorithm];
  const params = spec.algorithm === "RSASSA-PSS" ? { name, saltLength: spec.saltLength ?? 32 } : { name };
  let valid: boolean;
  try {
    valid = await crypto.subtle.verify(params, key, decoded, bytes);
  } catch (cause) {
    throw new ConfigurationError(`${vendor} webhook signature: the public key cannot verify ${spec.algorithm} with ${spec.hash} signatures (${(cause as Error).message}).`, { vendor }, cause);
  }
  if (!valid) throw reject(spec.header, "does not match the body (a forged or altered request, or another key)");
}

function rawBytes(body: WebhookBody): Uint8Array<ArrayBuffer> | undefined {
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  // A copy: WebCrypto wants an ArrayBuffer-backed view, and a Node Buffer may be a slice of a pool.
  if (body instanceof Uint8Array) return new Uint8Array(body);
  return undefined;
}

function headerValue(source: WebhookSignatureHeader, name: string): string | undefined {
  if (source === null || source === undefined) return undefined;
  if (typeof source === "string") return source || undefined;
  if (typeof (source as Headers).get === "function") return (source as Headers).get(name) ?? undefined;
  // A plain object (node:http's `req.headers`): header names in any case; a repeated header is refused.
  const entry = Object.entries(source).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  const values = typeof entry === "string" ? [entry] : (entry ?? []);
  return values.length === 1 && values[0] ? values[0] : undefined;
}

/** The signature's bytes, when it is written in one of the accepted encodings. */
function decode(text: string, encodings: WebhookSignatureSpec["encodings"]): Uint8Array<ArrayBuffer> | undefined {
  if (!encodings.some((encoding) => ALPHABETS[encoding].test(text))) return undefined;
  const base64 = text.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
  // One character past a multiple of four encodes no whole byte: not base64 at all.
  if (base64.length % 4 === 1) return undefined;
  return Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")), (c) => c.charCodeAt(0));
}

function keyFor(vendor: string, spec: WebhookSignatureSpec, publicKey: WebhookPublicKey): Promise<CryptoKey> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new ConfigurationError(`${vendor} webhook signature: this platform has no WebCrypto (crypto.subtle).`, { vendor });
  if (typeof publicKey !== "string") {
    if (publicKey?.type !== "public") throw new ConfigurationError(`${vendor} webhook signature: publicKey must be a PEM public key or a public CryptoKey.`, { vendor });
    return Promise.resolve(publicKey);
  }
  const cacheKey = `${spec.algorithm} ${spec.hash} ${publicKey}`;
  let key = imported.get(cacheKey);
  if (!key) {
    const base64 = /-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----/.exec(publicKey)?.[1]?.replace(/\s+/g, "");
    const der = base64 ? decode(base64, ["base64"]) : undefined;
    if (!der) throw new ConfigurationError(`${vendor} webhook signature: publicKey must be a PEM public key ("-----BEGIN PUBLIC KEY-----" …), as the vendor's dashboard gives it.`, { vendor });
    key = subtle.importKey("spki", der, { name: WEBCRYPTO_NAMES[spec.algorithm], hash: spec.hash }, false, ["verify"]).catch((cause: unknown) => {
      imported.delete(cacheKey);
      throw new ConfigurationError(`${vendor} webhook signature: publicKey is not a ${spec.algorithm} public key (${(cause as Error).message}).`, { vendor }, cause);
    });
    imported.set(cacheKey, key);
  }
  return key;
}
