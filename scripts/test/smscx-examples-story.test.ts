/**
 * The SMS.cx examples tell one story: the OTP that `NewOtp` creates by default is the one that
 * `GetOtpStatus`, `VerifyPin`, `CancelOtp` and the `otpUpdate` webhook then describe, so the demo
 * (scripts/demo/flows/smscx.ts), the contract tests and anyone poking the Prism mock read one OTP
 * lifecycle, not several OTPs that happen to share an id.
 *
 * - Every OTP example (NewOtp 201, GetOtpStatus 200, webhook `data` items) is coherent on its own:
 *   `dateExpires` is `dateCreated` + `ttl`, `attempts` fits `maxAttempts` and the status.
 * - Examples with the same `otpId` are the same OTP: they agree on everything but `status` and
 *   `attempts`. A different OTP gets a different `otpId`.
 * - The examples Prism serves by default (the first of each response), the `otpId` parameter's
 *   example, `CancelOtp`'s `info.id`, the first webhook example, the demo's first OTP and every
 *   status the demo reads describe that one OTP; another OTP the demo sends is a different example
 *   OTP, with its own `otpId`.
 */
import { describe, expect, test } from "vitest";
import { smscx as flow } from "../demo/flows/smscx.ts";
import { deref, isObject, loadSpec, namedExamples, operations, type Json, type JsonObject } from "../lib/specs.ts";
import { specPath } from "../prism/index.ts";

const doc = loadSpec(specPath("smscx"));

interface OtpExample {
  /** `NewOtp 201 created`, `webhook otpUpdate batch data[1]`… */
  readonly where: string;
  readonly operationId: string;
  readonly name: string;
  readonly value: JsonObject;
}

/** The fields an OTP keeps for its whole life (everything but `status` and `attempts`). */
const FIXED = ["otpId", "trackId", "phoneNumber", "countryIso", "cost", "parts", "maxAttempts", "ttl", "otpCallbackUrl", "dateCreated", "dateExpires"] as const;

const op = (id: string) => {
  const found = operations(doc).find((o) => o.operationId === id);
  if (!found) throw new Error(`specs/smscx.yaml has no operation ${id}`);
  return found;
};

/** The named examples of one response, in document order (the first is the one Prism serves by default). */
function responseExamples(operationId: string, status: string): { name: string; value: Json }[] {
  const responses = op(operationId).node.responses;
  const response = isObject(responses) ? deref<JsonObject>(doc, responses[status]) : undefined;
  return [...namedExamples(doc, isObject(response) ? response.content : undefined)].map(([name, e]) => ({ name, value: e.value }));
}

function otpExamples(): OtpExample[] {
  const found: OtpExample[] = [];
  for (const [operationId, status] of [["NewOtp", "201"], ["GetOtpStatus", "200"]] as const) {
    for (const { name, value } of responseExamples(operationId, status)) {
      if (isObject(value)) found.push({ where: `${operationId} ${status} ${name}`, operationId, name, value });
    }
  }
  const hooks = isObject(doc.webhooks) ? doc.webhooks : {};
  for (const [key, item] of Object.entries(hooks)) {
    const post = isObject(item) ? deref<JsonObject>(doc, item.post) : undefined;
    const body = isObject(post) ? deref<JsonObject>(doc, post.requestBody) : undefined;
    for (const [name, { value }] of namedExamples(doc, isObject(body) ? body.content : undefined)) {
      const data = isObject(value) && Array.isArray(value.data) ? value.data : [];
      data.forEach((item, i) => {
        if (isObject(item)) found.push({ where: `webhook ${key} ${name} data[${i}]`, operationId: key, name, value: item });
      });
    }
  }
  return found;
}

/** SMS.cx's `YYYY-MM-DD HH:MM:SS` (UTC), or RFC 3339. */
const epochSeconds = (date: Json | undefined): number => {
  const text = String(date);
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text.replace(" ", "T")}Z`);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${text}`);
  return ms / 1000;
};

const examples = otpExamples();
const first = <T>(list: readonly T[], what: string): T => {
  if (!list.length) throw new Error(`specs/smscx.yaml has no ${what}`);
  return list[0]!;
};
const created = first(examples.filter((e) => e.operationId === "NewOtp"), "NewOtp 201 example");
const story = String(created.value.otpId);

