/**
 * Rules every level applies (document, operation, parameter, header, schema): documentation is a
 * patch, `deprecated: true` added is minor, and a key no rule knows is judged conservatively
 * (../README.md, "Patch" and "Conservative defaults").
 */
import { isObject, type JsonObject } from "../../lib/specs.ts";
import { emit, same, type Ctx, type Loc } from "./core.ts";

/** Documentation keywords and how a change of each is worded. */
export const DOC_KEYS: Record<string, string> = {
  description: "description",
  title: "title",
  summary: "summary",
  examples: "examples",
  example: "example",
  externalDocs: "external docs",
  $comment: "comment",
  "x-otpkit-disagreement": "`x-otpkit-disagreement` note",
};

/** Documentation changed: a patch (the generated TSDoc changes). */
export function compareDocs(ctx: Ctx, loc: Loc, o: JsonObject, n: JsonObject, keys = Object.keys(DOC_KEYS)): void {
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

/** `deprecated: true` added: minor (a deprecation); removed: patch. */
export function compareDeprecated(ctx: Ctx, loc: Loc, o: JsonObject, n: JsonObject): void {
  const was = o.deprecated === true;
  const is = n.deprecated === true;
  if (!was && is) emit(ctx, loc, "minor", "api", "deprecated", "deprecation");
  if (was && !is) emit(ctx, loc, "patch", "docs", "no longer deprecated", "documentation");
}

/**
 * Keys no rule of the caller handles: an unknown `x-otpkit-*` is minor (SDK), another `x-` or a
 * `neutral` key a patch, `discriminator` minor, anything else major ("treated as breaking").
 */
export function compareOtherKeys(ctx: Ctx, loc: Loc, o: JsonObject, n: JsonObject, handled: Set<string>, neutral: Set<string> = new Set()): void {
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
