/**
 * The typed webhook parsers accept every example payload of their spec, and turn a broken payload
 * into a ValidationError that lists each problem. The payloads come from the specs' named examples.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parseEventWebhook } from "@otpkit/ding";
import * as prelude from "@otpkit/prelude";
import { parseOtpUpdateWebhook, ValidationError } from "@otpkit/smscx";
import { deref, isObject, loadSpec, namedExamples, type Json, type JsonObject } from "../lib/specs.ts";
import { specPath, type Vendor } from "../prism/index.ts";

const parsers: Partial<Record<Vendor, Record<string, (body: unknown) => unknown>>> = {
  smscx: { otpUpdate: parseOtpUpdateWebhook },
  ding: { event: parseEventWebhook },
  prelude: {
    event: prelude.parseEventWebhook,
    "verify.authentication": prelude.parseVerifyAuthenticationWebhook,
    "verify.attempt": prelude.parseVerifyAttemptWebhook,
    "verify.delivery_status": prelude.parseVerifyDeliveryStatusWebhook,
  },
};

function webhookExamples(vendor: Vendor): { key: string; name: string; value: Json }[] {
  const doc = loadSpec(specPath(vendor));
  const hooks = isObject(doc.webhooks) ? doc.webhooks : {};
  return Object.entries(hooks).flatMap(([key, item]) => {
    const post = isObject(item) ? deref<JsonObject>(doc, item.post) : undefined;
    const body = isObject(post) ? deref<JsonObject>(doc, post.requestBody) : undefined;
    return [...namedExamples(doc, isObject(body) ? body.content : undefined)].map(([name, e]) => ({ key, name, value: e.value }));
  });
}

const cases = (["smscx", "ding", "equinix-metal", "prelude"] as const).flatMap((vendor) => webhookExamples(vendor).map((e) => ({ vendor, ...e })));

describe("every webhook of every spec has a parser", () => {
  it("covers each webhook key", () => {
    for (const c of cases) expect(parsers[c.vendor]?.[c.key], `${c.vendor} ${c.key}`).toBeTypeOf("function");
    expect(cases.length).toBeGreaterThanOrEqual(4);
  });
});

describe.each(cases.map((c) => [`${c.vendor} ${c.key} example ${c.name}`, c] as const))("%s", (_label, c) => {
  const parse = parsers[c.vendor]![c.key]!;

  it("parses from an object, from text and from bytes", () => {
    expect(parse(c.value)).toEqual(c.value);
    expect(parse(JSON.stringify(c.value))).toEqual(c.value);
    expect(parse(new TextEncoder().encode(JSON.stringify(c.value)))).toEqual(c.value);
  });

  it("refuses a payload whose fields have the wrong types, naming each field", () => {
    const broken = Object.fromEntries(Object.entries(c.value as JsonObject).map(([k, v]) => [k, typeof v === "string" ? 42 : "wrong"]));
    const error = (() => {
      try {
        parse(broken);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.length).toBeGreaterThan(0);
    expect((error as ValidationError).message).toMatch(/webhook: the payload does not match the spec/);
  });
});

describe("smscx otpUpdate specifics", () => {
  const example = webhookExamples("smscx")[0]!.value as { event: string; data: JsonObject[] };

  it("rejects another event name and a status outside the enum, with their paths", () => {
    const bad = { ...example, event: "sms_update", data: [{ ...example.data[0]!, status: "SENT" }] };
    const error = (() => {
      try {
        parseOtpUpdateWebhook(bad);
      } catch (e) {
        return e as ValidationError;
      }
    })()!;
    expect(error.issues.map((i) => i.path)).toEqual(["event", "data[0].status"]);
  });

  it("rejects more than 200 OTPs in one request", () => {
    const many = { ...example, data: Array.from({ length: 201 }, () => example.data[0]!) };
    expect(() => parseOtpUpdateWebhook(many)).toThrow(/data: must have at most 200 items, got 201/);
  });

  it("accepts the doc site's date form and RFC 3339", () => {
    const otp = example.data[0]!;
    expect(() => parseOtpUpdateWebhook({ ...example, data: [{ ...otp, dateCreated: "2021-07-12 14:54:13" }] })).not.toThrow();
    expect(() => parseOtpUpdateWebhook({ ...example, data: [{ ...otp, dateCreated: "2021-07-12T14:54:13Z" }] })).not.toThrow();
    expect(() => parseOtpUpdateWebhook({ ...example, data: [{ ...otp, dateCreated: "12/07/2021" }] })).toThrow(ValidationError);
  });
});

describe("ding event specifics", () => {
  it("tells the event kinds apart by type, and refuses an unknown kind", () => {
    const kinds = webhookExamples("ding").map((e) => (e.value as { type: string }).type);
    expect(new Set(kinds).size).toBeGreaterThanOrEqual(2);
    expect(() => parseEventWebhook({ type: "refund", id: "x" })).toThrow(ValidationError);
  });
});

describe("prelude verify.* events", () => {
  it("narrows any Verify event by type, and refuses an event of another type or a malformed target", () => {
    const events = webhookExamples("prelude").filter((e) => e.key === "event").map((e) => prelude.parseEventWebhook(e.value));
    expect(events.map((e) => e.type).sort()).toEqual(["verify.attempt", "verify.authentication", "verify.delivery_status"]);
    for (const event of events) if (event.type === "verify.delivery_status") expect(event.payload.attempt_id).toMatch(/^att_/);
    const [authentication] = events;
    expect(() => prelude.parseEventWebhook({ ...authentication, type: "verify.refund" })).toThrow(ValidationError);
    expect(() => prelude.parseVerifyAttemptWebhook(authentication)).toThrow(/type: must be "verify.attempt"/);
    const badTarget = { ...authentication!, payload: { ...authentication!.payload, target: { type: "phone_number", value: "0612345678" } } };
    expect(() => prelude.parseEventWebhook(badTarget)).toThrow(/payload.target.value: must be an E.164 phone number/);
  });

  it("accepts a price as a number or a string, and an unlisted delivery status", () => {
    const delivery = webhookExamples("prelude").find((e) => e.key === "verify.delivery_status")!.value as { payload: JsonObject };
    const event = prelude.parseVerifyDeliveryStatusWebhook({ ...delivery, payload: { ...delivery.payload, status: "read", price: { amount: "0.03", currency: "EUR" } } });
    expect(event.payload.status).toBe("read");
  });
});

describe("verifyPreludeWebhookSignature, with a key pair generated here", () => {
  const body = JSON.stringify(webhookExamples("prelude").find((e) => e.key === "verify.authentication")!.value);
  let publicPem = "";
  let sign: (text: string) => Promise<Uint8Array>;

  beforeAll(async () => {
    const pair = await crypto.subtle.generateKey({ name: "RSA-PSS", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign", "verify"]);
    const spki = Buffer.from(await crypto.subtle.exportKey("spki", pair.publicKey)).toString("base64");
    publicPem = `-----BEGIN PUBLIC KEY-----\n${spki.match(/.{1,64}/g)!.join("\n")}\n-----END PUBLIC KEY-----\n`;
    sign = async (text) => new Uint8Array(await crypto.subtle.sign({ name: "RSA-PSS", saltLength: 32 }, pair.privateKey, new TextEncoder().encode(text)));
  });

  const header = (signature: Uint8Array, encoding: "base64url" | "base64") => `rsassa-pss-sha256=${Buffer.from(signature).toString(encoding)}`;

  it("accepts the signature in base64url and in standard base64, from a string, bytes or the headers", async () => {
    const signature = await sign(body);
    // The two encodings of one signature differ (padding, and + / against - _).
    expect(Buffer.from(signature).toString("base64")).not.toBe(Buffer.from(signature).toString("base64url"));
    await expect(prelude.verifyPreludeWebhookSignature(body, header(signature, "base64url"), publicPem)).resolves.toBeUndefined();
    await expect(prelude.verifyPreludeWebhookSignature(body, header(signature, "base64"), publicPem)).resolves.toBeUndefined();
    await expect(prelude.verifyPreludeWebhookSignature(new TextEncoder().encode(body), new Headers({ "x-webhook-signature": header(signature, "base64") }), publicPem)).resolves.toBeUndefined();
    await expect(prelude.verifyPreludeWebhookSignature(Buffer.from(body), { "x-webhook-signature": header(signature, "base64url") }, publicPem)).resolves.toBeUndefined();
    expect(prelude.parseVerifyAuthenticationWebhook(body).type).toBe("verify.authentication");
  });

  it("refuses an altered body, another key's signature, a missing header and a missing prefix, naming the header", async () => {
    const signature = await sign(body);
    const refusal = (promise: Promise<void>) => promise.then(() => expect.fail("accepted"), (error: unknown) => error as ValidationError);
    const altered = await refusal(prelude.verifyPreludeWebhookSignature(body.replace("0.009", "0.000"), header(signature, "base64url"), publicPem));
    expect(altered).toBeInstanceOf(ValidationError);
    expect(altered.issues).toEqual([{ path: "X-Webhook-Signature", message: expect.stringMatching(/does not match the body/) }]);
    const other = await sign(body + " ");
    expect((await refusal(prelude.verifyPreludeWebhookSignature(body, header(other, "base64"), publicPem))).message).toMatch(/does not match/);
    expect((await refusal(prelude.verifyPreludeWebhookSignature(body, undefined, publicPem))).message).toMatch(/X-Webhook-Signature is missing/);
    expect((await refusal(prelude.verifyPreludeWebhookSignature(body, Buffer.from(signature).toString("base64"), publicPem))).message).toMatch(/must start with "rsassa-pss-sha256="/);
  });
});
