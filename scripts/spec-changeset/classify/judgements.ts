/**
 * The read/write principle as functions: how narrowing or widening is judged at a position.
 * Narrowing what may be written breaks callers; widening what may be read breaks readers; and
 * narrowing a webhook payload, which the SDK's parser validates, makes it reject payloads it
 * accepted. The rows of ../README.md's first table that say "narrowed" or "widened" come from here.
 */
import type { Bump, ChangeKind, Loc } from "./core.ts";

const PARSER_BREAKS = "the webhook parser now rejects payloads it accepted: breaking";

/** What a read position is called in reasons: "response" unless the position says otherwise. */
export const noun = (loc: Loc) => loc.noun ?? "response";

export function narrowed(loc: Loc): [Bump, string] {
  if (loc.dir === "write") return ["major", "narrowed input: breaking"];
  return loc.validated ? ["major", PARSER_BREAKS] : ["minor", "narrowed output"];
}

export function widened(loc: Loc): [Bump, string] {
  return loc.dir === "write" ? ["minor", "widened input"] : ["major", "widened output, readers may get values they do not handle: breaking"];
}

/** Constraints (lengths, bounds, patterns, formats) do not change the TypeScript types of outputs. */
export function constraintJudgement(loc: Loc, isNarrowing: boolean): [Bump, string] {
  if (loc.dir === "write") return isNarrowing ? ["major", "narrowed input: breaking"] : ["minor", "widened input"];
  if (loc.validated) return isNarrowing ? ["major", PARSER_BREAKS] : ["minor", "looser constraint: the webhook parser accepts more"];
  return ["minor", isNarrowing ? "stricter response constraint" : "looser response constraint"];
}

/** Reorders a [bump, reason] judgement plus a text into emit()'s argument order. */
export function flip([bump, reason]: [Bump, string], text: string): [Bump, ChangeKind, string, string] {
  return [bump, "api", text, reason];
}
