/**
 * Classifies every difference between two versions of an otpkit OpenAPI spec as a semver bump
 * of the package generated from it. The rules, and why, are in ./README.md ("How changes are
 * classified"); the table test in ../test/spec-changeset-classify.test.ts pins them.
 *
 * The comparison runs on the parsed documents after `$ref`s are followed, so moving a schema
 * into `components` (or back) is not an API change. Each change is judged by the position the
 * value sits in:
 * - write positions (the SDK user sends them): parameters, request bodies, and the answer a
 *   webhook receiver returns. Narrowing breaks callers; widening does not.
 * - read positions (the SDK user receives them): responses, response headers, webhook payloads
 *   (which the SDK's webhook parser hands to the user). Removing, making optional or nullable,
 *   or widening what a reader may receive breaks readers; adding fields does not.
 */
import { asArray, isObject, resolvePointer, type Json, type JsonObject, type OpenApiDocument } from "../lib/specs.ts";

export type Bump = "major" | "minor" | "patch";
/** `api`: the vendor API changed; `sdk`: only what the SDK does changed; `docs`: text only. */
export type ChangeKind = "api" | "sdk" | "docs";

export const BUMP_RANK: Record<Bump, number> = { patch: 0, minor: 1, major: 2 };

export function maxBump(bumps: Iterable<Bump>): Bump | undefined {
  let best: Bump | undefined;
  for (const bump of bumps) if (!best || BUMP_RANK[bump] > BUMP_RANK[best]) best = bump;
  return best;
}

export interface Change {
  bump: Bump;
  kind: ChangeKind;
  /** What the change belongs to: "Operation `VerifyPin`", "Webhook `otpUpdate`", "API", ... */
  subject: string;
  /** Where inside the subject, e.g. "request field `pin`"; empty for the subject itself. */
  where: string;
  /** What changed, e.g. "now has `maxLength: 10`". */
  text: string;
  /** Why this bump, e.g. "narrowed input: breaking". */
  reason: string;
  /** Set when the change sits inside a shared component, so repeated reports can be merged. */
  component?: { label: string; where: string };
  /** The operation (or webhook) and position through which the change was reached. */
  usage?: { op: string; at: string };
}

export interface Classification {
  changes: Change[];
  /** The highest bump among the changes; undefined when nothing changed. */
  bump: Bump | undefined;
}

type Dir = "write" | "read";

interface Loc {
  subject: string;
  /** `{ op: "`VerifyPin`", at: "request body" }`: the "used by" list of shared components. */
  usage: { op: string; at: string };
  /** Label of the position's root, e.g. "request body", "response 200 body". */
  root: string;
  /** Label prefix for a field under the root, e.g. "request field". */
  field: string;
  path: string[];
  dir: Dir;
  /**
   * Inside an error response (4xx, 5xx, default): callers must already handle errors they do not
   * know (any call can fail with an undocumented status or code), so a new value there is not
   * breaking.
   */
  error?: boolean;
  /**
   * A read position the SDK validates: webhook payloads, which its webhook parser checks against
   * the schema. Narrowing there makes the parser reject payloads it accepted, which is breaking.
   * (Responses are typed, not validated, by the SDK.)
   */
  validated?: boolean;
  /** What a read position is called in reasons: "response" or "webhook payload". */
  noun?: string;
  /** The innermost shared component the position is in; `prefix` names a header inside it. */
  component?: { label: string; path: string[]; prefix?: string };
  /** Components being compared further up the stack (cycle guard). */
  stack: Set<string>;
}

interface Ctx {
  old: OpenApiDocument;
  new: OpenApiDocument;
  changes: Change[];
  /** Component schemas (new document) reached from an operation or webhook. */
  usedSchemas: Set<string>;
}

// ---------------------------------------------------------------------------------------------
// Public entry points

/** Every change from `oldDoc` to `newDoc`. */
export function classifySpecChange(oldDoc: OpenApiDocument, newDoc: OpenApiDocument): Classification {
  const ctx: Ctx = { old: oldDoc, new: newDoc, changes: [], usedSchemas: new Set() };
  compareDocumentLevel(ctx);
  compareSecurity(ctx);
  compareOperations(ctx);
  compareExportedTypes(ctx);
  return { changes: ctx.changes, bump: maxBump(ctx.changes.map((c) => c.bump)) };
}

/** A spec that did not exist at the base: a new package, a minor release listing what it offers. */
export function classifyNewSpec(doc: OpenApiDocument): Classification {
  const changes: Change[] = [];
  for (const op of walkOperations(doc)) {
    const summary = typeof op.node.summary === "string" ? op.node.summary.trim() : "";
    const what = op.kind === "operation" ? `\`${op.method.toUpperCase()} ${op.path}\`` : "payload parsed by the SDK";
    changes.push({
      bump: "minor",
      kind: "api",
      subject: op.subject,
      where: "",
      text: summary ? `${what}: ${summary}` : what,
      reason: op.kind === "operation" ? "new operation" : "new webhook",
    });
  }
  return { changes, bump: "minor" };
}

