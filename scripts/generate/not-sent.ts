/**
 * `x-otpkit-not-sent`: the answers of a billed operation that mean the vendor refused before
 * sending anything (specs/README.md). Read and checked against the rest of the operation here,
 * emitted as the vendor package's `notSentAnswers` table (which @otpkit/verify's failover reads),
 * and rendered as the per-vendor table of packages/verify/README.md.
 */
import { asArray, deref, isObject, type Json, type JsonObject, type OpenApiDocument } from "../lib/specs.ts";
import { literal, tsdoc } from "./emit.ts";
import { enumValues, type ErrorCodeModel, type OperationModel, type VendorModel } from "./model.ts";

/** Why a vendor did not send, in the words every spec uses (the `reason` of each answer). */
export const NOT_SENT_REASONS = {
  invalid_number: "the phone number is not a valid number",
  unsupported_number: "the vendor does not send to this kind of number",
  no_coverage: "the vendor does not deliver to the number's country or region",
  insufficient_credit: "the balance, credit or spending limit cannot pay for the message",
  blocked_number: "the number is on a blocklist",
  rate_limited: "too many requests, or too many codes for this number",
  spam_detected: "the vendor's fraud checks refused the request",
  bad_credentials: "the credentials, the account identifier or the token's scope were refused",
  account_suspended: "the vendor suspended the account",
  retry_denied: "a resend was refused: too early, no resends left, or nothing to resend",
} as const;
export type NotSentReason = keyof typeof NOT_SENT_REASONS;

/** One answer that means "refused before sending". At most one of code, type and outcome. */
export interface NotSentModel {
  status: number;
  code?: number | string;
  type?: string;
  outcome?: string;
  reason: NotSentReason;
  description: string;
  source: string;
}

/** What of the operation the extension is checked against. */
export interface NotSentContext {
  where: string;
  costsMoney: boolean;
  successStatus: number;
  responses: JsonObject;
  outcome: OperationModel["outcome"];
  errorCodes: ErrorCodeModel[];
  errorFields: VendorModel["errorFields"];
}

type Fail = (where: string, problem: string) => never;

/** The operation's `x-otpkit-not-sent`, checked: every answer must be one the operation documents. */
export function readNotSent(doc: OpenApiDocument, node: JsonObject, op: NotSentContext, fail: Fail): NotSentModel[] | undefined {
  const raw = node["x-otpkit-not-sent"];
  if (raw === undefined) return undefined;
  const where = `${op.where} x-otpkit-not-sent`;
  if (!op.costsMoney) fail(where, "only a billed operation (x-otpkit-costs-money) can say when it did not send");
  if (!Array.isArray(raw) || !raw.length) fail(where, "must be a non-empty list of answers");
  const seen = new Set<string>();
  return (raw as Json[]).map((entry, i) => {
    const at = `${where}[${i}]`;
    const answer = readAnswer(entry, at, fail);
    checkAnswer(doc, answer, op, at, fail);
    const key = matchKey(answer);
    if (seen.has(key)) fail(at, `lists ${key} twice`);
    seen.add(key);
    return answer;
  });
}

function readAnswer(entry: Json, at: string, fail: Fail): NotSentModel {
  if (!isObject(entry) || !Number.isInteger(entry.status)) fail(at, "must be {status, code | type | outcome?, reason, description, source}");
  const e = entry as JsonObject;
  const keys = (["code", "type", "outcome"] as const).filter((k) => e[k] !== undefined);
  if (keys.length > 1) fail(at, `give one of code, type and outcome, not ${keys.join(" and ")}`);
  const reason = String(e.reason);
  if (!(reason in NOT_SENT_REASONS)) fail(at, `reason ${reason} is not one of ${Object.keys(NOT_SENT_REASONS).join(", ")}`);
  for (const k of ["description", "source"]) if (typeof e[k] !== "string" || !e[k]) fail(at, `needs a ${k}`);
  if (e.code !== undefined && typeof e.code !== "number" && typeof e.code !== "string") fail(at, "code must be a number or a string");
  for (const k of ["type", "outcome"]) if (e[k] !== undefined && typeof e[k] !== "string") fail(at, `${k} must be a string`);
  return {
    status: e.status as number,
    ...(e.code !== undefined ? { code: e.code as number | string } : {}),
    ...(e.type !== undefined ? { type: e.type as string } : {}),
    ...(e.outcome !== undefined ? { outcome: e.outcome as string } : {}),
    reason: reason as NotSentReason,
    description: String(e.description).trim(),
    source: String(e.source).trim(),
  };
}

/** The answer must be a documented status, and its code, type or outcome one the spec documents for it. */
function checkAnswer(doc: OpenApiDocument, answer: NotSentModel, op: NotSentContext, at: string, fail: Fail): void {
  const { status } = answer;
  if (answer.outcome !== undefined) {
    if (status !== op.successStatus || !op.outcome) fail(at, `an outcome needs the ${op.successStatus} answer and x-otpkit-outcome`);
    if (op.outcome!.failures && !op.outcome!.failures.includes(answer.outcome)) fail(at, `outcome ${answer.outcome} is not a failure value of x-otpkit-outcome`);
    return;
  }
  if (status < 400 || op.responses[String(status)] === undefined) fail(at, `HTTP ${status} is not an error status the operation documents`);
  const body = errorBodySchema(doc, op.responses[String(status)]);
  if (answer.type !== undefined) {
    const types = op.errorFields.type ? enumAt(doc, body, op.errorFields.type) : undefined;
    if (!types?.includes(answer.type)) fail(at, `type ${answer.type} is not an error type HTTP ${status} documents`);
  }
  if (answer.code !== undefined) {
    const listed = op.errorCodes.some((c) => c.status === status && c.code === answer.code);
    const codes = op.errorFields.code ? enumAt(doc, body, op.errorFields.code) : undefined;
    if (!listed && !codes?.includes(String(answer.code))) fail(at, `code ${answer.code} is not an error code HTTP ${status} documents (x-otpkit-error-codes or the body's enum)`);
  }
}

