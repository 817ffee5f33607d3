/**
 * The typed webhook parsers accept every example payload of their spec, and turn a broken payload
 * into a ValidationError that lists each problem. The payloads come from the specs' named examples.
 */
import { describe, expect, it } from "vitest";
import { parseEventWebhook } from "@otpkit/ding";
import { parseOtpUpdateWebhook, ValidationError } from "@otpkit/smscx";
import { deref, isObject, loadSpec, namedExamples, type Json, type JsonObject } from "../lib/specs.ts";
import { specPath, type Vendor } from "../prism/index.ts";

const parsers: Partial<Record<Vendor, Record<string, (body: unknown) => unknown>>> = {
  smscx: { otpUpdate: parseOtpUpdateWebhook },
  ding: { event: parseEventWebhook },
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

const cases = (["smscx", "ding", "equinix-metal"] as const).flatMap((vendor) => webhookExamples(vendor).map((e) => ({ vendor, ...e })));

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
