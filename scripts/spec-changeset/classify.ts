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
 *
 * The rules live in ./classify/, one module per thing compared (the README's module map):
 * document.ts (the document and its security), operations.ts (operations and webhooks),
 * messages.ts (parameters, bodies, responses, headers), schemas.ts and values.ts (schemas),
 * exported-types.ts (`components.schemas` as exported types), common.ts (documentation,
 * `deprecated`, unknown keys); core.ts, resolve.ts, judgements.ts and walk.ts are what they share.
 */
import type { OpenApiDocument } from "../lib/specs.ts";
import { maxBump, type Change, type Classification, type Ctx } from "./classify/core.ts";
import { compareDocumentLevel, compareSecurity } from "./classify/document.ts";
import { compareExportedTypes } from "./classify/exported-types.ts";
import { compareOperations } from "./classify/operations.ts";
import { walkOperations } from "./classify/walk.ts";

export { BUMP_RANK, canon, maxBump, type Bump, type Change, type ChangeKind, type Classification } from "./classify/core.ts";

/** Every change from `oldDoc` to `newDoc`. */
export function classifySpecChange(oldDoc: OpenApiDocument, newDoc: OpenApiDocument): Classification {
  const ctx: Ctx = { old: oldDoc, new: newDoc, changes: [], usedSchemas: new Set() };
  compareDocumentLevel(ctx);
  compareSecurity(ctx);
  compareOperations(ctx);
  compareExportedTypes(ctx); // last: it needs the schemas the operations reached
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
