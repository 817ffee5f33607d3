/**
 * A small JSON Schema checker for the subset otpkit's specs use. Vendor packages generate their
 * schemas from the specs at build time (scripts/generate), so a constraint edited in a spec
 * changes the check; this file only interprets them. It reports every problem, each with its
 * path and the value received, so one round of fixes is enough.
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
  /** `uuid`, `date-time`, `uri`/`url`, `ipv4`, `email`, `int32`, `phone_number` (E.164); others are not checked. */
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

const FORMATS: Record<string, [RegExp, string]> = {
  uuid: [/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "a UUID"],
  "date-time": [/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i, "an RFC 3339 date-time"],
  ipv4: [/^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/, "an IPv4 address"],
  email: [/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "an email address"],
  phone_number: [/^\+[1-9]\d{1,14}$/, "an E.164 phone number such as +14155550123"],
  uri: [/^[a-z][a-z\d+.-]*:\/\/[^\s/?#]+[^\s]*$/i, "an absolute URL"],
};
FORMATS.url = FORMATS.uri!;

const show = (value: unknown): string => {
  if (Array.isArray(value)) return "an array";
  if (value !== null && typeof value === "object") return "an object";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? text.slice(0, 57) + "…" : text;
};

const typeOf = (value: unknown): SchemaType | "undefined" =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "array"
      : Number.isInteger(value)
        ? "integer"
        : (typeof value as SchemaType | "undefined");

/** Checks `value` against `schema`; returns every problem found (empty when valid). */
export function validate(schema: Schema, value: unknown, path = ""): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const fail = (message: string, at = path) => issues.push({ path: at || "(root)", message });

  if (schema.type !== undefined) {
    const allowed = ([] as SchemaType[]).concat(schema.type as SchemaType);
    const actual = typeOf(value);
    if (!allowed.some((t) => t === actual || (t === "number" && actual === "integer"))) {
      fail(`must be ${allowed.map((t) => (t === "integer" ? "an integer" : t === "null" ? "null" : `a ${t}`)).join(" or ")}, got ${show(value)}`);
      return issues;
    }
  }
  if (schema.const !== undefined && value !== schema.const) fail(`must be ${show(schema.const)}, got ${show(value)}`);
  if (schema.enum && !schema.enum.includes(value)) {
    fail(`must be one of ${schema.enum.map(show).join(", ")}, got ${show(value)}`);
  }

  if (typeof value === "string") {
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength) {
      fail(`must be at least ${schema.minLength} characters long, got ${length} (${show(value)})`);
    }
    if (schema.maxLength !== undefined && length > schema.maxLength) {
      fail(`must be at most ${schema.maxLength} characters long, got ${length} (${show(value)})`);
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) {
      fail(`must match ${schema.pattern}, got ${show(value)}`);
    }
    const format = schema.format && FORMATS[schema.format];
    if (format && !format[0].test(value)) fail(`must be ${format[1]}, got ${show(value)}`);
  }

  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) fail(`must be ≥ ${schema.minimum}, got ${value}`);
    if (schema.maximum !== undefined && value > schema.maximum) fail(`must be ≤ ${schema.maximum}, got ${value}`);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) {
      fail(`must be > ${schema.exclusiveMinimum}, got ${value}`);
    }
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) {
      fail(`must be < ${schema.exclusiveMaximum}, got ${value}`);
    }
    if (schema.format === "int32" && (value < -2147483648 || value > 2147483647)) {
      fail(`must be a 32-bit integer, got ${value}`);
    }
  }

  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      fail(`must have at least ${schema.minItems} items, got ${value.length}`);
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      fail(`must have at most ${schema.maxItems} items, got ${value.length}`);
    }
    if (schema.items) value.forEach((item, i) => issues.push(...validate(schema.items!, item, `${path}[${i}]`)));
  }

  if (typeOf(value) === "object") {
    const object = value as Record<string, unknown>;
    const join = (key: string) => (path ? `${path}.${key}` : key);
    for (const key of schema.required ?? []) if (object[key] === undefined) fail("is required", join(key));
    for (const [key, item] of Object.entries(object)) {
      if (item === undefined) continue;
      const property = schema.properties?.[key];
      const extra = schema.additionalProperties;
      if (property) issues.push(...validate(property, item, join(key)));
      else if (extra === false) fail("is not a field of this request", join(key));
      else if (typeof extra === "object") issues.push(...validate(extra, item, join(key)));
    }
  }

  for (const part of schema.allOf ?? []) issues.push(...validate(part, value, path));
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) {
    // Report the alternative that came closest, so the message points at the real mistake.
    let best: ValidationIssue[] | undefined;
    for (const choice of choices) {
      const found = validate(choice, value, path);
      if (!found.length) return issues;
      if (!best || found.length < best.length) best = found;
    }
    issues.push(...(best ?? []));
  }
  return issues;
}
