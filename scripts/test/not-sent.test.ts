/**
 * `x-otpkit-not-sent` (specs/README.md): each vendor package's `notSentAnswers` says exactly what its
 * spec lists, read here without the generator; the generator refuses an answer the operation does
 * not document; and packages/verify/README.md shows the specs' lists as they are.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import * as ding from "@otpkit/ding";
import * as prelude from "@otpkit/prelude";
import * as smscx from "@otpkit/smscx";
import { notSentReadme } from "../generate/cli.ts";
import { loadSpec, operations, type JsonObject } from "../lib/specs.ts";
import { specPath } from "../prism/index.ts";
import { changedSpec, modelOfChanged } from "./fixtures/changed-spec.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const tables = { smscx: smscx.notSentAnswers, ding: ding.notSentAnswers, prelude: prelude.notSentAnswers } as const;

describe.each(["smscx", "ding", "prelude"] as const)("%s: notSentAnswers", (vendor) => {
  const listed = operations(loadSpec(specPath(vendor))).filter((op) => op.node["x-otpkit-not-sent"] !== undefined);

  test("one entry per operation that lists answers, each a billed operation", () => {
    expect(Object.keys(tables[vendor]).sort()).toEqual(listed.map((op) => op.operationId).sort());
    for (const op of listed) expect(op.node["x-otpkit-costs-money"], op.operationId).toBe(true);
  });

  test("every answer the spec lists, in order, without its description and source", () => {
    for (const op of listed) {
      const expected = (op.node["x-otpkit-not-sent"] as JsonObject[]).map(({ description: _description, source: _source, ...match }) => match);
      expect(tables[vendor][op.operationId as keyof (typeof tables)[typeof vendor]]).toEqual(expected);
    }
  });
});

describe("the generator refuses an answer the operation does not document", () => {
  /** Builds the model of specs/<vendor>.yaml with `edit` applied to the named operation's node. */
  function buildEdited(vendor: "smscx" | "ding", operationPath: [string, string], edit: (node: JsonObject) => void) {
    const doc = changedSpec<{ paths: Record<string, Record<string, JsonObject>> }>(vendor, (doc) => edit(doc.paths[operationPath[0]]![operationPath[1]]!));
    return () => modelOfChanged(vendor, doc);
  }
  const answer = { reason: "invalid_number", description: "d", source: "s" };
  const newOtp: [string, string] = ["/otp", "post"];
  const create: [string, string] = ["/authentication", "post"];

  test.each([
    ["on an operation that is not billed", "smscx", ["/otp/{otpId}", "post"], [{ status: 400, code: 2029, ...answer }], /only a billed operation/],
    ["a status the operation does not declare", "smscx", newOtp, [{ status: 404, ...answer }], /HTTP 404 is not an error status the operation documents/],
    ["a code neither listed nor in the body's enum", "smscx", newOtp, [{ status: 400, code: 2029, ...answer }], /code 2029 is not an error code HTTP 400 documents/],
    ["a code outside Ding's ErrorResponse enum", "ding", create, [{ status: 400, code: "no_credit", ...answer }], /code no_credit is not an error code/],
    ["a type outside the error type enum", "smscx", newOtp, [{ status: 403, type: "no_money", ...answer }], /type no_money is not an error type HTTP 403 documents/],
    ["an outcome that is the success value", "ding", create, [{ status: 200, outcome: "pending", ...answer }], /outcome pending is not a failure value/],
    ["an outcome on an error status", "ding", create, [{ status: 400, outcome: "rate_limited", ...answer }], /an outcome needs the 200 answer/],
    ["two of code, type and outcome", "smscx", newOtp, [{ status: 400, code: 2020, type: "invalid_param", ...answer }], /give one of code, type and outcome/],
    ["a reason outside the shared words", "smscx", newOtp, [{ status: 429, ...answer, reason: "too_busy" }], /reason too_busy is not one of/],
    ["no source", "smscx", newOtp, [{ status: 429, reason: "rate_limited", description: "d" }], /needs a source/],
    ["one answer twice", "smscx", newOtp, [{ status: 429, ...answer }, { status: 429, ...answer }], /lists HTTP 429 twice/],
    ["an empty list", "smscx", newOtp, [], /non-empty list/],
  ] as const)("%s", (_what, vendor, at, list, message) => {
    const build = buildEdited(vendor, at as [string, string], (node) => (node["x-otpkit-not-sent"] = list as never));
    expect(build).toThrow(message);
  });
});

test("packages/verify/README.md shows the lists of specs/smscx.yaml, specs/ding.yaml and specs/prelude.yaml as they are", () => {
  expect(notSentReadme(path.join(root, "packages/verify/README.md"), ["smscx", "ding", "prelude"], true), "run `pnpm build` to regenerate the README's tables").toBe(false);
});