describe("specs/smscx.yaml: the OTP examples", () => {
  test("are found (NewOtp 201, GetOtpStatus 200, webhook payloads)", () => {
    expect(examples.filter((e) => e.operationId === "NewOtp").length).toBeGreaterThanOrEqual(2);
    expect(examples.filter((e) => e.operationId === "GetOtpStatus").length).toBeGreaterThanOrEqual(5);
    expect(examples.filter((e) => e.where.startsWith("webhook")).length).toBeGreaterThanOrEqual(2);
  });

  test.each(examples.map((e) => [e.where, e] as const))("%s is coherent: dateExpires = dateCreated + ttl, attempts fit the status", (_where, { value }) => {
    expect(epochSeconds(value.dateExpires) - epochSeconds(value.dateCreated), "dateExpires - dateCreated").toBe(value.ttl);
    const attempts = value.attempts as number;
    const maxAttempts = value.maxAttempts as number;
    expect(attempts).toBeLessThanOrEqual(maxAttempts);
    if (value.status === "FAILED") expect(attempts, "FAILED: every attempt was used").toBe(maxAttempts);
    else expect(attempts, `${String(value.status)}: attempts left`).toBeLessThan(maxAttempts);
  });

  test("with the same otpId are the same OTP (only status and attempts change); different OTPs have different ids", () => {
    const byId = new Map<string, OtpExample[]>();
    for (const e of examples) byId.set(String(e.value.otpId), [...(byId.get(String(e.value.otpId)) ?? []), e]);
    for (const [otpId, same] of byId) {
      const [reference, ...others] = same as [OtpExample, ...OtpExample[]];
      for (const other of others) {
        for (const field of FIXED) expect(other.value[field], `${other.where} vs ${reference.where}: ${field} of OTP ${otpId}`).toStrictEqual(reference.value[field]);
      }
    }
  });
});

describe("specs/smscx.yaml: the default answers and the demo follow one OTP", () => {
  test("NewOtp's default 201 example is a fresh OTP: PENDING, no attempts", () => {
    expect(created.value.status).toBe("PENDING");
    expect(created.value.attempts).toBe(0);
  });

  test("GetOtpStatus's default example is that OTP, unchanged", () => {
    expect(first(responseExamples("GetOtpStatus", "200"), "GetOtpStatus 200 example").value).toStrictEqual(created.value);
  });

  test("its otpId is the otpId parameter's example, CancelOtp's info.id and the first webhook's OTP", () => {
    const param = op("GetOtpStatus").parameters.find((p) => p.name === "otpId");
    expect(param?.example).toBe(story);
    const cancelled = first(responseExamples("CancelOtp", "200"), "CancelOtp 200 example").value;
    expect(isObject(cancelled) && isObject(cancelled.info) ? cancelled.info.id : undefined).toBe(story);
    expect(first(examples.filter((e) => e.where.startsWith("webhook")), "webhook example").value.otpId).toBe(story);
  });

  test("the demo's first OTP, and every status it reads, is that OTP; another OTP it sends has its own otpId", () => {
    const asked = flow.steps.flatMap((step) => {
      const name = /\bexample=(\w+)/.exec(step.mock?.prefer ?? "")?.[1];
      const operationId = step.operation?.id;
      if (!name || (operationId !== "NewOtp" && operationId !== "GetOtpStatus")) return [];
      const example = examples.find((e) => e.operationId === operationId && e.name === name);
      return [{ label: `${operationId} example ${name}`, operationId, otpId: example?.value.otpId }];
    });
    const [firstOtp, ...otherOtps] = asked.filter((a) => a.operationId === "NewOtp");
    const statuses = asked.filter((a) => a.operationId === "GetOtpStatus");
    expect(firstOtp, "the demo asks for a NewOtp example").toBeDefined();
    expect(statuses.length, "the demo asks for GetOtpStatus examples").toBeGreaterThan(0);
    for (const a of asked) expect(a.otpId, `${a.label} exists`).toBeDefined();
    expect(firstOtp!.otpId, firstOtp!.label).toBe(story);
    for (const a of statuses) expect(a.otpId, a.label).toBe(story);
    for (const a of otherOtps) expect(a.otpId, `${a.label}: a second OTP is not the first one`).not.toBe(story);
  });
});
