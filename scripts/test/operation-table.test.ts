/**
 * Each published package's operation table says what its spec says, read independently of the
 * generator: every operation is there with its method, path, documented success status, money
 * cost and idempotency, and the three billed operations the project promises never to repeat
 * (SMS.cx NewOtp, Ding create-authentication and retry, Equinix receiveCodes, Prelude
 * createVerification) are marked billed.
 */
import { describe, expect, test } from "vitest";
import * as ding from "@otpkit/ding";
import * as equinixMetal from "@otpkit/equinix-metal";
import * as prelude from "@otpkit/prelude";
import * as smscx from "@otpkit/smscx";
import { loadSpec, operations } from "../lib/specs.ts";
import { specPath, vendors, type Vendor } from "../prism/index.ts";

type OperationSpec = (typeof smscx.operationSpecs)[keyof typeof smscx.operationSpecs];

const tables: Record<Vendor, Readonly<Record<string, OperationSpec>>> = {
  smscx: smscx.operationSpecs,
  ding: ding.operationSpecs,
  "equinix-metal": equinixMetal.operationSpecs,
  prelude: prelude.operationSpecs,
};

describe.each(vendors)("%s", (vendor) => {
  const doc = loadSpec(specPath(vendor));
  const ops = operations(doc);

  test("one entry per operation of the spec, nothing else", () => {
    expect(Object.values(tables[vendor]).map((op) => op.id).sort()).toEqual(ops.map((op) => op.operationId).sort());
  });

  test.each(ops.map((op) => [op.operationId, op] as const))("%s", (id, op) => {
    const entry = Object.values(tables[vendor]).find((e) => e.id === id)!;
    const statuses = Object.keys(op.node.responses as object).map(Number).filter((s) => s >= 200 && s < 300);
    expect(entry).toMatchObject({
      method: op.method.toUpperCase(),
      path: op.path,
      successStatus: Math.min(...statuses),
      costsMoney: op.node["x-otpkit-costs-money"] === true,
      idempotent: op.method === "get" || op.node["x-otpkit-idempotent"] === true,
    });
    if (entry.costsMoney) expect(entry.idempotent).toBe(false);
  });
});

test("the billed operations are the ones the vendors bill", () => {
  const billed = vendors.flatMap((vendor) => Object.values(tables[vendor]).filter((op) => op.costsMoney).map((op) => `${vendor} ${op.id}`));
  expect(billed.sort()).toEqual(["ding create-authentication", "ding retry", "equinix-metal receiveCodes", "prelude createVerification", "smscx NewOtp"]);
});
