/**
 * The generator's mock data (`src/generated/mock.ts`, scripts/generate/emit-mock.ts) refuses a spec
 * it cannot turn into a faithful mock, naming the place and the fix: an `x-otpkit-invalid-input`
 * rule on an input the operation does not have (or a dotted path into none), with a keyword the runtime does not check, or on a
 * success example; two examples of one operation with the same name (a fault picks one by name); a
 * declared response header without an example value.
 */
import { describe, expect, it } from "vitest";
import { emitMock } from "../generate/emit-mock.ts";
import { changedSpec, modelOfChanged } from "./fixtures/changed-spec.ts";

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { examples: Record<string, Record<string, unknown>> }> }> }>>; components: { headers: Record<string, { schema: Record<string, unknown> }> } };

/** Emits the mock data of a changed copy of specs/smscx.yaml. */
function emitChanged(change: (doc: Doc) => void): string {
  const doc = changedSpec("smscx", change);
  return emitMock(modelOfChanged("smscx", doc), doc);
}

const newOtp400 = (doc: Doc) => doc.paths["/otp"]!.post!.responses["400"]!.content!["application/json"]!.examples;

describe("emitMock refuses what it cannot mock faithfully", () => {
  it("emits SMS.cx's rules in the spec's order", () => {
    const text = emitChanged(() => undefined);
    expect(text.indexOf('example: "phoneNumberMissing"')).toBeLessThan(text.indexOf('example: "phoneNumberInvalid"'));
    expect(text).toContain('{ field: "ttl", rules: ["minimum"], status: 400, example: "ttlTooLow" }');
  });

  it("a rule on an input the operation does not have", () => {
    expect(() => emitChanged((doc) => void (newOtp400(doc).ttlTooLow!["x-otpkit-invalid-input"] = { tll: ["minimum"] }))).toThrow(
      /NewOtp response 400 example ttlTooLow: x-otpkit-invalid-input names tll, which is not an input of NewOtp \(phoneNumber, countryIso/,
    );
  });

  it("a dotted path that does not lead into an object field", () => {
    expect(() => emitChanged((doc) => void (newOtp400(doc).ttlTooLow!["x-otpkit-invalid-input"] = { "ttl.seconds": ["minimum"] }))).toThrow(/x-otpkit-invalid-input names ttl\.seconds, which is not an input of NewOtp/);
  });

  it("a keyword the runtime does not check", () => {
    expect(() => emitChanged((doc) => void (newOtp400(doc).ttlTooLow!["x-otpkit-invalid-input"] = { ttl: ["multipleOf"] }))).toThrow(/ttl: a list of \*, empty, required/);
  });

  it("a rule on a success example", () => {
    const change = (doc: Doc) => void (doc.paths["/otp"]!.post!.responses["201"]!.content!["application/json"]!.examples.created!["x-otpkit-invalid-input"] = { ttl: ["minimum"] });
    expect(() => emitChanged(change)).toThrow(/NewOtp response 201 example created: x-otpkit-invalid-input belongs on an error example/);
  });

  it("two examples of one operation with one name, and a header without an example", () => {
    const twice = (doc: Doc) => void (newOtp400(doc).serverError = { value: { error: { type: "server_error", message: "x", uri: "u", code: 1 } } });
    expect(() => emitChanged(twice)).toThrow(/example serverError is named twice in NewOtp: a fault picks an example by its name/);
    expect(() => emitChanged((doc) => void delete doc.components.headers["X-Response-Time"]!.schema.examples)).toThrow(/NewOtp response 201 header X-Response-Time: the mock sends every declared header/);
  });
});
