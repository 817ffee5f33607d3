/**
 * What every comparison of the classifier shares: the result types, the context a comparison
 * runs in, the position (`Loc`) a value sits in, how a change is recorded there, and value
 * equality and display. No rule lives here; the rules are in the modules named in ../README.md.
 */
import { isDeepStrictEqual } from "node:util";
import { isObject, type Json, type JsonObject, type OpenApiDocument } from "../../lib/specs.ts";

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

export type Dir = "write" | "read";

export interface Loc {
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

export interface Ctx {
  old: OpenApiDocument;
  new: OpenApiDocument;
  changes: Change[];
  /** Component schemas (new document) reached from an operation or webhook. */
  usedSchemas: Set<string>;
}

/** The position of a whole subject (the API, an operation, an exported type), before any field. */
export function subjectLoc(subject: string, dir: Dir, op = ""): Loc {
  return { subject, usage: { op, at: "" }, root: "", field: "field", path: [], dir, stack: new Set() };
}

/** One section of `components` (`schemas`, `securitySchemes`), empty when the document has none. */
export function componentsOf(doc: OpenApiDocument, section: string): JsonObject {
  const c = isObject(doc.components) ? doc.components : {};
  const entries = c[section];
  return isObject(entries) ? entries : {};
}

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

/**
 * Deep equality, whatever the order of object keys (the classifier asks it of every subtree on its
 * way down both documents). Parsed YAML holds only plain objects, arrays and primitives.
 */
export const same = (a: Json | undefined, b: Json | undefined): boolean => isDeepStrictEqual(a, b);

/** A value for display: strings bare, everything else as JSON, shortened; `(none)` for an absent one. */
export function show(value: Json | undefined): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? "(none)");
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
export const code = (value: Json | undefined) => `\`${show(value)}\``;

/** Records a change at a position, attributed to the shared component it sits in, if any. */
export function emit(ctx: Ctx, loc: Loc, bump: Bump, kind: ChangeKind, text: string, reason: string): void {
  const change: Change = { bump, kind, subject: loc.subject, where: whereOf(loc), text, reason };
  if (loc.usage.op) change.usage = loc.usage;
  if (loc.component) {
    const p = formatPath(loc.component.path);
    const where = [loc.component.prefix, p ? `field \`${p}\`` : ""].filter(Boolean).join(" ");
    change.component = { label: loc.component.label, where };
  }
  ctx.changes.push(change);
}

/** Records a change of a whole subject (an operation or an exported type added, removed, renamed). */
export function emitAt(ctx: Ctx, subject: string, where: string, bump: Bump, kind: ChangeKind, text: string, reason: string): void {
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

/** The position one step deeper: a field, `[]` (array items), `<Variant>` or `{*}` (map values). */
export function child(loc: Loc, seg: string): Loc {
  return {
    ...loc,
    path: [...loc.path, seg],
    component: loc.component ? { ...loc.component, path: [...loc.component.path, seg] } : undefined,
  };
}
