/**
 * Turns a spec schema into the compact JSON Schema the runtime's validator checks: `$ref`s
 * inlined, and only the keywords that constrain a value kept (descriptions, examples and
 * extensions are documentation, and would only cost bundle bytes).
 */
import { deref, isObject, type Json, type JsonObject, type OpenApiDocument } from "../lib/specs.ts";

/** Formats the runtime checks; any other format is documentation only. */
export const CHECKED_FORMATS = new Set(["uuid", "date-time", "uri", "url", "ipv4", "phone_number", "BCP-47"]);

const KEPT = [
  "type",
  "enum",
  "const",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "required",
  "minItems",
  "maxItems",
] as const;

export function pruneSchema(doc: OpenApiDocument, node: Json, seen: string[] = []): Json {
  if (isObject(node) && typeof node.$ref === "string") {
    if (seen.includes(node.$ref)) throw new Error(`recursive schema ${node.$ref} cannot be inlined for validation`);
    return pruneSchema(doc, deref(doc, node)!, [...seen, node.$ref]);
  }
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const key of KEPT) {
    const value = node[key];
    if (value === undefined) continue;
    if (key === "required" && Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  if (typeof node.format === "string" && CHECKED_FORMATS.has(node.format)) out.format = node.format;
  if (isObject(node.properties)) {
    out.properties = Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, pruneSchema(doc, v, seen)]));
  }
  if (node.additionalProperties !== undefined && node.additionalProperties !== true) {
    out.additionalProperties = isObject(node.additionalProperties) ? pruneSchema(doc, node.additionalProperties, seen) : node.additionalProperties;
  }
  if (node.items !== undefined) out.items = pruneSchema(doc, node.items, seen);
  for (const key of ["allOf", "anyOf", "oneOf"] as const) {
    const list = node[key];
    if (Array.isArray(list)) out[key] = list.map((item) => pruneSchema(doc, item, seen));
  }
  return out;
}
