/**
 * Inputs are checked against the spec before anything is sent. For every constrained input field
 * of every operation of every spec (the table comes from scripts/lib/bounds.ts): each value just
 * outside a constraint throws a ValidationError naming the field, and no request reaches the wire
 * (a local server counts them); each value just inside passes the client's check and is accepted
 * by Prism, started from the same spec with --errors (the test run's shared server under `pnpm test`,
 * scripts/prism/shared.ts), without a violation.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDingClient } from "@otpkit/ding";
import { createEquinixMetalClient } from "@otpkit/equinix-metal";
import { createPreludeClient } from "@otpkit/prelude";
import { createSmscxClient, ValidationError } from "@otpkit/smscx";
import { buildModel, type OperationModel } from "../generate/model.ts";
import { boundCases, type BoundCase } from "../lib/bounds.ts";
import { deref, isObject, loadSpec, namedExamples, operations, type Json, type JsonObject, type OpenApiDocument } from "../lib/specs.ts";
import { specPath, vendors, type Vendor } from "../prism/index.ts";
import { acquirePrisms, releaseAll, type PrismHandle } from "../prism/shared.ts";

type AnyClient = Record<string, (input?: object, options?: object) => Promise<unknown> & { withMetadata(): Promise<{ metadata: { headers: Headers } }> }>;

const customerUuid = "cf2edc1c-7fc6-48fb-86da-b7508c6b7b71";
const clientFor = (vendor: Vendor, baseUrl: string, validate = true): AnyClient =>
  (vendor === "smscx"
    ? createSmscxClient({ apiKey: "k", baseUrl, validate, retry: false })
    : vendor === "ding"
      ? createDingClient({ apiKey: "k", customerUuid, baseUrl, validate, retry: false })
      : vendor === "prelude"
        ? createPreludeClient({ accessToken: "k", baseUrl, validate, retry: false })
        : createEquinixMetalClient({ apiKey: "k", baseUrl, validate, retry: false })) as unknown as AnyClient;

/** A valid flat input with every field the spec has an example for: params plus the richest body example. */
function fullInput(doc: OpenApiDocument, op: OperationModel): Record<string, Json> {
  const specOp = operations(doc).find((o) => o.operationId === op.id)!;
  const input: Record<string, Json> = {};
  for (const p of specOp.parameters) if (p.example !== undefined) input[String(p.name)] = p.example as Json;
  const body = deref<JsonObject>(doc, specOp.node.requestBody);
  if (isObject(body)) {
    const examples = [...namedExamples(doc, body.content).values()].map((e) => e.value).filter(isObject);
    const richest = examples.sort((a, b) => Object.keys(b).length - Object.keys(a).length)[0] ?? {};
    // Client-filled fields (Ding's customer_uuid) stay in: a call may pass its own, and it is checked too.
    Object.assign(input, richest);
  }
  return input;
}

const table = vendors.flatMap((vendor) => {
  const model = buildModel({ specPath: specPath(vendor), specLabel: `specs/${vendor}.yaml`, packageName: `@otpkit/${vendor}`, version: "0.0.0" });
  const doc = loadSpec(specPath(vendor));
  return model.operations.flatMap((op) => boundCases(op, fullInput(doc, op)).map((c) => ({ vendor, ...c })));
});
const label = (c: BoundCase & { vendor: Vendor }) => `${c.vendor} ${c.operationId} ${c.field} ${c.constraint}: ${JSON.stringify(c.input[c.field.split(".")[1]!]) ?? "(missing)"}`;

let prisms: Record<Vendor, PrismHandle>;
let counter: Server;
let counted = 0;
let counterUrl = "";

beforeAll(async () => {
  counter = createServer((_req, res) => {
    counted++;
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => counter.listen(0, "127.0.0.1", resolve));
  counterUrl = `http://127.0.0.1:${(counter.address() as AddressInfo).port}`;
  prisms = await acquirePrisms(vendors);
}, 90_000);

afterAll(async () => {
  await releaseAll(Object.values<PrismHandle>(prisms ?? {}));
  await new Promise((resolve) => counter?.close(resolve));
});

describe("the boundary table", () => {
  it("covers every constrained field of every operation", () => {
    const fields = new Set(table.map((c) => `${c.vendor} ${c.operationId} ${c.field}`));
    expect(fields.size).toBeGreaterThan(30);
    for (const must of ["smscx NewOtp body.ttl", "smscx NewOtp body.from", "smscx VerifyPin path.otpId", "ding create-authentication body.phone_number", "ding retry body.authentication_uuid"]) {
      expect(fields).toContain(must);
    }
    expect(table.some((c) => c.inside)).toBe(true);
  });
});

describe.each(table.filter((c) => !c.inside).map((c) => [label(c), c] as const))("outside: %s", (_name, c) => {
  it("throws a ValidationError naming the field, and sends nothing", async () => {
    const before = counted;
    const client = clientFor(c.vendor, counterUrl);
    const error = await client[c.methodName]!(c.input).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).issues.map((i) => i.path);
    expect(paths).toContain(c.field);
    expect(counted).toBe(before);
  });
});

describe.each(table.filter((c) => c.inside).map((c) => [label(c), c] as const))("inside: %s", (_name, c) => {
  it("passes the client's check and Prism accepts it without a violation", async () => {
    const client = clientFor(c.vendor, prisms[c.vendor].url);
    const { metadata } = await client[c.methodName]!(c.input).withMetadata();
    expect(metadata.headers.get("sl-violations")).toBeNull();
  });
});

describe("turning validation off", () => {
  it("lets the vendor (here Prism, from the same spec) judge the input instead", async () => {
    const ttl = table.find((c) => c.vendor === "smscx" && c.field === "body.ttl" && !c.inside)!;
    const error = (await clientFor("smscx", prisms.smscx.url, false)[ttl.methodName]!(ttl.input).catch((e: unknown) => e)) as { status?: number };
    expect(error.status).toBe(400);
    const off = clientFor("smscx", counterUrl);
    const before = counted;
    await off[ttl.methodName]!(ttl.input, { validate: false }).catch(() => undefined);
    expect(counted).toBe(before + 1);
  });
});
