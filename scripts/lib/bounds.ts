/**
 * The boundary table of a spec: for every constrained input field of every operation, a value
 * just inside and a value just outside each constraint (length, bound, enum, pattern, format,
 * type, required, unknown field). Built from the same pruned schemas the generated validators
 * check, so the table follows the spec.
 */
import type { Json, JsonObject } from "./specs.ts";
import type { OperationModel } from "../generate/model.ts";

export interface BoundCase {
  operationId: string;
  methodName: string;
  /** Validation path of the field: `body.ttl`, `path.otpId`. */
  field: string;
  /** The constraint exercised: `maximum 1800`, `enum`, `pattern`, `required`… */
  constraint: string;
  inside: boolean;
  /** The whole flat input to send: the base example with this field changed. */
  input: Record<string, Json>;
}

const REMOVE = Symbol("remove");
const isObj = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** A string of exactly `length` characters that still satisfies the schema's pattern, when possible. */
function stringOfLength(schema: JsonObject, example: Json | undefined, length: number): string | undefined {
  if (typeof example === "string" && [...example].length === length) return example;
  if (schema.pattern || schema.format) {
    // Only lengths around the example can keep a pattern; outside values need not keep it.
    return undefined;
  }
  return "a".repeat(length);
}

/** Cases for one operation; `base` is a valid flat input (required fields at least). */
export function boundCases(op: OperationModel, base: Record<string, Json>): BoundCase[] {
  const cases: BoundCase[] = [];
  const input = op.input as JsonObject;
  const parts = isObj(input.properties) ? input.properties : {};
  for (const [location, rawPart] of Object.entries(parts)) {
    const part = rawPart as JsonObject;
    const properties = isObj(part.properties) ? part.properties : {};
    const required = Array.isArray(part.required) ? part.required.map(String) : [];
    const add = (field: string, constraint: string, inside: boolean, value: Json | typeof REMOVE) => {
      const changed: Record<string, Json> = { ...base };
      if (value === REMOVE) delete changed[field];
      else changed[field] = value;
      cases.push({ operationId: op.id, methodName: op.methodName, field: `${location}.${field}`, constraint, inside, input: changed });
    };
    for (const [field, rawSchema] of Object.entries(properties)) {
      const schema = rawSchema as JsonObject;
      const example = base[field];
      const types = ([] as Json[]).concat(schema.type ?? []).map(String);
      if (required.includes(field) && !op.clientFields.includes(field)) add(field, "required", false, REMOVE);
      if (types.length && !types.includes("null")) add(field, `type ${types.join("|")}`, false, types.includes("string") ? 12345 : "12345");
      if (Array.isArray(schema.enum)) {
        for (const value of schema.enum) add(field, `enum ${JSON.stringify(value)}`, true, value);
        add(field, "enum", false, "__not_in_the_enum__");
      }
      const min = schema.minLength;
      const max = schema.maxLength;
      if (typeof min === "number") {
        const inside = stringOfLength(schema, example, min);
        if (inside !== undefined) add(field, `minLength ${min}`, true, inside);
        if (min > 0) add(field, `minLength ${min}`, false, (typeof example === "string" ? example : "a".repeat(min)).slice(0, min - 1));
      }
      if (typeof max === "number") {
        const inside = stringOfLength(schema, example, max);
        if (inside !== undefined) add(field, `maxLength ${max}`, true, inside);
        add(field, `maxLength ${max}`, false, (typeof example === "string" && example ? example : "a").padEnd(max + 1, "a"));
      }
      const integer = types.includes("integer");
      const step = integer ? 1 : 0.5;
      for (const [keyword, outside] of [
        ["minimum", -step],
        ["maximum", step],
        ["exclusiveMinimum", 0],
        ["exclusiveMaximum", 0],
      ] as const) {
        const bound = schema[keyword];
        if (typeof bound !== "number") continue;
        const exclusive = keyword.startsWith("exclusive");
        const inward = keyword.endsWith("inimum") ? step : -step;
        add(field, `${keyword} ${bound}`, true, exclusive ? bound + inward : bound);
        add(field, `${keyword} ${bound}`, false, exclusive ? bound : bound + outside);
      }
      if ((schema.pattern || schema.format) && typeof example === "string" && example) {
        const label = [schema.pattern && "pattern", schema.format && `format ${String(schema.format)}`].filter(Boolean).join(", ");
        add(field, label, true, example);
        // Same length, broken first character: fails the pattern or format without touching lengths.
        add(field, label, false, "!" + example.slice(1));
      }
    }
    if (part.additionalProperties === false) add("unexpectedField", "additionalProperties false", false, "x");
  }
  return cases;
}
