/**
 * Exported types: the generated packages re-export `components.schemas` under their names, so an
 * entry added is minor and one removed or renamed is major ("Operations, statuses, auth" table of
 * ../README.md). Schemas no operation or webhook reaches are compared here on their own.
 */
import { componentsOf, emitAt, subjectLoc, type Ctx } from "./core.ts";
import { compareSchema, equivalentSchemas } from "./schemas.ts";

/** Runs after ./operations.ts, which records the schemas operations reach in `ctx.usedSchemas`. */
export function compareExportedTypes(ctx: Ctx): void {
  const os = componentsOf(ctx.old, "schemas");
  const ns = componentsOf(ctx.new, "schemas");
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
    compareSchema(ctx, os[name], ns[name], subjectLoc(`Type \`${name}\``, "read"));
  }
}
