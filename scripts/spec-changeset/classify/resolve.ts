/**
 * Why moving a schema into `components` (or inlining a shared response) is not an API change:
 * every node is compared after its `$ref` chain is followed (3.1 sibling keywords kept) and its
 * `allOf` folded. The component the chain went through is remembered, so a change inside a shared
 * component is reported once, on the component, with the places that use it.
 */
import { asArray, isObject, resolvePointer, type Json, type JsonObject, type OpenApiDocument } from "../../lib/specs.ts";
import type { Loc } from "./core.ts";

const COMPONENT_LABEL: Record<string, string> = {
  schemas: "Schema",
  responses: "Response",
  headers: "Header",
  parameters: "Parameter",
  requestBodies: "Request body",
};

export interface Resolved {
  node: JsonObject | undefined;
  /** `schemas/DataOtp`: the innermost component the `$ref` chain went through. */
  component?: { section: string; name: string };
}

/** Follows `$ref`s (keeping 3.1 sibling keywords) and remembers the component reached. */
export function resolve(doc: OpenApiDocument, node: Json | undefined): Resolved {
  let current: Json | undefined = node;
  let component: Resolved["component"];
  const siblings: JsonObject = {};
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === "string") {
    const ref = current.$ref;
    for (const [k, v] of Object.entries(current)) if (k !== "$ref" && !(k in siblings)) siblings[k] = v;
    if (seen.has(ref)) throw new Error(`circular $ref ${ref}`);
    seen.add(ref);
    const m = /^#\/components\/([^/]+)\/([^/]+)$/.exec(ref);
    if (m && COMPONENT_LABEL[m[1]!]) component = { section: m[1]!, name: m[2]!.replace(/~1/g, "/").replace(/~0/g, "~") };
    current = resolvePointer(doc, ref);
  }
  if (current === true) current = {};
  if (!isObject(current)) return { node: undefined, component };
  return { node: Object.keys(siblings).length ? { ...current, ...siblings } : current, component };
}

/** Resolves a schema and folds its `allOf` members into one schema. */
export function resolveSchema(doc: OpenApiDocument, node: Json | undefined): Resolved {
  const resolved = resolve(doc, node);
  const schema = resolved.node;
  if (!schema || !Array.isArray(schema.allOf)) return resolved;
  const parts = schema.allOf.map((part) => resolveSchema(doc, part));
  const merged: JsonObject = {};
  for (const part of parts) if (part.node) mergeInto(merged, part.node);
  const own: JsonObject = { ...schema };
  delete own.allOf;
  mergeInto(merged, own);
  // `allOf: [$ref X]` is a wrapper around X (used to add siblings to a $ref): keep X's name.
  const component = parts.length === 1 ? (parts[0]!.component ?? resolved.component) : resolved.component;
  return { node: merged, component };
}

function mergeInto(target: JsonObject, source: JsonObject): void {
  for (const [key, value] of Object.entries(source)) {
    if (key === "properties" && isObject(value)) {
      target.properties = { ...(isObject(target.properties) ? target.properties : {}), ...value };
    } else if (key === "required" && Array.isArray(value)) {
      target.required = [...new Set([...asArray(target.required), ...value].map(String))];
    } else {
      target[key] = value;
    }
  }
}

const componentLabel = (c: NonNullable<Resolved["component"]>) => `${COMPONENT_LABEL[c.section]} \`${c.name}\``;

/**
 * Enters a resolved component: reports inside it are attributed to it. `key` names the pair of
 * components compared, for the cycle guard of recursive schemas.
 */
export function enter(loc: Loc, o: Resolved, n: Resolved): { loc: Loc; key?: string } {
  const comp = n.component ?? o.component;
  if (!comp) return { loc };
  const key = `${o.component ? componentLabel(o.component) : "-"}|${n.component ? componentLabel(n.component) : "-"}`;
  return { loc: { ...loc, component: { label: componentLabel(comp), path: [] } }, key };
}
