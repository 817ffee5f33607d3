/**
 * A small JSON Schema checker for the subset otpkit's specs use. Vendor packages generate their
 * schemas from the specs at build time (scripts/generate), so a constraint edited in a spec
 * changes the check; this file only interprets them. It reports every problem, each with its path
 * and the value received, so one round of fixes is enough.
 */
import type { ValidationIssue } from "./errors.js";

export type SchemaType = "string" | "integer" | "number" | "boolean" | "object" | "array" | "null";

/** The JSON Schema keywords otpkit checks; anything else in a spec is documentation only. */
export interface Schema {
  readonly type?: SchemaType | readonly SchemaType[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  /** `uuid`, `date-time`, `uri`/`url`, `ipv4`, `phone_number` (E.164) and `BCP-47` are checked; other formats are not. */
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly additionalProperties?: boolean | Schema;
  readonly items?: Schema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly allOf?: readonly Schema[];
}

const octet = "(25[0-5]|2[0-4]\\d|1?\\d?\\d)";
const URI: [RegExp, string] = [/^[a-z][a-z\d+.-]*:\/\/[^\s/?#]+\S*$/i, "an absolute URL"];
const FORMATS: Record<string, [RegExp, string]> = {
  uuid: [/^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i, "a UUID"],
  "date-time": [/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i, "an RFC 3339 date-time"],
  ipv4: [RegExp(`^(${octet}\\.){3}${octet}$`), "an IPv4 address"],
  phone_number: [/^\+[1-9]\d{1,14}$/, "an E.164 phone number such as +14155550123"],
  // Well-formed language tag (RFC 5646 shape: a 2–3 letter language, then subtags), not a registry lookup.
  "BCP-47": [/^[a-z]{2,3}(-[a-z\d]{2,8})*$/i, "a BCP-47 language tag such as en-US"],
  uri: URI,
  url: URI,
};

/** Patterns compiled once: a schema's pattern is checked on every call. */
const patterns = new Map<string, RegExp>();
const compiled = (pattern: string): RegExp => patterns.get(pattern) ?? patterns.set(pattern, RegExp(pattern, "u")).get(pattern)!;

/** The value as a message shows it: JSON, shortened. */
const show = (value: unknown): string => {
  // NaN and Infinity are numbers the caller should see as such (JSON would print them as null).
  const text = typeof value === "object" && value ? (Array.isArray(value) ? "an array" : "an object") : typeof value === "number" ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? text.slice(0, 57) + "…" : text;
};

/** Whether a value of JSON type `type` is one of the `expected` types (an integer is a number too). */
const allows = (expected: SchemaType | readonly SchemaType[], type: string): boolean =>
  typeof expected === "string" ? expected === type || (expected === "number" && type === "integer") : expected.some((t) => allows(t, type));

const typeOf = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;

/** `, got "0612"`: how a message shows the value it is about. */
const got = (value: unknown): string => `, got ${show(value)}`;

const issue = (path: string, message: string): ValidationIssue => ({ path: path || "(root)", message });

/**
 * Checks `value` against `schema`; returns every problem found (empty when valid), appended to
 * `issues` when given. It runs on every call of a named method, so nested values push onto one
 * list instead of returning lists to merge, and a message is built only for a problem found.
 */
export function validate(schema: Schema, value: unknown, path = "", issues: ValidationIssue[] = []): ValidationIssue[] {
  const type = typeOf(value);
  if (schema.type && !allows(schema.type, type)) {
    const allowed = ([] as string[]).concat(schema.type);
    issues.push(issue(path, `must be ${allowed.map((t) => (t === "null" ? t : `${/^[aio]/.test(t) ? "an" : "a"} ${t}`)).join(" or ")}${got(value)}`));
    return issues;
  }
  if ("const" in schema && value !== schema.const) issues.push(issue(path, `must be ${show(schema.const)}${got(value)}`));
  if (schema.enum && !schema.enum.includes(value)) issues.push(issue(path, `must be one of ${schema.enum.map(show).join(", ")}${got(value)}`));
  if (type === "string") checkString(schema, value as string, path, issues);
  if (typeof value === "number") checkNumber(schema, value, path, issues);
  if (type === "array") checkArray(schema, value as unknown[], path, issues);
  if (type === "object") checkObject(schema, value as Record<string, unknown>, path, issues);
  if (schema.allOf) for (const part of schema.allOf) validate(part, value, path, issues);
  const choices = schema.anyOf ?? schema.oneOf;
  // Report the alternative that came closest, so the message points at the real mistake.
  if (choices) issues.push(...choices.map((choice) => validate(choice, value, path)).sort((a, b) => a.length - b.length)[0]!);
  return issues;
}

function checkString(schema: Schema, text: string, path: string, issues: ValidationIssue[]): void {
  const { minLength: min = 0, maxLength: max = Infinity, pattern, format } = schema;
  // Characters, as JSON Schema counts them (code points): only a string with surrogates needs spreading.
  const length = min || max < Infinity ? (/[\ud800-\udfff]/.test(text) ? [...text].length : text.length) : 0;
  if (length < min || length > max) issues.push(issue(path, `must be ${length < min ? `at least ${min}` : `at most ${max}`} characters long, got ${length} (${show(text)})`));
  // A spec often gives a format and its pattern both (E.164 phone numbers): one problem, one
  // message, and the format's says it in words.
  const known = format && FORMATS[format];
  if (known && !known[0].test(text)) issues.push(issue(path, `must be ${known[1]}${got(text)}`));
  else if (pattern && !compiled(pattern).test(text)) issues.push(issue(path, `must match ${pattern}${got(text)}`));
}

function checkNumber(schema: Schema, value: number, path: string, issues: ValidationIssue[]): void {
  const { minimum, maximum, exclusiveMinimum: above, exclusiveMaximum: below } = schema;
  if (value < minimum!) issues.push(issue(path, `must be ≥ ${minimum}${got(value)}`));
  if (value > maximum!) issues.push(issue(path, `must be ≤ ${maximum}${got(value)}`));
  if (value <= above!) issues.push(issue(path, `must be > ${above}${got(value)}`));
  if (value >= below!) issues.push(issue(path, `must be < ${below}${got(value)}`));
}

function checkArray(schema: Schema, list: unknown[], path: string, issues: ValidationIssue[]): void {
  const { minItems: min = 0, maxItems: max = Infinity, items } = schema;
  if (list.length < min || list.length > max) issues.push(issue(path, `must have ${list.length < min ? `at least ${min}` : `at most ${max}`} items, got ${list.length}`));
  if (items) for (let i = 0; i < list.length; i++) validate(items, list[i], `${path}[${i}]`, issues);
}

/** The path of an object's field: `body.phone_number`. */
const field = (path: string, key: string): string => (path ? `${path}.${key}` : key);

function checkObject(schema: Schema, object: Record<string, unknown>, path: string, issues: ValidationIssue[]): void {
  const { required, properties, additionalProperties } = schema;
  if (required) for (const key of required) if (object[key] === undefined) issues.push(issue(field(path, key), "is required"));
  for (const key in object) {
    const item = object[key];
    const rule = properties?.[key] ?? additionalProperties;
    if (item === undefined || rule === undefined || rule === true) continue;
    if (rule === false) issues.push(issue(field(path, key), "is not a field of this request"));
    else validate(rule, item, field(path, key), issues);
  }
}
