/**
 * What a request that breaks the spec gets back. The runtime's own validator says whether the input
 * is valid; the operation's `x-otpkit-invalid-input` rules say which documented error answers each
 * kind of mistake (SMS.cx answers a `ttl` below 60 with code 2008, not with its first 400 example).
 * Rules that check more than the schema (`empty`) apply to valid input too: the vendor refuses an
 * empty PIN although the schema allows an empty string.
 */
import type { ValidationIssue } from "../errors.js";
import { validate, type Schema } from "../validate.js";
import type { MockInputRule, MockOperationSpec } from "./types.js";

/** The documented answer to invalid input: a named example, or (when none fits) the issues. */
export interface Verdict {
  readonly status: number;
  readonly example?: string;
  readonly issues: readonly ValidationIssue[];
}

const PARTS = ["path", "query", "header", "body"] as const;

interface Field {
  readonly value: unknown;
  readonly schema: Schema;
  readonly required: boolean;
}

/**
 * The field of that name in whichever part of the input declares it; a dotted name
 * (`options.code_size`) walks into an object field's properties.
 */
function locate(schema: Schema, input: Record<string, unknown>, name: string): Field | undefined {
  const [head = "", ...rest] = name.split(".");
  const part = PARTS.find((p) => schema.properties?.[p]?.properties?.[head]);
  if (!part) return undefined;
  const group = schema.properties![part]!;
  let field: Field = { value: (input[part] as Record<string, unknown> | undefined)?.[head], schema: group.properties![head]!, required: !!group.required?.includes(head) };
  for (const key of rest) {
    const inner = field.schema.properties?.[key];
    if (!inner) return undefined;
    const parent = field.value;
    // A nested field is required only where its parent object is there.
    field = { value: typeof parent === "object" && parent !== null ? (parent as Record<string, unknown>)[key] : undefined, schema: inner, required: parent !== undefined && !!field.schema.required?.includes(key) };
  }
  return field;
}

/** Body fields the schema does not declare, when it declares that there are no others. */
function unknownFields(schema: Schema, input: Record<string, unknown>): string[] {
  const body = schema.properties?.body;
  const value = input.body;
  if (body?.additionalProperties !== false || typeof value !== "object" || value === null) return [];
  return Object.keys(value).filter((key) => !body.properties?.[key]);
}

function breaks(field: Field, keyword: string): boolean {
  const { value, schema, required } = field;
  if (keyword === "empty") return value === "";
  if (value === undefined) return required && (keyword === "required" || keyword === "*");
  if (keyword === "*") return validate(schema, value).length > 0;
  const constraint = (schema as Record<string, unknown>)[keyword];
  return constraint !== undefined && validate({ [keyword]: constraint } as Schema, value).length > 0;
}

function fires(rule: MockInputRule, schema: Schema, input: Record<string, unknown>, issues: readonly ValidationIssue[]): boolean {
  if (rule.field === "*") return rule.rules.some((keyword) => (keyword === "additionalProperties" ? unknownFields(schema, input).length > 0 : issues.length > 0));
  const field = locate(schema, input, rule.field);
  return !!field && rule.rules.some((keyword) => breaks(field, keyword));
}

/** The first documented 400 (else 422) example, which Prism answers to any invalid request. */
export function fallback(spec: MockOperationSpec, issues: readonly ValidationIssue[]): Verdict {
  for (const status of [400, 422]) {
    const examples = spec.responses[status]?.examples;
    if (examples) return { status, example: Object.keys(examples)[0], issues };
  }
  return { status: 422, issues };
}

/** Undefined when the input is fine; otherwise the answer it gets. */
export function checkInput(spec: MockOperationSpec, input: Record<string, unknown>): Verdict | undefined {
  const schema = spec.operation.input;
  if (!schema) return undefined;
  const issues = validate(schema, input);
  const rule = spec.inputRules?.find((r) => fires(r, schema, input, issues));
  if (rule) return { status: rule.status, example: rule.example, issues };
  return issues.length ? fallback(spec, issues) : undefined;
}