function errorBodySchema(doc: OpenApiDocument, response: Json | undefined): JsonObject | undefined {
  const r = deref<JsonObject>(doc, response);
  const media = isObject(r) && isObject(r.content) ? deref<JsonObject>(doc, r.content["application/json"]) : undefined;
  return isObject(media) ? deref<JsonObject>(doc, media.schema) : undefined;
}

/** The enum of the schema a JSON pointer (`/error/type`) leads to, through properties and allOf. */
function enumAt(doc: OpenApiDocument, schema: JsonObject | undefined, pointer: string): string[] | undefined {
  let node = schema;
  for (const key of pointer.split("/").slice(1)) node = node && propertyOf(doc, node, key);
  return node ? enumValues(doc, node) : undefined;
}

function propertyOf(doc: OpenApiDocument, schema: JsonObject, key: string): JsonObject | undefined {
  const s = deref<JsonObject>(doc, schema);
  if (!isObject(s)) return undefined;
  if (isObject(s.properties) && s.properties[key] !== undefined) return deref<JsonObject>(doc, s.properties[key]);
  for (const part of asArray(s.allOf)) {
    const found = isObject(part) ? propertyOf(doc, part, key) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** `HTTP 400 code 2020`, `HTTP 200 status rate_limited`: what an answer must look like. */
function matchKey(answer: NotSentModel, outcomeField = "outcome"): string {
  const detail =
    answer.code !== undefined ? ` code ${answer.code}` : answer.type !== undefined ? ` type ${answer.type}` : answer.outcome !== undefined ? ` ${outcomeField} ${answer.outcome}` : "";
  return `HTTP ${answer.status}${detail}`;
}

/** The generated `not-sent.ts`: the table @otpkit/verify reads, with each answer's meaning as TSDoc. */
export function emitNotSent(model: VendorModel): string | undefined {
  const ops = model.operations.filter((op) => op.notSent);
  if (!ops.length) return undefined;
  const entries = ops.map((op) => {
    const answers = op.notSent!.map((a) => {
      // The table carries what matching needs; the meaning and its source go into the TSDoc.
      const match = Object.fromEntries(Object.entries(a).filter(([key]) => key !== "description" && key !== "source")) as JsonObject;
      return `${tsdoc([`${matchKey(a, op.outcome?.field)}: ${a.description}`], "    ")}    ${literal(match)},`;
    });
    return `  ${JSON.stringify(op.id)}: [\n${answers.join("\n")}\n  ],`;
  });
  return `import type { ${model.prefix}OperationId } from "./spec.js";

${tsdoc([
  "An answer of a billed operation that means the vendor refused before sending anything.",
  "It matches an error with this HTTP `status` (and this vendor error `code` or `type`, when given), or a",
  "2xx answer whose outcome field (`x-otpkit-outcome`) holds `outcome`.",
])}export interface NotSentAnswer {
  readonly status: number;
  readonly code?: number | string;
  readonly type?: string;
  readonly outcome?: string;
  /** Why nothing was sent, in words shared by every vendor (specs/README.md, \`x-otpkit-not-sent\`). */
  readonly reason: string;
}

${tsdoc([
  `The answers of ${model.name}'s billed operations that mean ${model.name} refused before sending anything`,
  `(\`x-otpkit-not-sent\` in ${model.specFile}), by operationId. After one of these, no message went out and`,
  "nothing was billed, so another provider may be tried; after any other failure the message may have gone out.",
  "@otpkit/verify's failover reads this table.",
])}export const notSentAnswers = {
${entries.join("\n")}
} as const satisfies { readonly [Id in ${model.prefix}OperationId]?: readonly NotSentAnswer[] };
`;
}

export const TABLE_START = "<!-- not-sent:start -->";
export const TABLE_END = "<!-- not-sent:end -->";

const cell = (text: string) => text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");

/** `a`, `a and b`, `a, b and c`. */
export const inWords = (items: readonly string[]): string => (items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`);

/** One table per vendor: every answer its spec lists as "refused before sending". */
export function notSentSection(models: readonly VendorModel[]): string {
  const tables = models.map((model) => {
    const rows = model.operations.flatMap((op) =>
      (op.notSent ?? []).map((a) => `| \`${op.id}\` | ${matchKey(a, op.outcome?.field)} | \`${a.reason}\` | ${cell(a.description)} | ${cell(a.source)} |`),
    );
    return [`#### ${model.name} (\`${model.specFile}\`)`, "", "| operation | answer | reason | meaning | source |", "|---|---|---|---|---|", ...rows].join("\n");
  });
  return [
    TABLE_START,
    `<!-- Generated from ${inWords(models.map((m) => m.specFile))} (\`x-otpkit-not-sent\`) by scripts/generate (\`pnpm build\`); edit the specs, not this section. -->`,
    "",
    ...tables.flatMap((t) => [t, ""]),
    TABLE_END,
  ].join("\n");
}

/** The README with its not-sent section replaced; undefined when it has no markers. */
export function withNotSentTables(readme: string, models: readonly VendorModel[]): string | undefined {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(0, start) + notSentSection(models) + readme.slice(end + TABLE_END.length);
}
