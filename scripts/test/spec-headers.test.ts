/**
 * Response headers with an `x-otpkit-header-role` (specs/README.md) are what the runtime reads into
 * response and error metadata, so where a spec declares them matters to SDK users:
 * - a spec that declares a request-id header declares it on every response of every operation,
 *   errors included: an error is when the request id is needed (it is what vendor support asks
 *   for), and the runtime reads it from error answers too. The contract suites
 *   (scripts/contract/suite.ts) then prove, per response, that Prism sends it and the error carries it.
 * - a rate-limit-reset header (Unix epoch seconds) has example values in the future: Prism serves
 *   them, and a client that honours one computes its wait as reset minus now, which a past value
 *   turns negative. (The example date is chosen years ahead; this test says when it is due.)
 */
import { describe, expect, test } from "vitest";
import { asArray, deref, isObject, loadSpec, operations, type Json, type JsonObject, type OpenApiDocument } from "../lib/specs.ts";
import { specPath, vendors } from "../prism/index.ts";

interface DeclaredHeader {
  readonly name: string;
  readonly role: string | undefined;
  readonly node: JsonObject;
}

interface ResponseHeaders {
  readonly where: string;
  readonly status: string;
  readonly headers: readonly DeclaredHeader[];
}

function headersOf(doc: OpenApiDocument, response: JsonObject): DeclaredHeader[] {
  const headers = isObject(response.headers) ? response.headers : {};
  return Object.entries(headers).flatMap(([name, raw]) => {
    const node = deref<JsonObject>(doc, raw);
    if (!isObject(node)) return [];
    const role = node["x-otpkit-header-role"];
    return [{ name, role: typeof role === "string" ? role : undefined, node }];
  });
}

/** Every response of every operation (webhooks excluded: those are the user's own answers). */
function responses(doc: OpenApiDocument): ResponseHeaders[] {
  return operations(doc).flatMap((op) => {
    const all = isObject(op.node.responses) ? op.node.responses : {};
    return Object.entries(all).flatMap(([status, raw]) => {
      const response = deref<JsonObject>(doc, raw);
      return isObject(response) ? [{ where: `${op.operationId} ${status}`, status, headers: headersOf(doc, response) }] : [];
    });
  });
}

/** The example values of a header: its own `example`/`examples`, and its schema's. */
function headerExamples(doc: OpenApiDocument, header: JsonObject): Json[] {
  const values: Json[] = [];
  if ("example" in header) values.push(header.example as Json);
  if (isObject(header.examples)) for (const e of Object.values(header.examples)) values.push(deref<JsonObject>(doc, e)?.value ?? null);
  const schema = deref<JsonObject>(doc, header.schema);
  if (isObject(schema)) {
    if ("example" in schema) values.push(schema.example as Json);
    values.push(...asArray(schema.examples));
  }
  return values;
}

describe.each(vendors)("specs/%s.yaml", (vendor) => {
  const doc = loadSpec(specPath(vendor));
  const all = responses(doc);

  test("declares its request-id header on every response, errors included, if it declares one at all", () => {
    const withId = all.filter((r) => r.headers.some((h) => h.role === "request-id"));
    if (withId.length === 0) return; // The vendor sends no request id (Ding, Equinix Metal).
    expect(all.filter((r) => !withId.includes(r)).map((r) => r.where), "responses without the request-id header").toEqual([]);
  });

  test("gives every rate-limit-reset header example values that are epoch seconds in the future", () => {
    const now = Math.floor(Date.now() / 1000);
    const resets = all.flatMap((r) => r.headers.filter((h) => h.role === "rate-limit-reset").map((h) => ({ where: `${r.where} ${h.name}`, values: headerExamples(doc, h.node) })));
    for (const { where, values } of resets) {
      expect(values.length, `${where} has an example (Prism serves it)`).toBeGreaterThan(0);
      for (const value of values) {
        expect(Number.isInteger(value), `${where}: ${JSON.stringify(value)} is epoch seconds`).toBe(true);
        expect(value as number, `${where}: ${String(value)} (${new Date((value as number) * 1000).toISOString()}) is in the past, so a client would compute a negative wait`).toBeGreaterThan(now);
      }
    }
  });
});
