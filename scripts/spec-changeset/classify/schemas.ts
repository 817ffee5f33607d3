/**
 * Compares two schemas at a position, recursively: fields added, removed, renamed, made required
 * or optional; array items; `additionalProperties`; `oneOf`/`anyOf` variants;
 * `x-otpkit-client-option`; `readOnly`/`writeOnly`. What values a schema allows (type, enum,
 * bounds, default) is judged in ./values.ts. Both are the rows of ../README.md's first table.
 */
import { asArray, isObject, type Json, type JsonObject, type OpenApiDocument } from "../../lib/specs.ts";
import { child, emit, same, show, subjectLoc, type Ctx, type Dir, type Loc } from "./core.ts";
import { compareDeprecated, compareDocs, compareOtherKeys, DOC_KEYS } from "./common.ts";
import { flip, narrowed, noun, widened } from "./judgements.ts";
import { enter, resolveSchema } from "./resolve.ts";
import { compareConstraints, compareDefault, compareEnums, compareTypes, LOWER_BOUNDS, OTHER_CONSTRAINTS, UPPER_BOUNDS } from "./values.ts";

const SCHEMA_HANDLED = new Set([
  ...Object.keys(DOC_KEYS),
  ...LOWER_BOUNDS,
  ...UPPER_BOUNDS,
  ...OTHER_CONSTRAINTS,
  "type",
  "nullable",
  "enum",
  "const",
  "default",
  "deprecated",
  "readOnly",
  "writeOnly",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "oneOf",
  "anyOf",
  "allOf",
  "x-otpkit-client-option",
]);
/** Keywords whose change cannot affect a value's validity or the generated types. */
const SCHEMA_NEUTRAL = new Set(["$schema", "$id", "$anchor", "xml"]);

/** Compares two (unresolved) schemas at a position; recursive schemas are compared once. */
export function compareSchema(ctx: Ctx, oldNode: Json | undefined, newNode: Json | undefined, loc: Loc): void {
  if (oldNode === undefined && newNode === undefined) return;
  const o = resolveSchema(ctx.old, oldNode);
  const n = resolveSchema(ctx.new, newNode);
  if (n.component?.section === "schemas") ctx.usedSchemas.add(n.component.name);
  const entered = enter(loc, o, n);
  if (entered.key) {
    if (loc.stack.has(entered.key)) return; // recursive schema: already being compared
    loc.stack.add(entered.key);
  }
  try {
    compareResolvedSchema(ctx, o.node ?? {}, n.node ?? {}, entered.loc);
  } finally {
    if (entered.key) loc.stack.delete(entered.key);
  }
}

function compareResolvedSchema(ctx: Ctx, o: JsonObject, n: JsonObject, loc: Loc): void {
  compareDocs(ctx, loc, o, n);
  compareDeprecated(ctx, loc, o, n);
  compareTypes(ctx, loc, o, n);
  compareEnums(ctx, loc, o, n);
  compareConstraints(ctx, loc, o, n);
  compareDefault(ctx, loc, o, n);
  for (const key of ["readOnly", "writeOnly"]) {
    if (!same(o[key], n[key])) emit(ctx, loc, "minor", "api", `\`${key}\` is now ${show(n[key] ?? false)}`, "visibility changed");
  }
  compareProperties(ctx, loc, o, n);
  compareAdditionalProperties(ctx, loc, o, n);
  if (o.items !== undefined || n.items !== undefined) compareSchema(ctx, o.items, n.items, child(loc, "[]"));
  compareVariants(ctx, loc, o, n);
  compareClientOption(ctx, loc, o, n);
  compareOtherKeys(ctx, loc, o, n, SCHEMA_HANDLED, SCHEMA_NEUTRAL);
}

const propertiesOf = (s: JsonObject): JsonObject => (isObject(s.properties) ? s.properties : {});
const requiredOf = (s: JsonObject): Set<string> => new Set(asArray(s.required).map(String));

/** Fields removed, renamed (same schema under a new name), added, made required or optional. */
function compareProperties(ctx: Ctx, loc: Loc, o: JsonObject, n: JsonObject): void {
  const op = propertiesOf(o);
  const np = propertiesOf(n);
  const oreq = requiredOf(o);
  const nreq = requiredOf(n);
  const removed = Object.keys(op).filter((k) => !(k in np));
  const added = Object.keys(np).filter((k) => !(k in op));
  const renamedTo = new Map<string, string>();
  for (const name of removed) {
    const match = added.find(
      (a) => ![...renamedTo.values()].includes(a) && oreq.has(name) === nreq.has(a) && equivalentSchemas(ctx, op[name], np[a], loc.dir),
    );
    if (match) renamedTo.set(name, match);
  }
  for (const name of removed) {
    const at = child(loc, name);
    const to = renamedTo.get(name);
    if (to) {
      emit(ctx, at, "major", "api", `renamed to \`${to}\``, loc.dir === "write" ? "renamed input: breaking" : `renamed ${noun(loc)} field: breaking`);
    } else {
      emit(ctx, at, "major", "api", "removed", loc.dir === "write" ? "removed input: breaking" : `removed from a ${noun(loc)}: breaking`);
    }
  }
  for (const name of added) {
    if ([...renamedTo.values()].includes(name)) continue;
    const at = child(loc, name);
    if (loc.dir === "read") emit(ctx, at, "minor", "api", "added", `new ${noun(loc)} field`);
    else if (nreq.has(name)) emit(ctx, at, "major", "api", "added, required", "new required input: breaking");
    else emit(ctx, at, "minor", "api", "added (optional)", "new optional input");
    compareClientOption(ctx, at, {}, resolveSchema(ctx.new, np[name]).node ?? {});
  }
  for (const name of Object.keys(op)) {
    if (!(name in np)) continue;
    const at = child(loc, name);
    const was = oreq.has(name);
    const is = nreq.has(name);
    if (!was && is) {
      if (loc.dir === "write") emit(ctx, at, "major", "api", "now required", "input newly required: breaking");
      else emit(ctx, at, ...flip(narrowed(at), "now always present"));
    }
    if (was && !is) {
      if (loc.dir === "write") emit(ctx, at, "minor", "api", "now optional", "widened input");
      else emit(ctx, at, "major", "api", "now optional", `${noun(loc)} field made optional: breaking`);
    }
    compareSchema(ctx, op[name], np[name], at);
  }
}

