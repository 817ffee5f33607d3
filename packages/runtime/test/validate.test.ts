import { describe, expect, it } from "vitest";
import { parseWebhook, validate, ValidationError, type Schema } from "../src/index.js";

const messages = (schema: Schema, value: unknown) => validate(schema, value).map((i) => `${i.path}: ${i.message}`);

describe("validate", () => {
  it.each<[Schema, unknown, string[]]>([
    [{ type: "string" }, 5, ["(root): must be a string, got 5"]],
    [{ type: "integer" }, 1.5, ["(root): must be an integer, got 1.5"]],
    [{ type: "number" }, 3, []],
    [{ type: ["string", "null"] }, null, []],
    [{ type: ["string", "null"] }, true, ["(root): must be a string or null, got true"]],
    [{ type: "object" }, [], ["(root): must be an object, got an array"]],
    [{ type: "array" }, {}, ["(root): must be an array, got an object"]],
    [{ enum: ["letters", "numbers"] }, "digits", ['(root): must be one of "letters", "numbers", got "digits"']],
    [{ const: "otp_update" }, "x", ['(root): must be "otp_update", got "x"']],
    [{ minLength: 36, maxLength: 36 }, "abc", ['(root): must be at least 36 characters long, got 3 ("abc")']],
    [{ maxLength: 2 }, "GBR", ['(root): must be at most 2 characters long, got 3 ("GBR")']],
    [{ maxLength: 2 }, "🇫🇷", []],
    [{ pattern: "^[0-9a-f]+$" }, "ABC", ["(root): must match ^[0-9a-f]+$, got \"ABC\""]],
    [{ minimum: 60, maximum: 1800 }, 59, ["(root): must be ≥ 60, got 59"]],
    [{ minimum: 60, maximum: 1800 }, 1801, ["(root): must be ≤ 1800, got 1801"]],
    [{ exclusiveMinimum: 0 }, 0, ["(root): must be > 0, got 0"]],
    [{ exclusiveMaximum: 10 }, 10, ["(root): must be < 10, got 10"]],
    [{ minItems: 1 }, [], ["(root): must have at least 1 items, got 0"]],
    [{ maxItems: 1 }, [1, 2], ["(root): must have at most 1 items, got 2"]],
    [{ items: { type: "string" } }, ["a", 2], ["[1]: must be a string, got 2"]],
    [{ format: "uuid" }, "b2b8b4a2-1f0e-4e8b-9c3a-5d7e6f1a2b3c", []],
    [{ format: "uuid" }, "nope", ['(root): must be a UUID, got "nope"']],
    [{ format: "date-time" }, "2024-05-09T12:09:31Z", []],
    [{ format: "date-time" }, "2024-05-09 12:09:31", ['(root): must be an RFC 3339 date-time, got "2024-05-09 12:09:31"']],
    [{ format: "ipv4" }, "192.168.0.1", []],
    [{ format: "ipv4" }, "256.1.1.1", ['(root): must be an IPv4 address, got "256.1.1.1"']],
    [{ format: "phone_number" }, "+33612246400", []],
    [{ format: "phone_number" }, "0612246400", ['(root): must be an E.164 phone number such as +14155550123, got "0612246400"']],
    [{ format: "uri" }, "https://hooks.example.com/otp", []],
    [{ format: "url" }, "hooks.example.com", ['(root): must be an absolute URL, got "hooks.example.com"']],
    [{ format: "BCP-47" }, "en-US", []],
    [{ format: "BCP-47" }, "zh-Hant-TW", []],
    [{ format: "BCP-47" }, "en_US", ['(root): must be a BCP-47 language tag such as en-US, got "en_US"']],
    [{ format: "made-up" }, "anything", []],
    // Format and pattern both (Ding's phone_number): one message for one problem, in words…
    [{ format: "phone_number", pattern: "^\\+[1-9][0-9]{1,14}$" }, "0612", ['(root): must be an E.164 phone number such as +14155550123, got "0612"']],
    // …and the pattern still applies where it is stricter than the format.
    [{ format: "phone_number", pattern: "^\\+33[0-9]{9}$" }, "+14155550123", ['(root): must match ^\\+33[0-9]{9}$, got "+14155550123"']],
    [{ type: "integer", maximum: 10 }, Number.NaN, ["(root): must be an integer, got NaN"]],
    [{ type: "string", minLength: 2 }, "x".repeat(100), []],
  ])("%j with %j", (schema, value, expected) => {
    expect(messages(schema, value)).toEqual(expected);
  });

  it("shortens long values in messages", () => {
    expect(messages({ maxLength: 3 }, "y".repeat(100))[0]).toMatch(/got 100 \("y{56}…\)$/);
  });

  it("reports required and unknown fields with their paths, every problem at once", () => {
    const schema: Schema = {
      type: "object",
      required: ["a", "b"],
      additionalProperties: false,
      properties: { a: { type: "object", properties: { c: { type: "integer", maximum: 5 } } }, b: { type: "string" } },
    };
    expect(messages(schema, { a: { c: 9 }, z: 1 })).toEqual(["b: is required", "a.c: must be ≤ 5, got 9", "z: is not a field of this request"]);
  });

  it("skips undefined properties, and checks extra ones against a schema", () => {
    expect(messages({ type: "object", properties: { a: { type: "string" } }, additionalProperties: false }, { a: undefined })).toEqual([]);
    expect(messages({ type: "object", additionalProperties: { type: "string" } }, { x: 1 })).toEqual(["x: must be a string, got 1"]);
    expect(messages({ type: "object", additionalProperties: true }, { x: 1 })).toEqual([]);
  });

  it("applies every allOf part, and reports the closest anyOf/oneOf alternative", () => {
    expect(messages({ allOf: [{ minimum: 1 }, { maximum: 3 }] }, 4)).toEqual(["(root): must be ≤ 3, got 4"]);
    const events: Schema = {
      oneOf: [
        { type: "object", required: ["type", "id"], properties: { type: { const: "authentication" }, id: { type: "string" } } },
        { type: "object", required: ["type"], properties: { type: { const: "attempt" } } },
      ],
    };
    expect(messages(events, { type: "attempt" })).toEqual([]);
    expect(messages(events, { type: "authentication", id: 3 })).toEqual(["id: must be a string, got 3"]);
    expect(messages({ anyOf: [{ type: "string" }, { type: "integer" }] }, null)).toEqual(["(root): must be a string, got null"]);
  });
});

describe("parseWebhook", () => {
  const schema: Schema = {
    type: "object",
    required: ["event", "data"],
    properties: { event: { const: "otp_update" }, data: { type: "array", maxItems: 200, items: { type: "object", required: ["otpId"] } } },
  };

  it("accepts the raw body as text, bytes or a parsed object", () => {
    const payload = { event: "otp_update", data: [{ otpId: "x" }] };
    const text = JSON.stringify(payload);
    expect(parseWebhook("SMS.cx", "otpUpdate", schema, text)).toEqual(payload);
    expect(parseWebhook("SMS.cx", "otpUpdate", schema, new TextEncoder().encode(text))).toEqual(payload);
    expect(parseWebhook("SMS.cx", "otpUpdate", schema, new TextEncoder().encode(text).buffer)).toEqual(payload);
    expect(parseWebhook("SMS.cx", "otpUpdate", schema, payload)).toBe(payload);
  });

  it("throws a ValidationError that lists every problem", () => {
    const error = (() => {
      try {
        parseWebhook("SMS.cx", "otpUpdate", schema, { event: "sms_update", data: [{}] });
      } catch (e) {
        return e as ValidationError;
      }
    })()!;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues).toEqual([
      { path: "event", message: 'must be "otp_update", got "sms_update"' },
      { path: "data[0].otpId", message: "is required" },
    ]);
    expect(error.message).toMatch(/SMS\.cx otpUpdate webhook: the payload does not match the spec/);
  });

  it("explains a body that is not JSON", () => {
    expect(() => parseWebhook("Ding", "event", schema, "{oops")).toThrow(/Ding event webhook: the body is not valid JSON/);
  });
});
