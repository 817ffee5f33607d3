/**
 * What the verify tests share: vendor clients whose every request is recorded (scripts/contract's
 * recorder), pointed at the Prism mocks or at a fault server, and the spec's named example that
 * makes Prism give a listed "not sent" answer.
 */
import { createDingClient } from "@otpkit/ding";
import { createPreludeClient } from "@otpkit/prelude";
import { createSmscxClient } from "@otpkit/smscx";
import { inject } from "vitest";
import { atPointer } from "../../../scripts/contract/table.ts";
import { createRecorder, type Recorder } from "../../../scripts/contract/wire.ts";
import { deref, isObject, loadSpec, namedExamples, operations, type JsonObject } from "../../../scripts/lib/specs.ts";
import { specPath } from "../../../scripts/prism/index.ts";
import type { NotSentAnswer } from "../src/index.js";

export const PHONE = "+33612246400";
/** The ids of the specs' examples (SMS.cx `created`, Ding `pending`, Prelude `success`). */
export const OTP_ID = "a17fb13d-f4ac-4d93-9439-ef41ab8de390";
export const AUTH_UUID = "349a6b10-c41d-4d74-8b13-62f7d5145053";
export const VRF_ID = "vrf_01jc0t6fwwfgfsq1md24mhyztj";

/** Where one vendor's client sends its requests, and how. */
export interface VendorSetup {
  /** Default: that vendor's Prism. */
  readonly baseUrl?: string;
  /** Prism's `Prefer` header on every request: `code=400, example=insufficientCredit`. */
  readonly prefer?: string;
  readonly timeout?: number;
}

/** A refused connection is retried at once: three attempts in all, no waiting. */
const RETRY = { maxAttempts: 3, baseDelay: 1, maxDelay: 1 };

const headers = (setup: VendorSetup | undefined) => (setup?.prefer ? { prefer: setup.prefer } : undefined);

/** `POST /otp`: a recorded request as method and path. */
const lines = (recorder: Recorder) => recorder.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`);

export type Vendor = "smscx" | "ding" | "prelude";

/** An SMS.cx, a Ding and a Prelude client, each recording the requests it hands to fetch. */
export function vendorClients(setup: Partial<Record<Vendor, VendorSetup>> = {}) {
  const wires = { smscx: createRecorder(), ding: createRecorder(), prelude: createRecorder() };
  const shared = (vendor: Vendor) => ({
    baseUrl: setup[vendor]?.baseUrl ?? inject("prismUrls")[vendor]!,
    fetch: wires[vendor].fetch,
    headers: headers(setup[vendor]),
    retry: RETRY,
    timeout: setup[vendor]?.timeout,
  });
  const smscx = createSmscxClient({ apiKey: "sk_test_verify_smscx", ...shared("smscx") });
  const ding = createDingClient({ apiKey: "sk_test_verify_ding", customerUuid: "cf222c97-267d-4a29-9e1b-c85d9c31cc42", ...shared("ding") });
  const prelude = createPreludeClient({ accessToken: "sk_test_verify_prelude", ...shared("prelude") });
  /** Every request each vendor's client sent, as `METHOD /path`. */
  const sent = () => ({ smscx: lines(wires.smscx), ding: lines(wires.ding), prelude: lines(wires.prelude) });
  /** The bodies of the requests the Prelude client sent, parsed. */
  const preludeBodies = () => wires.prelude.requests.map((r) => JSON.parse(r.body ?? "null") as unknown);
  return { smscx, ding, prelude, sent, preludeBodies };
}

/** What `sent()` must equal: the requests given, and none to every other vendor. */
export const only = (requests: Partial<Record<Vendor, readonly string[]>>) => ({ smscx: [], ding: [], prelude: [], ...requests });

/**
 * The `Prefer` header that makes Prism answer `operationId` with `answer`: the first named example
 * of that status whose code, type or outcome is the answer's. Fails when the spec has none, so
 * every listed answer is one the mocks (and the tests) can show.
 */
export function preferFor(vendor: Vendor, operationId: string, answer: NotSentAnswer): string {
  const doc = loadSpec(specPath(vendor));
  const op = operations(doc).find((o) => o.operationId === operationId);
  const responses = isObject(op?.node.responses) ? op.node.responses : {};
  const response = deref<JsonObject>(doc, responses[String(answer.status)]);
  const fields = (doc["x-otpkit-error-fields"] ?? {}) as { code?: string; type?: string };
  const outcome = op?.node["x-otpkit-outcome"] as { field: string } | undefined;
  const shows = (value: unknown) =>
    answer.outcome !== undefined
      ? atPointer(value, `/${outcome?.field}`) === answer.outcome
      : (answer.code === undefined || atPointer(value, fields.code ?? "") === answer.code) && (answer.type === undefined || atPointer(value, fields.type ?? "") === answer.type);
  for (const [name, example] of namedExamples(doc, isObject(response) ? response.content : undefined)) {
    if (shows(example.value)) return `code=${answer.status}, example=${name}`;
  }
  throw new Error(`specs/${vendor}.yaml has no named example of ${operationId} ${answer.status} that shows ${JSON.stringify(answer)}`);
}
