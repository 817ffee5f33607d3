/**
 * What values a schema allows: its type (and `null`), its enum or const, its bounds, lengths,
 * patterns and formats (`format: password` included), and its default. These are the rows of
 * ../README.md's first table from "`null` added to the type" to "`default` changed"; the rows about
 * fields, variants and `additionalProperties` are in ./schemas.ts.
 */
import type { Json, JsonObject } from "../../lib/specs.ts";
import { canon, code, emit, same, show, type Ctx, type Loc } from "./core.ts";
import { constraintJudgement, flip, narrowed, noun, widened } from "./judgements.ts";

export const LOWER_BOUNDS = ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"];
export const UPPER_BOUNDS = ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"];
export const OTHER_CONSTRAINTS = ["pattern", "format", "multipleOf", "uniqueItems", "contentMediaType", "contentEncoding"];

function typeSet(s: JsonObject): Set<string> | undefined {
  let types: string[] | undefined;
  if (typeof s.type === "string") types = [s.type];
  else if (Array.isArray(s.type)) types = s.type.map(String);
  if (types && s.nullable === true) types.push("null");
  return types ? new Set(types) : undefined;
}

/** Type widened, narrowed or changed; `null` added or removed (`nullable: true` counts as `null`). */
export function compareTypes(ctx: Ctx, loc: Loc, o: JsonObject, n: JsonObject): void {
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

function enumValues(s: JsonObject): Json[] | undefined {
  if (Array.isArray(s.enum)) return s.enum;
  if ("const" in s) return [s.const as Json];
  return undefined;
}

/** Enum (or `const`) values added or removed, an enum added to a free value or removed. */
export function compareEnums(ctx: Ctx, loc: Loc, o: JsonObject, n: JsonObject): void {
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

/** Bounds, lengths, patterns and formats tightened or loosened; `format: password` (a secret). */
export function compareConstraints(ctx: Ctx, loc: Loc, o: JsonObject, n: JsonObject): void {
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

/** `default` changed: minor where the caller may leave the value out, documentation elsewhere. */
export function compareDefault(ctx: Ctx, loc: Loc, o: JsonObject, n: JsonObject): void {
  if (same(o.default, n.default)) return;
  const text =
    n.default === undefined ? `no longer has a default (was ${code(o.default)})` : o.default === undefined ? `now defaults to ${code(n.default)}` : `default is now ${code(n.default)} (was ${code(o.default)})`;
  if (loc.dir === "write") emit(ctx, loc, "minor", "api", text, "the value used when you leave it out changed");
  else emit(ctx, loc, "patch", "docs", text, "documentation");
}