/** A spec that exists at the base but no longer: every operation is gone. */
export function classifyRemovedSpec(doc: OpenApiDocument): Classification {
  const changes: Change[] = walkOperations(doc).map((op) => ({
    bump: "major" as const,
    kind: "api" as const,
    subject: op.subject,
    where: "",
    text: "removed (the spec was deleted)",
    reason: "removed operation: breaking",
  }));
  return { changes, bump: "major" };
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Canonical JSON (sorted keys), for deep equality. */
export function canon(value: Json | undefined): string {
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return `[${value.map(canon).join(",")}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canon(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

const same = (a: Json | undefined, b: Json | undefined) => canon(a) === canon(b);

/** A value for display: strings bare, everything else as JSON, shortened. */
function show(value: Json | undefined): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
const code = (value: Json | undefined) => `\`${show(value)}\``;

function emit(ctx: Ctx, loc: Loc, bump: Bump, kind: ChangeKind, text: string, reason: string): void {
  const change: Change = { bump, kind, subject: loc.subject, where: whereOf(loc), text, reason };
  if (loc.usage.op) change.usage = loc.usage;
  if (loc.component) {
    const p = formatPath(loc.component.path);
    const where = [loc.component.prefix, p ? `field \`${p}\`` : ""].filter(Boolean).join(" ");
    change.component = { label: loc.component.label, where };
  }
  ctx.changes.push(change);
}

function emitAt(ctx: Ctx, subject: string, where: string, bump: Bump, kind: ChangeKind, text: string, reason: string): void {
  ctx.changes.push({ bump, kind, subject, where, text, reason });
}

function whereOf(loc: Loc): string {
  const p = formatPath(loc.path);
  return p ? `${loc.field} \`${p}\`` : loc.root;
}

/** `["data", "[]", "status"]` → `data[].status`; variants are `<Name>`, map values `{*}`. */
function formatPath(path: string[]): string {
  let out = "";
  for (const seg of path) {
    if (seg === "[]" || seg.startsWith("<") || seg === "{*}") out += seg;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

function child(loc: Loc, seg: string): Loc {
  return {
    ...loc,
    path: [...loc.path, seg],
    component: loc.component ? { ...loc.component, path: [...loc.component.path, seg] } : undefined,
  };
}

const COMPONENT_LABEL: Record<string, string> = {
  schemas: "Schema",
  responses: "Response",
  headers: "Header",
  parameters: "Parameter",
  requestBodies: "Request body",
};

interface Resolved {
  node: JsonObject | undefined;
  /** `schemas/DataOtp`: the innermost component the `$ref` chain went through. */
  component?: { section: string; name: string };
}

/** Follows `$ref`s (keeping 3.1 sibling keywords) and remembers the component reached. */
function resolve(doc: OpenApiDocument, node: Json | undefined): Resolved {
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
function resolveSchema(doc: OpenApiDocument, node: Json | undefined): Resolved {
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

/** Enters a resolved component: reports inside it are attributed to it. */
function enter(loc: Loc, o: Resolved, n: Resolved): { loc: Loc; key?: string } {
  const comp = n.component ?? o.component;
  if (!comp) return { loc };
  const key = `${o.component ? componentLabel(o.component) : "-"}|${n.component ? componentLabel(n.component) : "-"}`;
  return { loc: { ...loc, component: { label: componentLabel(comp), path: [] } }, key };
}

// ---------------------------------------------------------------------------------------------
// Judgements by position

const PARSER_BREAKS = "the webhook parser now rejects payloads it accepted: breaking";
const noun = (loc: Loc) => loc.noun ?? "response";

function narrowed(loc: Loc): [Bump, string] {
  if (loc.dir === "write") return ["major", "narrowed input: breaking"];
  return loc.validated ? ["major", PARSER_BREAKS] : ["minor", "narrowed output"];
}
function widened(loc: Loc): [Bump, string] {
  return loc.dir === "write" ? ["minor", "widened input"] : ["major", "widened output, readers may get values they do not handle: breaking"];
}
/** Constraints (lengths, bounds, patterns, formats) do not change the TypeScript types of outputs. */
function constraintJudgement(loc: Loc, isNarrowing: boolean): [Bump, string] {
  if (loc.dir === "write") return isNarrowing ? ["major", "narrowed input: breaking"] : ["minor", "widened input"];
  if (loc.validated) return isNarrowing ? ["major", PARSER_BREAKS] : ["minor", "looser constraint: the webhook parser accepts more"];
  return ["minor", isNarrowing ? "stricter response constraint" : "looser response constraint"];
}

// ---------------------------------------------------------------------------------------------
// Schemas

const DOC_KEYS: Record<string, string> = {
  description: "description",
  title: "title",
  summary: "summary",
  examples: "examples",
  example: "example",
  externalDocs: "external docs",
  $comment: "comment",
  "x-otpkit-disagreement": "`x-otpkit-disagreement` note",
};
const LOWER_BOUNDS = ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"];
const UPPER_BOUNDS = ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"];
const OTHER_CONSTRAINTS = ["pattern", "format", "multipleOf", "uniqueItems", "contentMediaType", "contentEncoding"];
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

function compareDocs(ctx: Ctx, loc: Loc, o: JsonObject, n: JsonObject, keys = Object.keys(DOC_KEYS)): void {
  for (const key of keys) {
    if (same(o[key], n[key])) continue;
    const label = DOC_KEYS[key] ?? key;
    const verb = o[key] === undefined ? "added" : n[key] === undefined ? "removed" : "changed";
    if (key === "examples" && isObject(o[key]) && isObject(n[key])) {
      emit(ctx, loc, "patch", "docs", `examples changed (${describeMapDiff(o[key], n[key])})`, "documentation");
    } else {
      emit(ctx, loc, "patch", "docs", `${label} ${verb}`, "documentation");
    }
  }
}

function describeMapDiff(a: JsonObject, b: JsonObject): string {
  const parts: string[] = [];
  const added = Object.keys(b).filter((k) => !(k in a));
  const removed = Object.keys(a).filter((k) => !(k in b));
  const changed = Object.keys(a).filter((k) => k in b && !same(a[k], b[k]));
  if (added.length) parts.push(`added ${added.map((k) => `\`${k}\``).join(", ")}`);
  if (removed.length) parts.push(`removed ${removed.map((k) => `\`${k}\``).join(", ")}`);
  if (changed.length) parts.push(`changed ${changed.map((k) => `\`${k}\``).join(", ")}`);
  return parts.join("; ") || "reordered";
}

function compareSchema(ctx: Ctx, oldNode: Json | undefined, newNode: Json | undefined, loc: Loc): void {
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
  if (!same(o.default, n.default)) {
    const text =
      n.default === undefined ? `no longer has a default (was ${code(o.default)})` : o.default === undefined ? `now defaults to ${code(n.default)}` : `default is now ${code(n.default)} (was ${code(o.default)})`;
    if (loc.dir === "write") emit(ctx, loc, "minor", "api", text, "the value used when you leave it out changed");
    else emit(ctx, loc, "patch", "docs", text, "documentation");
  }
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

function compareDeprecated(ctx: Ctx, loc: Loc, o: JsonObject, n: JsonObject): void {
  const was = o.deprecated === true;
  const is = n.deprecated === true;
  if (!was && is) emit(ctx, loc, "minor", "api", "deprecated", "deprecation");
  if (was && !is) emit(ctx, loc, "patch", "docs", "no longer deprecated", "documentation");
}

function typeSet(s: JsonObject): Set<string> | undefined {
  let types: string[] | undefined;
  if (typeof s.type === "string") types = [s.type];
  else if (Array.isArray(s.type)) types = s.type.map(String);
  if (types && s.nullable === true) types.push("null");
  return types ? new Set(types) : undefined;
}

function compareTypes(ctx: Ctx, loc: Loc, o: JsonObject, n: JsonObject): void {
  const ot = typeSet(o);
  const nt = typeSet(n);
  const fmt = (set: Set<string>) => [...set].sort().map((t) => `\`${t}\``).join(" | ");
  if (!ot && !nt) return;
  if (!ot && nt) {
    emit(ctx, loc, ...flip(narrowed(loc), `now restricted to type ${fmt(nt)}`));
    return;
  }
  if (ot && !nt) {
    emit(ctx, loc, ...flip(widened(loc), `no longer restricted to type ${fmt(ot)}`));
    return;
  }
  const covers = (set: Set<string>, t: string) => set.has(t) || (t === "integer" && set.has("number"));
  const added = [...nt!].filter((t) => !covers(ot!, t));
  const removed = [...ot!].filter((t) => !covers(nt!, t));
  const addedValues = added.filter((t) => t !== "null");
  const removedValues = removed.filter((t) => t !== "null");
  const nonNull = (set: Set<string>) => new Set([...set].filter((t) => t !== "null"));
  const change = `type is now ${fmt(nonNull(nt!))} (was ${fmt(nonNull(ot!))})`;
  if (addedValues.length && removedValues.length) {
    emit(ctx, loc, "major", "api", change, "type changed: breaking");
  } else if (addedValues.length) {
    emit(ctx, loc, ...flip(widened(loc), change));
  } else if (removedValues.length) {
    emit(ctx, loc, ...flip(narrowed(loc), change));
  }
  if (added.includes("null")) {
    if (loc.dir === "write") emit(ctx, loc, "minor", "api", "now accepts `null`", "widened input");
    else emit(ctx, loc, "major", "api", "now nullable", `${noun(loc)} field made nullable: breaking`);
  }
  if (removed.includes("null")) {
    if (loc.dir === "write") emit(ctx, loc, "major", "api", "no longer accepts `null`", "narrowed input: breaking");
    else emit(ctx, loc, ...flip(narrowed(loc), "no longer `null`"));
  }
}

/** Reorders a [bump, reason] judgement plus a text into emit()'s argument order. */
function flip([bump, reason]: [Bump, string], text: string): [Bump, ChangeKind, string, string] {
  return [bump, "api", text, reason];
}

function enumValues(s: JsonObject): Json[] | undefined {
  if (Array.isArray(s.enum)) return s.enum;
  if ("const" in s) return [s.const as Json];
  return undefined;
}

function compareEnums(ctx: Ctx, loc: Loc, o: JsonObject, n: JsonObject): void {
  const oe = enumValues(o);
  const ne = enumValues(n);
  if (!oe && !ne) return;
  const list = (values: Json[]) => values.map(code).join(", ");
  if (!oe && ne) {
    if (loc.dir === "write") emit(ctx, loc, "major", "api", `now limited to ${list(ne)}`, "narrowed input: breaking");
    else emit(ctx, loc, ...flip(narrowed(loc), `values now listed: ${list(ne)}`));
    return;
  }
  if (oe && !ne) {
    if (loc.dir === "write") emit(ctx, loc, "minor", "api", `no longer limited to ${list(oe)}`, "widened input");
    else if (loc.error) emit(ctx, loc, "minor", "api", `no longer limited to ${list(oe)}`, "widened error response");
    else emit(ctx, loc, "major", "api", `no longer limited to ${list(oe)}`, "widened output, readers may get values they do not handle: breaking");
    return;
  }
  const oldKeys = new Set(oe!.map(canon));
  const newKeys = new Set(ne!.map(canon));
  for (const value of ne!) {
    if (oldKeys.has(canon(value))) continue;
    if (loc.dir === "write") emit(ctx, loc, "minor", "api", `enum value ${code(value)} added`, "new enum value in a request");
    else if (loc.error) emit(ctx, loc, "minor", "api", `enum value ${code(value)} added`, "new value in an error response");
    else emit(ctx, loc, "major", "api", `enum value ${code(value)} added`, "new value in a response-readable position: breaking");
  }
  for (const value of oe!) {
    if (newKeys.has(canon(value))) continue;
    if (loc.dir === "write") emit(ctx, loc, "major", "api", `enum value ${code(value)} removed`, "removed input value: breaking");
    else emit(ctx, loc, "major", "api", `enum value ${code(value)} removed`, "removed from a response-readable position: breaking");
  }
}

function compareConstraints(ctx: Ctx, loc: Loc, o: JsonObject, n: JsonObject): void {
  for (const key of [...LOWER_BOUNDS, ...UPPER_BOUNDS]) {
    const ov = o[key];
    const nv = n[key];
    if (same(ov, nv)) continue;
    let isNarrowing: boolean;
    let text: string;
    if (ov === undefined) {
      isNarrowing = true;
      text = `now has \`${key}: ${show(nv)}\``;
    } else if (nv === undefined) {
      isNarrowing = false;
      text = `no longer has \`${key}\` (was ${show(ov)})`;
    } else {
      const lower = LOWER_BOUNDS.includes(key);
      isNarrowing = typeof ov === "number" && typeof nv === "number" ? (lower ? nv > ov : nv < ov) : true;
      text = `\`${key}\` is now ${show(nv)} (was ${show(ov)})`;
    }
    const [bump, reason] = constraintJudgement(loc, isNarrowing);
    emit(ctx, loc, bump, "api", text, reason);
  }
  for (const key of OTHER_CONSTRAINTS) {
    const ov = o[key];
    const nv = n[key];
    if (same(ov, nv)) continue;
    if (key === "format" && (ov === "password" || nv === "password")) {
      // `format: password` marks a secret: the runtime scrubs it from URLs and errors.
      const text = nv === "password" ? "now treated as a secret (`format: password`): redacted from URLs and errors" : "no longer treated as a secret (`format: password` removed)";
      emit(ctx, loc, "minor", "sdk", text, "SDK behaviour");
      if (ov === undefined || nv === undefined) continue;
    }
    let isNarrowing: boolean;
    let text: string;
    if (ov === undefined || ov === false) {
      isNarrowing = true;
      text = `now has \`${key}: ${show(nv)}\``;
    } else if (nv === undefined || nv === false) {
      isNarrowing = false;
      text = `no longer has \`${key}\` (was ${code(ov)})`;
    } else {
      isNarrowing = true; // a different pattern or format is not comparable: assume the worst
      text = `\`${key}\` is now ${code(nv)} (was ${code(ov)})`;
    }
    const [bump, reason] = constraintJudgement(loc, isNarrowing);
    emit(ctx, loc, bump, "api", text, reason);
  }
}

const propertiesOf = (s: JsonObject): JsonObject => (isObject(s.properties) ? s.properties : {});
const requiredOf = (s: JsonObject): Set<string> => new Set(asArray(s.required).map(String));

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

/** True when two schemas differ in nothing but documentation. */
function equivalentSchemas(ctx: Ctx, a: Json | undefined, b: Json | undefined, dir: Dir): boolean {
  const scratch: Ctx = { ...ctx, changes: [], usedSchemas: new Set() };
  const loc: Loc = { subject: "", usage: { op: "", at: "" }, root: "", field: "", path: [], dir, stack: new Set() };
  compareSchema(scratch, a, b, loc);
  return scratch.changes.every((c) => c.bump === "patch");
}

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

function compareClientOption(ctx: Ctx, loc: Loc, o: JsonObject, n: JsonObject): void {
  const ov = o["x-otpkit-client-option"];
  const nv = n["x-otpkit-client-option"];
  if (same(ov, nv)) return;
  if (ov === undefined) emit(ctx, loc, "minor", "sdk", `the client now fills it from its \`${show(nv)}\` option`, "new client option");
  else if (nv === undefined) emit(ctx, loc, "major", "sdk", `no longer filled from the client's \`${show(ov)}\` option`, "client option removed: breaking");
  else emit(ctx, loc, "major", "sdk", `client option renamed from \`${show(ov)}\` to \`${show(nv)}\``, "client option renamed: breaking");
}

/** Keys no rule above handles: extensions by prefix, anything else conservatively. */
function compareOtherKeys(ctx: Ctx, loc: Loc, o: JsonObject, n: JsonObject, handled: Set<string>, neutral: Set<string> = new Set()): void {
  const keys = new Set([...Object.keys(o), ...Object.keys(n)]);
  for (const key of keys) {
    if (handled.has(key) || same(o[key], n[key])) continue;
    if (key.startsWith("x-otpkit-")) {
      emit(ctx, loc, "minor", "sdk", `\`${key}\` changed`, "SDK behaviour (extension not classified automatically)");
    } else if (key.startsWith("x-") || neutral.has(key)) {
      emit(ctx, loc, "patch", "docs", `\`${key}\` changed`, "documentation");
    } else if (key === "discriminator") {
      emit(ctx, loc, "minor", "api", "`discriminator` changed", "variant matching changed");
    } else {
      emit(ctx, loc, "major", "api", `\`${key}\` changed`, "not classified automatically: treated as breaking");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Document level

function docLoc(subject: string): Loc {
  return { subject, usage: { op: "", at: "" }, root: "", field: "field", path: [], dir: "read", stack: new Set() };
}

function compareDocumentLevel(ctx: Ctx): void {
  const api = docLoc("API");
  const oi = isObject(ctx.old.info) ? ctx.old.info : {};
  const ni = isObject(ctx.new.info) ? ctx.new.info : {};
  if (!same(oi.version, ni.version)) {
    emit(ctx, api, "patch", "docs", `vendor API version is now ${code(ni.version)} (was ${code(oi.version)})`, "documentation");
  }
  for (const key of new Set([...Object.keys(oi), ...Object.keys(ni)])) {
    if (key === "version" || same(oi[key], ni[key])) continue;
    emit(ctx, api, "patch", "docs", `${key === "x-otpkit-disagreement" ? "`x-otpkit-disagreement` note" : `info.${key}`} changed`, "documentation");
  }
  if (!same(ctx.old.openapi, ctx.new.openapi)) {
    emit(ctx, api, "patch", "docs", `OpenAPI version is now ${code(ctx.new.openapi)} (was ${code(ctx.old.openapi)})`, "documentation");
  }
  const serverUrls = (doc: OpenApiDocument): Json[] => asArray(doc.servers).map((s) => (isObject(s) && s.url !== undefined ? s.url : null));
  if (!same(serverUrls(ctx.old), serverUrls(ctx.new))) {
    const first = (doc: OpenApiDocument) => serverUrls(doc)[0];
    emit(ctx, api, "minor", "api", `default server is now ${code(first(ctx.new) ?? "none")} (was ${code(first(ctx.old) ?? "none")})`, "new default base URL");
  } else if (!same(ctx.old.servers, ctx.new.servers)) {
    emit(ctx, api, "patch", "docs", "server descriptions changed", "documentation");
  }
  for (const key of ["tags", "externalDocs", "x-otpkit-disagreement", "jsonSchemaDialect"]) {
    if (!same(ctx.old[key], ctx.new[key])) emit(ctx, api, "patch", "docs", `${key === "x-otpkit-disagreement" ? "`x-otpkit-disagreement` note" : `\`${key}\``} changed`, "documentation");
  }
  compareErrorFields(ctx, api);
  const handled = new Set(["openapi", "info", "servers", "tags", "externalDocs", "x-otpkit-disagreement", "jsonSchemaDialect", "x-otpkit-error-fields", "paths", "webhooks", "components", "security"]);
  compareOtherKeys(ctx, api, ctx.old, ctx.new, handled);
}

function compareErrorFields(ctx: Ctx, api: Loc): void {
  const o = isObject(ctx.old["x-otpkit-error-fields"]) ? ctx.old["x-otpkit-error-fields"] : {};
  const n = isObject(ctx.new["x-otpkit-error-fields"]) ? ctx.new["x-otpkit-error-fields"] : {};
  for (const key of new Set([...Object.keys(o), ...Object.keys(n)])) {
    if (same(o[key], n[key])) continue;
    const text = `error \`${key}\` is now read from ${code(n[key] ?? "nowhere")} (was ${code(o[key] ?? "nowhere")})`;
    if (key === "message") emit(ctx, api, "minor", "sdk", text, "SDK behaviour: error messages change");
    else emit(ctx, api, "major", "sdk", text, `SDK behaviour: \`error.${key}\` values change: breaking`);
  }
}

// ---------------------------------------------------------------------------------------------
// Security

function requirementKeys(value: Json | undefined): string[] {
  return asArray(value)
    .map((req) =>
      isObject(req)
        ? Object.entries(req)
            .map(([name, scopes]) => (asArray(scopes).length ? `${name}[${asArray(scopes).map(String).sort().join(",")}]` : name))
            .sort()
            .join(" + ") || "(none)"
        : "?",
    )
    .sort();
}
const showRequirements = (keys: string[]) => (keys.length ? keys.map((k) => `\`${k}\``).join(" or ") : "none");

function compareSecurity(ctx: Ctx): void {
  const api = docLoc("API");
  const o = requirementKeys(ctx.old.security);
  const n = requirementKeys(ctx.new.security);
  if (!same(o, n)) {
    emit(ctx, api, "major", "api", `authentication is now ${showRequirements(n)} (was ${showRequirements(o)})`, "auth changed: breaking");
  }
  const schemes = (doc: OpenApiDocument): JsonObject => {
    const c = isObject(doc.components) ? doc.components : {};
    return isObject(c.securitySchemes) ? c.securitySchemes : {};
  };
  const os = schemes(ctx.old);
  const ns = schemes(ctx.new);
  for (const name of new Set([...Object.keys(os), ...Object.keys(ns)])) {
    const loc = docLoc(`Security scheme \`${name}\``);
    if (!(name in ns)) {
      emit(ctx, loc, "major", "api", "removed", "auth changed: breaking");
      continue;
    }
    if (!(name in os)) {
      emit(ctx, loc, "minor", "api", "added", "new security scheme");
      continue;
    }
    const a = resolve(ctx.old, os[name]).node ?? {};
    const b = resolve(ctx.new, ns[name]).node ?? {};
    for (const key of ["type", "in", "name", "scheme", "bearerFormat", "flows", "openIdConnectUrl"]) {
      if (!same(a[key], b[key])) emit(ctx, loc, "major", "api", `\`${key}\` is now ${code(b[key] ?? "unset")} (was ${code(a[key] ?? "unset")})`, "auth changed: breaking");
    }
    compareDocs(ctx, loc, a, b, ["description"]);
    compareOtherKeys(ctx, loc, a, b, new Set(["type", "in", "name", "scheme", "bearerFormat", "flows", "openIdConnectUrl", "description"]));
  }
}

// ---------------------------------------------------------------------------------------------
// Operations and webhooks

interface OpInfo {
  kind: "operation" | "webhook";
  key: string;
  subject: string;
  /** "`VerifyPin`" or "webhook `otpUpdate`", for usage lists. */
  short: string;
  id: string;
  method: string;
  path: string;
  node: JsonObject;
  /** Raw parameter nodes (possibly `$ref`s), path-level then operation-level, deduplicated. */
  parameters: Json[];
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

function walkOperations(doc: OpenApiDocument): OpInfo[] {
  const result: OpInfo[] = [];
  const walk = (items: Json | undefined, kind: OpInfo["kind"]) => {
    if (!isObject(items)) return;
    for (const [path, rawItem] of Object.entries(items)) {
      const item = resolve(doc, rawItem).node;
      if (!item) continue;
      for (const method of METHODS) {
        const node = item[method];
        if (!isObject(node)) continue;
        const id = typeof node.operationId === "string" ? node.operationId : `${method.toUpperCase()} ${path}`;
        const params = new Map<string, Json>();
        for (const p of [...asArray(item.parameters), ...asArray(node.parameters)]) {
          const r = resolve(doc, p).node;
          params.set(r ? `${String(r.in)}:${String(r.name)}` : canon(p), p);
        }
        if (kind === "operation") {
          result.push({ kind, key: `op:${id}`, subject: `Operation \`${id}\``, short: `\`${id}\``, id, method, path, node, parameters: [...params.values()] });
        } else {
          const suffix = method === "post" ? "" : ` (${method.toUpperCase()})`;
          result.push({ kind, key: `webhook:${path}:${method}`, subject: `Webhook \`${path}\`${suffix}`, short: `webhook \`${path}\``, id: path, method, path, node, parameters: [...params.values()] });
        }
      }
    }
  };
  walk(doc.paths, "operation");
  walk(doc.webhooks, "webhook");
  return result;
}

function compareOperations(ctx: Ctx): void {
  const oldOps = walkOperations(ctx.old);
  const newOps = walkOperations(ctx.new);
  const newByKey = new Map(newOps.map((op) => [op.key, op]));
  const oldKeys = new Set(oldOps.map((op) => op.key));
  const paired = new Set<string>();
  for (const o of oldOps) {
    const n = newByKey.get(o.key);
    if (n) {
      paired.add(n.key);
      compareOperation(ctx, o, n);
      continue;
    }
    // Same method and path under another operationId: a rename, which renames the SDK method.
    const renamed = o.kind === "operation" ? newOps.find((c) => c.kind === "operation" && !oldKeys.has(c.key) && !paired.has(c.key) && c.method === o.method && c.path === o.path) : undefined;
    if (renamed) {
      paired.add(renamed.key);
      emitAt(ctx, o.subject, "", "major", "api", `renamed to \`${renamed.id}\` (the SDK method is renamed with it)`, "renamed operation: breaking");
      compareOperation(ctx, o, renamed);
      continue;
    }
    emitAt(ctx, o.subject, "", "major", "api", "removed", o.kind === "operation" ? "removed operation: breaking" : "removed webhook: breaking");
  }
  for (const n of newOps) {
    if (paired.has(n.key) || oldKeys.has(n.key)) continue;
    if (n.kind === "operation") emitAt(ctx, n.subject, "", "minor", "api", `added (\`${n.method.toUpperCase()} ${n.path}\`)`, "new operation");
    else emitAt(ctx, n.subject, "", "minor", "api", "added", "new webhook");
  }
}

const OPERATION_HANDLED = new Set([
  "operationId",
  "summary",
  "description",
  "externalDocs",
  "tags",
  "deprecated",
  "parameters",
  "requestBody",
  "responses",
  "security",
  "callbacks",
  "servers",
  "x-otpkit-costs-money",
  "x-otpkit-idempotent",
  "x-otpkit-outcome",
  "x-otpkit-error-codes",
  "x-otpkit-disagreement",
]);

function compareOperation(ctx: Ctx, o: OpInfo, n: OpInfo): void {
  const subject = n.subject;
  const opLoc: Loc = { subject, usage: { op: n.short, at: "" }, root: "", field: "field", path: [], dir: "write", stack: new Set() };
  if (o.method !== n.method || o.path !== n.path) {
    emit(ctx, opLoc, "major", "api", `is now \`${n.method.toUpperCase()} ${n.path}\` (was \`${o.method.toUpperCase()} ${o.path}\`)`, "path changed: breaking");
  }
  compareDocs(ctx, opLoc, o.node, n.node, ["summary", "description", "externalDocs", "x-otpkit-disagreement"]);
  if (!same(o.node.tags, n.node.tags)) emit(ctx, opLoc, "patch", "docs", "tags changed", "documentation");
  compareDeprecated(ctx, opLoc, o.node, n.node);
  compareOperationExtensions(ctx, opLoc, o, n);
  compareOperationSecurity(ctx, opLoc, o, n);
  compareParameters(ctx, o, n);
  compareRequestBody(ctx, o, n);
  compareResponses(ctx, o, n);
  if (!same(o.node.callbacks, n.node.callbacks)) emit(ctx, opLoc, "minor", "api", "`callbacks` changed", "callbacks changed");
  if (!same(o.node.servers, n.node.servers)) emit(ctx, opLoc, "minor", "api", "`servers` changed", "new base URL for this operation");
  compareOtherKeys(ctx, opLoc, o.node, n.node, OPERATION_HANDLED);
}

function compareOperationExtensions(ctx: Ctx, loc: Loc, o: OpInfo, n: OpInfo): void {
  const wasBilled = o.node["x-otpkit-costs-money"] === true;
  const isBilled = n.node["x-otpkit-costs-money"] === true;
  if (!wasBilled && isBilled) {
    emit(ctx, loc, "minor", "sdk", "now marked as billed (`x-otpkit-costs-money`): the client no longer retries it once it may have reached the server", "SDK behaviour");
  } else if (wasBilled && !isBilled) {
    emit(ctx, loc, "minor", "sdk", "no longer marked as billed (`x-otpkit-costs-money` removed): the client may now retry it like any other call", "SDK behaviour");
  }

  const idempotent = (op: OpInfo) => (typeof op.node["x-otpkit-idempotent"] === "boolean" ? op.node["x-otpkit-idempotent"] : op.method === "get");
  if (idempotent(o) !== idempotent(n)) {
    emit(
      ctx,
      loc,
      "minor",
      "sdk",
      idempotent(n)
        ? "now treated as idempotent (`x-otpkit-idempotent`): retried after a response or a timeout"
        : "no longer treated as idempotent (`x-otpkit-idempotent`): not retried after a response or a timeout",
      "SDK behaviour",
    );
  } else if (!same(o.node["x-otpkit-idempotent"], n.node["x-otpkit-idempotent"])) {
    emit(ctx, loc, "patch", "docs", "`x-otpkit-idempotent` now states the method's default explicitly (or no longer does): no effect", "documentation");
  }

  const oo = o.node["x-otpkit-outcome"];
  const no = n.node["x-otpkit-outcome"];
  if (!same(oo, no)) {
    const describe = (v: Json | undefined) =>
      isObject(v) ? `\`${show(v.field)}\` in ${asArray(v.success).map(code).join(", ")}` : "any 2xx (no outcome check)";
    emit(
      ctx,
      loc,
      "major",
      "sdk",
      `success now means ${describe(no)} (was ${describe(oo)}): which 200 answers return and which throw \`OutcomeError\` changed`,
      "SDK behaviour: breaking",
    );
  }

  compareErrorCodes(ctx, loc, o.node["x-otpkit-error-codes"], n.node["x-otpkit-error-codes"]);
}

function compareErrorCodes(ctx: Ctx, loc: Loc, o: Json | undefined, n: Json | undefined): void {
  const index = (list: Json | undefined) => {
    const map = new Map<string, JsonObject>();
    for (const entry of asArray(list)) if (isObject(entry)) map.set(`${show(entry.status)} ${show(entry.code)}`, entry);
    return map;
  };
  const om = index(o);
  const nm = index(n);
  for (const [key, entry] of nm) {
    const before = om.get(key);
    const label = `error code \`${show(entry.code)}\` (status ${show(entry.status)}, \`${show(entry.type)}\`)`;
    if (!before) {
      emit(ctx, loc, "minor", "api", `${label} added`, "new documented error");
      continue;
    }
    if (!same(before.type, entry.type)) {
      emit(ctx, loc, "major", "api", `error code \`${show(entry.code)}\` now has type ${code(entry.type)} (was ${code(before.type)})`, "error type changed: breaking");
    }
    if (!same(before.description, entry.description)) emit(ctx, loc, "patch", "docs", `description of error code \`${show(entry.code)}\` changed`, "documentation");
  }
  for (const [key, entry] of om) {
    if (!nm.has(key)) emit(ctx, loc, "major", "api", `error code \`${show(entry.code)}\` (status ${show(entry.status)}) removed`, "removed from the typed error codes: breaking");
  }
}

function compareOperationSecurity(ctx: Ctx, loc: Loc, o: OpInfo, n: OpInfo): void {
  if (o.node.security === undefined && n.node.security === undefined) return; // the document-level check covers it
  const oe = requirementKeys(o.node.security ?? ctx.old.security);
  const ne = requirementKeys(n.node.security ?? ctx.new.security);
  if (!same(oe, ne)) emit(ctx, loc, "major", "api", `authentication is now ${showRequirements(ne)} (was ${showRequirements(oe)})`, "auth changed: breaking");
}

function compareParameters(ctx: Ctx, o: OpInfo, n: OpInfo): void {
  const dir: Dir = n.kind === "webhook" ? "read" : "write";
  const index = (doc: OpenApiDocument, list: Json[]) => {
    const map = new Map<string, { raw: Json; r: Resolved }>();
    for (const raw of list) {
      const r = resolve(doc, raw);
      if (r.node) map.set(`${String(r.node.in)}:${String(r.node.name)}`, { raw, r });
    }
    return map;
  };
  const om = index(ctx.old, o.parameters);
  const nm = index(ctx.new, n.parameters);
  const paramLoc = (p: JsonObject): Loc => {
    const label = `parameter \`${String(p.name)}\` (${String(p.in)})`;
    return { subject: n.subject, usage: { op: n.short, at: label }, root: label, field: `parameter \`${String(p.name)}\` field`, path: [], dir, stack: new Set() };
  };
  const schemaOf = (p: JsonObject): Json | undefined => {
    if (p.schema !== undefined) return p.schema;
    const content = isObject(p.content) ? Object.values(p.content)[0] : undefined;
    return isObject(content) ? content.schema : undefined;
  };
  const removed = [...om.keys()].filter((k) => !nm.has(k));
  const added = [...nm.keys()].filter((k) => !om.has(k));
  const renamed = new Map<string, string>();
  for (const key of removed) {
    const a = om.get(key)!.r.node!;
    const match = added.find((k) => {
      const b = nm.get(k)!.r.node!;
      return ![...renamed.values()].includes(k) && a.in === b.in && (a.required === true) === (b.required === true) && equivalentSchemas(ctx, schemaOf(a), schemaOf(b), dir);
    });
    if (match) renamed.set(key, match);
  }
  for (const key of removed) {
    const p = om.get(key)!.r.node!;
    const to = renamed.get(key);
    const loc = paramLoc(p);
    if (to) emit(ctx, loc, "major", "api", `renamed to \`${String(nm.get(to)!.r.node!.name)}\``, "renamed input: breaking");
    else emit(ctx, loc, "major", "api", "removed", dir === "write" ? "removed input: breaking" : "removed from what the SDK parses: breaking");
  }
  for (const key of added) {
    if ([...renamed.values()].includes(key)) continue;
    const p = nm.get(key)!.r.node!;
    const loc = paramLoc(p);
    if (dir === "read") emit(ctx, loc, "minor", "api", "added", "new webhook parameter");
    else if (p.required === true) emit(ctx, loc, "major", "api", "added, required", "new required input: breaking");
    else emit(ctx, loc, "minor", "api", "added (optional)", "new optional input");
  }
  for (const [key, { r: or }] of om) {
    const entry = nm.get(key);
    if (!entry) continue;
    const nr = entry.r;
    const a = or.node!;
    const b = nr.node!;
    const entered = enter(paramLoc(b), or, nr).loc;
    const was = a.required === true;
    const is = b.required === true;
    if (!was && is) emit(ctx, entered, ...flip(dir === "write" ? ["major", "input newly required: breaking"] : ["minor", "narrowed output"], "now required"));
    if (was && !is) emit(ctx, entered, ...flip(dir === "write" ? ["minor", "widened input"] : ["major", "made optional: breaking"], "now optional"));
    compareDocs(ctx, entered, a, b, ["description", "example", "examples", "x-otpkit-disagreement"]);
    compareDeprecated(ctx, entered, a, b);
    for (const key2 of ["style", "explode", "allowReserved", "allowEmptyValue"]) {
      if (!same(a[key2], b[key2])) emit(ctx, entered, "major", "api", `\`${key2}\` is now ${code(b[key2] ?? "default")} (was ${code(a[key2] ?? "default")})`, "serialization changed: breaking");
    }
    compareSchema(ctx, schemaOf(a), schemaOf(b), entered);
    compareOtherKeys(ctx, entered, a, b, new Set(["name", "in", "required", "description", "example", "examples", "x-otpkit-disagreement", "deprecated", "style", "explode", "allowReserved", "allowEmptyValue", "schema", "content"]));
  }
}

function compareRequestBody(ctx: Ctx, o: OpInfo, n: OpInfo): void {
  const webhook = n.kind === "webhook";
  const dir: Dir = webhook ? "read" : "write";
  const or = resolve(ctx.old, o.node.requestBody);
  const nr = resolve(ctx.new, n.node.requestBody);
  const root = webhook ? "payload" : "request body";
  const base: Loc = {
    subject: n.subject,
    usage: { op: n.short, at: root },
    root,
    field: webhook ? "payload field" : "request field",
    path: [],
    dir,
    stack: new Set(),
    ...(webhook ? { validated: true, noun: "webhook payload" } : {}),
  };
  if (!or.node && !nr.node) return;
  if (!or.node) {
    if (webhook) emit(ctx, base, "major", "api", "added", "the payload changed shape: breaking");
    else if (nr.node!.required === true) emit(ctx, base, "major", "api", "added, required", "new required input: breaking");
    else emit(ctx, base, "minor", "api", "added (optional)", "new optional input");
    return;
  }
  if (!nr.node) {
    emit(ctx, base, "major", "api", "removed", webhook ? "removed from what the SDK parses: breaking" : "removed input: breaking");
    return;
  }
  const loc = enter(base, or, nr).loc;
  const was = or.node.required === true;
  const is = nr.node.required === true;
  if (!was && is) emit(ctx, loc, ...flip(narrowed(loc), "now required"));
  if (was && !is) emit(ctx, loc, ...flip(webhook ? ["major", "the payload may now be empty: breaking"] : ["minor", "widened input"], "now optional"));
  compareDocs(ctx, loc, or.node, nr.node, ["description", "x-otpkit-disagreement"]);
  compareContent(ctx, or.node.content, nr.node.content, loc);
  compareOtherKeys(ctx, loc, or.node, nr.node, new Set(["required", "description", "content", "x-otpkit-disagreement"]));
}

function compareContent(ctx: Ctx, oc: Json | undefined, nc: Json | undefined, loc: Loc): void {
  const o = isObject(oc) ? oc : {};
  const n = isObject(nc) ? nc : {};
  const many = new Set([...Object.keys(o), ...Object.keys(n)]).size > 1;
  for (const type of new Set([...Object.keys(o), ...Object.keys(n)])) {
    const at: Loc = many ? { ...loc, root: `${loc.root} (${type})`, field: `${loc.field} (${type})` } : loc;
    if (!(type in n)) {
      emit(ctx, at, "major", "api", `media type \`${type}\` removed`, loc.dir === "write" ? "removed input: breaking" : "removed from a response: breaking");
      continue;
    }
    if (!(type in o)) {
      emit(ctx, at, "minor", "api", `media type \`${type}\` added`, loc.dir === "write" ? "widened input" : "new response media type");
      continue;
    }
    const a = resolve(ctx.old, o[type]).node ?? {};
    const b = resolve(ctx.new, n[type]).node ?? {};
    const resolveExamples = (doc: OpenApiDocument, ex: Json | undefined): Json | undefined => {
      if (!isObject(ex)) return ex;
      return Object.fromEntries(Object.entries(ex).map(([k, v]) => [k, resolve(doc, v).node ?? null]));
    };
    const ae = { examples: resolveExamples(ctx.old, a.examples), example: a.example } as JsonObject;
    const be = { examples: resolveExamples(ctx.new, b.examples), example: b.example } as JsonObject;
    compareDocs(ctx, at, ae, be, ["examples", "example"]);
    compareSchema(ctx, a.schema, b.schema, at);
    if (!same(a.encoding, b.encoding)) emit(ctx, at, "minor", "api", "`encoding` changed", "serialization changed");
    compareOtherKeys(ctx, at, a, b, new Set(["schema", "examples", "example", "encoding"]));
  }
}

function compareResponses(ctx: Ctx, o: OpInfo, n: OpInfo): void {
  const webhook = n.kind === "webhook";
  const dir: Dir = webhook ? "write" : "read";
  const orr = isObject(o.node.responses) ? o.node.responses : {};
  const nrr = isObject(n.node.responses) ? n.node.responses : {};
  const opLoc: Loc = { subject: n.subject, usage: { op: n.short, at: "" }, root: "", field: "field", path: [], dir, stack: new Set() };
  for (const status of new Set([...Object.keys(orr), ...Object.keys(nrr)])) {
    const root = webhook ? `your answer ${status}` : `response ${status}`;
    if (!(status in nrr)) {
      emit(ctx, { ...opLoc, root }, "major", "api", "removed", webhook ? "removed input: breaking" : "removed response status: breaking");
      continue;
    }
    if (!(status in orr)) {
      emit(ctx, { ...opLoc, root }, "minor", "api", "added", webhook ? "widened input" : "new response status");
      continue;
    }
    const or = resolve(ctx.old, orr[status]);
    const nr = resolve(ctx.new, nrr[status]);
    if (!or.node || !nr.node) continue;
    const error = !webhook && /^([45]..|[45]XX|default)$/i.test(status);
    const base: Loc = { ...opLoc, usage: { op: n.short, at: root }, root: `${root} body`, field: `${root} field`, error };
    const loc = enter(base, or, nr).loc;
    compareDocs(ctx, { ...loc, root }, or.node, nr.node, ["description", "x-otpkit-disagreement"]);
    compareHeaders(ctx, or.node.headers, nr.node.headers, { ...loc, root: `${root} header`, field: `${root} header` });
    compareContent(ctx, or.node.content, nr.node.content, loc);
    if (!same(or.node.links, nr.node.links)) emit(ctx, { ...loc, root }, "patch", "docs", "links changed", "documentation");
    compareOtherKeys(ctx, { ...loc, root }, or.node, nr.node, new Set(["description", "headers", "content", "links", "x-otpkit-disagreement"]));
  }
}

function compareHeaders(ctx: Ctx, oh: Json | undefined, nh: Json | undefined, loc: Loc): void {
  const lower = (h: Json | undefined) => new Map(Object.entries(isObject(h) ? h : {}).map(([k, v]) => [k.toLowerCase(), { name: k, node: v }]));
  const o = lower(oh);
  const n = lower(nh);
  for (const key of new Set([...o.keys(), ...n.keys()])) {
    const name = (n.get(key) ?? o.get(key))!.name;
    const at: Loc = {
      ...loc,
      root: `${loc.root} \`${name}\``,
      field: `${loc.root} \`${name}\` field`,
      component: loc.component ? { ...loc.component, prefix: `header \`${name}\`` } : undefined,
    };
    if (!n.has(key)) {
      emit(ctx, at, "major", "api", "removed", loc.dir === "read" ? "removed from a response: breaking" : "removed input: breaking");
      continue;
    }
    if (!o.has(key)) {
      emit(ctx, at, "minor", "api", "added", loc.dir === "read" ? "new response header" : "widened input");
      const role = resolve(ctx.new, n.get(key)!.node).node?.["x-otpkit-header-role"];
      if (role !== undefined) emit(ctx, at, "minor", "sdk", `read into response metadata as \`${show(role)}\``, "SDK behaviour");
      continue;
    }
    const or = resolve(ctx.old, o.get(key)!.node);
    const nr = resolve(ctx.new, n.get(key)!.node);
    if (!or.node || !nr.node) continue;
    const inner = enter(at, or, nr).loc;
    const a = or.node;
    const b = nr.node;
    if (a.required === true && b.required !== true) emit(ctx, inner, ...flip(loc.dir === "read" ? ["major", "made optional: breaking"] : ["minor", "widened input"], "now optional"));
    if (a.required !== true && b.required === true) emit(ctx, inner, ...flip(loc.dir === "read" ? ["minor", "narrowed output"] : ["major", "input newly required: breaking"], "now always sent"));
    const or_ = a["x-otpkit-header-role"];
    const nr_ = b["x-otpkit-header-role"];
    if (!same(or_, nr_)) {
      if (or_ === undefined) emit(ctx, inner, "minor", "sdk", `now read into response metadata as \`${show(nr_)}\``, "SDK behaviour");
      else if (nr_ === undefined) emit(ctx, inner, "major", "sdk", `no longer read into response metadata (was \`${show(or_)}\`)`, "SDK behaviour: breaking");
      else emit(ctx, inner, "major", "sdk", `now read as \`${show(nr_)}\` (was \`${show(or_)}\`)`, "SDK behaviour: breaking");
    }
    compareDocs(ctx, inner, a, b, ["description", "example", "examples", "x-otpkit-disagreement"]);
    compareDeprecated(ctx, inner, a, b);
    compareSchema(ctx, a.schema, b.schema, inner);
    compareOtherKeys(ctx, inner, a, b, new Set(["required", "x-otpkit-header-role", "description", "example", "examples", "x-otpkit-disagreement", "deprecated", "schema", "style", "explode"]));
  }
}

// ---------------------------------------------------------------------------------------------
// Exported types: the generated packages re-export `components.schemas` under their names.

function compareExportedTypes(ctx: Ctx): void {
  const schemas = (doc: OpenApiDocument): JsonObject => {
    const c = isObject(doc.components) ? doc.components : {};
    return isObject(c.schemas) ? c.schemas : {};
  };
  const os = schemas(ctx.old);
  const ns = schemas(ctx.new);
  const removed = Object.keys(os).filter((k) => !(k in ns));
  const added = Object.keys(ns).filter((k) => !(k in os));
  const renamed = new Map<string, string>();
  for (const name of removed) {
    const match = added.find((a) => ![...renamed.values()].includes(a) && equivalentSchemas(ctx, os[name], ns[a], "read") && equivalentSchemas(ctx, os[name], ns[a], "write"));
    if (match) renamed.set(name, match);
  }
  for (const name of removed) {
    const to = renamed.get(name);
    emitAt(ctx, `Type \`${name}\``, "", "major", "sdk", to ? `renamed to \`${to}\`` : "removed from the package's exports", to ? "exported type renamed: breaking" : "removed exported type: breaking");
  }
  for (const name of added) {
    if ([...renamed.values()].includes(name)) continue;
    emitAt(ctx, `Type \`${name}\``, "", "minor", "sdk", "added to the package's exports", "new exported type");
  }
  // Schemas no operation or webhook reaches still are exported types: compare them on their own.
  for (const name of Object.keys(ns)) {
    if (!(name in os) || ctx.usedSchemas.has(name)) continue;
    const loc: Loc = { subject: `Type \`${name}\``, usage: { op: "", at: "" }, root: "", field: "field", path: [], dir: "read", stack: new Set() };
    compareSchema(ctx, os[name], ns[name], loc);
  }
}
