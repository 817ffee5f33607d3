/**
 * The generator's mock data (`src/generated/mock.ts`, scripts/generate/emit-mock.ts) refuses a spec
 * it cannot turn into a faithful mock, naming the place and the fix: an `x-otpkit-invalid-input`
 * rule on an input the operation does not have (or a dotted path into none), with a keyword the runtime does not check, or on a
 * success example; two examples of one operation with the same name (a fault picks one by name); a
 * declared response header without an example value.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { emitMock } from "../generate/emit-mock.ts";
import { buildModel } from "../generate/model.ts";
import { specPath } from "../prism/index.ts";

const work = path.join(path.dirname(fileURLToPath(import.meta.url)), "../.tmp/emit-mock");
mkdirSync(work, { recursive: true });
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { examples: Record<string, Record<string, unknown>> }> }> }>>; components: { headers: Record<string, { schema: Record<string, unknown> }> } };

/** Emits the mock data of a changed copy of specs/smscx.yaml. */
function emitChanged(change: (doc: Doc) => void, name: string): string {
  const doc = parse(readFileSync(specPath("smscx"), "utf8")) as Doc;
  change(doc);
  const file = path.join(work, `${name}.yaml`);
  writeFileSync(file, stringify(doc));
  return emitMock(buildModel({ specPath: file, specLabel: `${name}.yaml`, packageName: "@otpkit/smscx", version: "0.0.0" }), file);
}

const newOtp400 = (doc: Doc) => doc.paths["/otp"]!.post!.responses["400"]!.content!["application/json"]!.examples;

describe("emitMock refuses what it cannot mock faithfully", () => {
  it("emits SMS.cx's rules in the spec's order", () => {
    const text = emitChanged(() => undefined, "unchanged");
    expect(text.indexOf('example: "phoneNumberMissing"')).toBeLessThan(text.indexOf('example: "phoneNumberInvalid"'));
    expect(text).toContain('{ field: "ttl", rules: ["minimum"], status: 400, example: "ttlTooLow" }');
  });

  it("a rule on an input the operation does not have", () => {
    expect(() => emitChanged((doc) => void (newOtp400(doc).ttlTooLow!["x-otpkit-invalid-input"] = { tll: ["minimum"] }), "field")).toThrow(
      /NewOtp response 400 example ttlTooLow: x-otpkit-invalid-input names tll, which is not an input of NewOtp \(phoneNumber, countryIso/,
    );
  });

  it("a dotted path that does not lead into an object field", () => {
    expect(() => emitChanged((doc) => void (newOtp400(doc).ttlTooLow!["x-otpkit-invalid-input"] = { "ttl.seconds": ["minimum"] }), "dotted")).toThrow(/x-otpkit-invalid-input names ttl\.seconds, which is not an input of NewOtp/);
  });

  it("a keyword the runtime does not check", () => {
    expect(() => emitChanged((doc) => void (newOtp400(doc).ttlTooLow!["x-otpkit-invalid-input"] = { ttl: ["multipleOf"] }), "keyword")).toThrow(/ttl: a list of \*, empty, required/);
  });

  it("a rule on a success example", () => {
    const change = (doc: Doc) => void (doc.paths["/otp"]!.post!.responses["201"]!.content!["application/json"]!.examples.created!["x-otpkit-invalid-input"] = { ttl: ["minimum"] });
    expect(() => emitChanged(change, "success")).toThrow(/NewOtp response 201 example created: x-otpkit-invalid-input belongs on an error example/);
  });

  it("two examples of one operation with one name, and a header without an example", () => {
    const twice = (doc: Doc) => void (newOtp400(doc).serverError = { value: { error: { type: "server_error", message: "x", uri: "u", code: 1 } } });
    expect(() => emitChanged(twice, "twice")).toThrow(/example serverError is named twice in NewOtp: a fault picks an example by its name/);
    expect(() => emitChanged((doc) => void delete doc.components.headers["X-Response-Time"]!.schema.examples, "header")).toThrow(/NewOtp response 201 header X-Response-Time: the mock sends every declared header/);
  });
});