/** True when two schemas differ in nothing but documentation (how renames are recognised). */
export function equivalentSchemas(ctx: Ctx, a: Json | undefined, b: Json | undefined, dir: Dir): boolean {
  const scratch: Ctx = { ...ctx, changes: [], usedSchemas: new Set() };
  compareSchema(scratch, a, b, subjectLoc("", dir));
  return scratch.changes.every((c) => c.bump === "patch");
}

/** `additionalProperties: false` added or removed, or the schema of extra fields changed. */
function compareAdditionalProperties(ctx: Ctx, loc: Loc, o: JsonObject, n: JsonObject): void {
  const ov = o.additionalProperties;
  const nv = n.additionalProperties;
  if (same(ov, nv)) return;
  const mode = (v: Json | undefined) => (v === undefined || v === true ? "open" : v === false ? "closed" : "schema");
  const om = mode(ov);
  const nm = mode(nv);
  if (om === "schema" && nm === "schema") {
    compareSchema(ctx, ov, nv, child(loc, "{*}"));
    return;
  }
  if (om === nm) return; // undefined vs true
  const closing = nm === "closed" || (nm === "schema" && om === "open");
  const text = nm === "closed" ? "no longer accepts fields it does not list (`additionalProperties: false`)" : nm === "open" ? "now accepts fields it does not list" : "extra fields now have a schema";
  if (loc.dir === "write" || (closing && loc.validated)) emit(ctx, loc, ...flip(closing ? narrowed(loc) : widened(loc), text));
  else emit(ctx, loc, "minor", "api", text, closing ? "narrowed output" : `the ${noun(loc)} may carry more fields`);
}

/** A variant's name: its title, its component, its first `const` property, or its position. */
function variantKey(doc: OpenApiDocument, node: Json, index: number): string {
  const r = resolveSchema(doc, node);
  const s = r.node ?? {};
  if (typeof s.title === "string") return s.title;
  if (r.component) return r.component.name;
  for (const [name, prop] of Object.entries(propertiesOf(s))) {
    const p = resolveSchema(doc, prop).node;
    if (p && "const" in p) return `${name}=${show(p.const as Json)}`;
  }
  return `#${index + 1}`;
}

/** `oneOf`/`anyOf` variants added or removed, matched by name and compared. */
function compareVariants(ctx: Ctx, loc: Loc, o: JsonObject, n: JsonObject): void {
  const ou = o.oneOf ?? o.anyOf;
  const nu = n.oneOf ?? n.anyOf;
  if (ou === undefined && nu === undefined) return;
  if (ou === undefined || nu === undefined) {
    emit(ctx, loc, "major", "api", nu ? "is now a union of variants (`oneOf`/`anyOf`)" : "is no longer a union of variants", "not classified automatically: treated as breaking");
    return;
  }
  if ((o.oneOf === undefined) !== (n.oneOf === undefined)) {
    emit(ctx, loc, "minor", "api", `now uses \`${n.oneOf ? "oneOf" : "anyOf"}\` (was \`${o.oneOf ? "oneOf" : "anyOf"}\`)`, "variant matching changed");
  }
  const ov = new Map(asArray(ou).map((v, i) => [variantKey(ctx.old, v, i), v] as const));
  const nv = new Map(asArray(nu).map((v, i) => [variantKey(ctx.new, v, i), v] as const));
  for (const [key, variant] of nv) {
    if (ov.has(key)) {
      compareSchema(ctx, ov.get(key), variant, child(loc, `<${key}>`));
    } else if (loc.dir === "write") {
      emit(ctx, loc, "minor", "api", `variant \`${key}\` added`, "widened input");
    } else if (loc.error) {
      emit(ctx, loc, "minor", "api", `variant \`${key}\` added`, "new variant in an error response");
    } else {
      emit(ctx, loc, "major", "api", `variant \`${key}\` added`, "new variant in a response-readable position: breaking");
    }
  }
  for (const key of ov.keys()) {
    if (nv.has(key)) continue;
    emit(ctx, loc, "major", "api", `variant \`${key}\` removed`, loc.dir === "write" ? "narrowed input: breaking" : "removed from a response-readable position: breaking");
  }
}

/** `x-otpkit-client-option` added (minor), removed or renamed (major). */
function compareClientOption(ctx: Ctx, loc: Loc, o: JsonObject, n: JsonObject): void {
  const ov = o["x-otpkit-client-option"];
  const nv = n["x-otpkit-client-option"];
  if (same(ov, nv)) return;
  if (ov === undefined) emit(ctx, loc, "minor", "sdk", `the client now fills it from its \`${show(nv)}\` option`, "new client option");
  else if (nv === undefined) emit(ctx, loc, "major", "sdk", `no longer filled from the client's \`${show(ov)}\` option`, "client option removed: breaking");
  else emit(ctx, loc, "major", "sdk", `client option renamed from \`${show(ov)}\` to \`${show(nv)}\``, "client option renamed: breaking");
}
