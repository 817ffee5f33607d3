/**
 * The two extensions issue 19 added to the generator are read from any spec, not from Prelude's:
 * `x-otpkit-pagination` gives an operation a `<method>All` page walker and `x-otpkit-webhook-signature`
 * a `verify<Vendor>WebhookSignature` function, here on a copy of another vendor's spec (SMS.cx); a
 * spec without them gets neither; and a malformed extension is a SpecError that names what to fix.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { emit } from "../generate/emit.ts";
import { buildModel } from "../generate/model.ts";
import { methodsSection } from "../generate/readme.ts";
import { specPath } from "../prism/index.ts";
import { changedSpec, modelOfChanged } from "./fixtures/changed-spec.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "otpkit-extensions-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Doc = { paths: Record<string, Record<string, Record<string, unknown>>>; [key: string]: unknown };
/** The model of `vendor`'s spec as it is. */
const modelOfSpec = (vendor: "smscx" | "prelude") => buildModel({ specPath: specPath(vendor), specLabel: `specs/${vendor}.yaml`, packageName: `@otpkit/${vendor}`, version: "0.0.0" });

/** A signature scheme SMS.cx does not have: only the extension decides what is generated. */
const signature = { header: "X-Smscx-Signature", algorithm: "RSASSA-PKCS1-v1_5", hash: "SHA-256", encodings: ["base64"] };

describe("on another vendor's spec", () => {
  it("emits a verify<Vendor>WebhookSignature that calls the runtime with the spec's settings", async () => {
    const doc = changedSpec<Doc>("smscx", (doc) => (doc["x-otpkit-webhook-signature"] = signature));
    const vendor = modelOfChanged("smscx", doc);
    expect(vendor.webhookSignature).toEqual({ ...signature, functionName: "verifySmscxWebhookSignature" });
    // emit reads the spec file too (openapi-typescript): the changed copy, as JSON (which is YAML).
    const file = path.join(dir, "smscx.json");
    writeFileSync(file, JSON.stringify(doc));
    const files = await emit(vendor, file);
    const webhooks = files.find((f) => f.name === "webhooks.ts")!.content;
    expect(webhooks).toContain("export function verifySmscxWebhookSignature(body: WebhookBody, signature: WebhookSignatureHeader, publicKey: WebhookPublicKey): Promise<void> {");
    expect(webhooks).toContain('return verifyWebhookSignature("SMS.cx", { header: "X-Smscx-Signature", algorithm: "RSASSA-PKCS1-v1_5", hash: "SHA-256", encodings: ["base64"] }, body, signature, publicKey);');
    expect(files.find((f) => f.name === "index.ts")!.content).toContain("export type { WebhookBody, WebhookPublicKey, WebhookSignatureHeader } from \"@otpkit/runtime\";");
    expect(methodsSection(vendor)).toContain("`await verifySmscxWebhookSignature(rawBody, headers, publicKey)`: checks the `X-Smscx-Signature` header (RSASSA-PKCS1-v1_5 with SHA-256; standard base64)");
  });

  it("gives a paginated operation its <method>All walker, in the table, the client, the types and the README", async () => {
    const vendor = modelOfSpec("prelude");
    const files = await emit(vendor, specPath("prelude"));
    const text = (name: string) => files.find((f) => f.name === name)!.content;
    expect(text("spec.ts")).toContain('pagination: { cursor: "cursor", nextCursor: "/next_cursor", items: "/verifications" }');
    expect(text("client.ts")).toContain('listPhoneVerificationsAll: (input, options) => paginate(vendorSpec.name, call, operationSpecs["listPhoneVerifications"], input, options),');
    expect(text("types.ts")).toContain('export type ListPhoneVerificationsItem = NonNullable<NonNullable<ListPhoneVerificationsResult>["verifications"]>[number];');
    expect(text("types.ts")).toContain("listPhoneVerificationsAll(input?: ListPhoneVerificationsInput, options?: CallOptions): AsyncGenerator<ListPhoneVerificationsItem, void, undefined>;");
    expect(methodsSection(vendor)).toContain("- Paginated: `listPhoneVerificationsAll(input?, options?)` is an async generator of every `ListPhoneVerificationsItem` of every page");
  });

  it("emits neither for a spec without the extensions", async () => {
    const vendor = modelOfSpec("smscx");
    expect(vendor.webhookSignature).toBeUndefined();
    expect(vendor.operations.some((op) => op.pagination)).toBe(false);
    const files = await emit(vendor, specPath("smscx"));
    expect(files.find((f) => f.name === "client.ts")!.content).not.toContain("paginate");
    expect(files.find((f) => f.name === "webhooks.ts")!.content).not.toContain("verifyWebhookSignature");
  });
});

describe("a malformed extension is a SpecError naming what to fix", () => {
  const list = (doc: Doc) => doc.paths["/v2/verification/phone/history"]!.get!;
  const cases: [string, "smscx" | "prelude", (doc: Doc) => void, RegExp][] = [
    ["pagination without pointers", "prelude", (doc) => (list(doc)["x-otpkit-pagination"] = { cursor: "cursor" }), /x-otpkit-pagination must be \{cursor: <query parameter>, nextCursor: <JSON pointer>, items: <JSON pointer>\}/],
    ["a cursor that is no query parameter", "prelude", (doc) => (list(doc)["x-otpkit-pagination"] = { cursor: "page", nextCursor: "/next_cursor", items: "/verifications" }), /cursor page is not a query parameter of the operation/],
    ["items that are not an array", "prelude", (doc) => (list(doc)["x-otpkit-pagination"] = { cursor: "cursor", nextCursor: "/next_cursor", items: "/next_cursor" }), /items \/next_cursor is not an array property of the 2xx body/],
    ["a next cursor the body does not have", "prelude", (doc) => (list(doc)["x-otpkit-pagination"] = { cursor: "cursor", nextCursor: "/page/next", items: "/verifications" }), /nextCursor \/page\/next is not a string or integer property of the 2xx body/],
    ["a signature without a header", "smscx", (doc) => (doc["x-otpkit-webhook-signature"] = { ...signature, header: "" }), /x-otpkit-webhook-signature: needs the header that carries the signature/],
    ["an unknown algorithm", "smscx", (doc) => (doc["x-otpkit-webhook-signature"] = { ...signature, algorithm: "HMAC" }), /algorithm must be one of RSASSA-PSS, RSASSA-PKCS1-v1_5/],
    ["an unknown hash", "smscx", (doc) => (doc["x-otpkit-webhook-signature"] = { ...signature, hash: "MD5" }), /hash must be one of SHA-256, SHA-384, SHA-512/],
    ["no encoding", "smscx", (doc) => (doc["x-otpkit-webhook-signature"] = { ...signature, encodings: ["hex"] }), /encodings must list one or more of base64url, base64/],
    ["a prefix that is not text", "smscx", (doc) => (doc["x-otpkit-webhook-signature"] = { ...signature, prefix: 1 }), /prefix must be a string/],
    ["a fractional salt length", "smscx", (doc) => (doc["x-otpkit-webhook-signature"] = { ...signature, saltLength: 1.5 }), /saltLength must be a whole number of bytes/],
  ];
  it.each(cases)("%s", (_name, vendor, change, message) => {
    const doc = changedSpec(vendor, change);
    expect(() => modelOfChanged(vendor, doc)).toThrow(message);
  });
});
