/**
 * What the generated TSDoc and the package READMEs promise about retries is what the runtime does.
 *
 * The generator writes the retried statuses into every idempotent method's TSDoc from its own list
 * (scripts/generate/emit.ts `RETRIED_STATUSES`: the `generate` task must not read the runtime), and
 * the contract suite keeps a third copy (scripts/contract/table.ts). All three must be the runtime's
 * `RETRY_STATUSES`, read here from the built @otpkit/runtime that the vendor packages depend on.
 * The default time limits the TSDoc names (`DEFAULT_LIMITS`) are checked against the runtime's the
 * same way.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import * as ding from "@otpkit/ding";
import * as equinixMetal from "@otpkit/equinix-metal";
import * as prelude from "@otpkit/prelude";
import * as smscx from "@otpkit/smscx";
import { RETRY_STATUSES as CONTRACT_RETRY_STATUSES } from "../contract/table.ts";
import { DEFAULT_LIMITS, RETRIED_STATUSES } from "../generate/emit.ts";
import { vendors, type Vendor } from "../prism/index.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const packageDir = (vendor: Vendor) => path.join(root, "packages", vendor);

/** The runtime as a vendor package loads it. */
const runtime = createRequire(path.join(packageDir("smscx"), "package.json"))("@otpkit/runtime") as {
  RETRY_STATUSES: readonly number[];
  DEFAULT_TIMEOUT: number;
  DEFAULT_DEADLINE: number;
};

const operationSpecs: Record<Vendor, Readonly<Record<string, { readonly idempotent: boolean }>>> = {
  smscx: smscx.operationSpecs,
  ding: ding.operationSpecs,
  "equinix-metal": equinixMetal.operationSpecs,
  prelude: prelude.operationSpecs,
};

const sentence = `Idempotent: retried on connection failures, timeouts and HTTP ${runtime.RETRY_STATUSES.slice(0, -1).join(", ")} and ${runtime.RETRY_STATUSES.at(-1)}, with backoff.`;
/** "408, 429 and 5xx": a list of retried statuses that ends in a status class the runtime does not retry as a whole (501, 505…). */
const vagueList = /\b(408|429)\b[^.]*\b5xx\b/;

test("the generator and the contract suite name exactly the statuses the runtime retries", () => {
  expect(runtime.RETRY_STATUSES.length).toBeGreaterThan(0);
  expect([...RETRIED_STATUSES]).toEqual([...runtime.RETRY_STATUSES]);
  expect([...CONTRACT_RETRY_STATUSES]).toEqual([...runtime.RETRY_STATUSES]);
});

test("the generator names the time limits the runtime applies by default", () => {
  expect(DEFAULT_LIMITS).toEqual({ timeout: runtime.DEFAULT_TIMEOUT, deadline: runtime.DEFAULT_DEADLINE });
});

describe.each(vendors)("@otpkit/%s", (vendor) => {
  test("every idempotent method's TSDoc lists the retried statuses one by one", () => {
    const types = readFileSync(path.join(packageDir(vendor), "src/generated/types.ts"), "utf8");
    const idempotent = Object.values(operationSpecs[vendor]).filter((op) => op.idempotent).length;
    expect(idempotent).toBeGreaterThan(0);
    expect(types.split(sentence).length - 1, sentence).toBe(idempotent);
  });

  test("neither the generated code nor the README sums the retried statuses up as 5xx", () => {
    for (const file of ["src/generated/types.ts", "src/generated/client.ts", "README.md"]) {
      const text = readFileSync(path.join(packageDir(vendor), file), "utf8").replace(/\s*\n\s*(\* )?/g, " ");
      expect(vagueList.exec(text)?.[0], `${vendor}/${file}`).toBeUndefined();
    }
  });
});
