/**
 * Operations and webhooks: added, removed, renamed (`operationId`, which renames the SDK method),
 * moved to another path or method; per operation its documentation, `deprecated`, `security`,
 * `callbacks`, `servers`, and the extensions that change what the SDK does with the call
 * (`x-otpkit-costs-money`, `x-otpkit-idempotent`, `x-otpkit-outcome`, `x-otpkit-error-codes`,
 * `x-otpkit-not-sent`).
 * What the operation sends and receives is compared in ./messages.ts.
 */
import { asArray, isObject, type Json, type JsonObject } from "../../lib/specs.ts";
import { code, emit, emitAt, same, show, subjectLoc, type Ctx, type Loc } from "./core.ts";
import { compareDeprecated, compareDocs, compareOtherKeys } from "./common.ts";
import { requirementKeys, showRequirements } from "./document.ts";
import { compareParameters, compareRequestBody, compareResponses } from "./messages.ts";
import { walkOperations, type OpInfo } from "./walk.ts";

/** Pairs the operations and webhooks of both documents by key, or by method and path (a rename). */
export function compareOperations(ctx: Ctx): void {
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
  "x-otpkit-not-sent",
  "x-otpkit-disagreement",
]);

function compareOperation(ctx: Ctx, o: OpInfo, n: OpInfo): void {
  const opLoc = subjectLoc(n.subject, "write", n.short);
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

/** `x-otpkit-costs-money` and `x-otpkit-idempotent` (retries), `x-otpkit-outcome`, error codes. */
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
  compareNotSent(ctx, loc, o.node["x-otpkit-not-sent"], n.node["x-otpkit-not-sent"]);
}

/**
 * `x-otpkit-not-sent` (the package's `notSentAnswers`, which @otpkit/verify's failover reads):
 * an answer added is minor (one more refusal moves on to the next provider); removed, or its
 * `reason` changed, is major (verify stops where it moved on, or reports another reason);
 * `description` and `source` are documentation.
 */
function compareNotSent(ctx: Ctx, loc: Loc, o: Json | undefined, n: Json | undefined): void {
  const index = (list: Json | undefined) => {
    const map = new Map<string, JsonObject>();
    for (const a of asArray(list)) {
      if (!isObject(a)) continue;
      const detail = a.code !== undefined ? ` code ${show(a.code)}` : a.type !== undefined ? ` type ${show(a.type)}` : a.outcome !== undefined ? ` outcome ${show(a.outcome)}` : "";
      map.set(`HTTP ${show(a.status)}${detail}`, a);
    }
    return map;
  };
  const om = index(o);
  const nm = index(n);
  for (const [key, answer] of nm) {
    const before = om.get(key);
    if (!before) {
      emit(ctx, loc, "minor", "sdk", `\`x-otpkit-not-sent\`: ${key} added (${code(answer.reason)}): \`notSentAnswers\` lists it, and @otpkit/verify now tries its next provider after it`, "SDK behaviour");
    } else if (!same(before.reason, answer.reason)) {
      emit(ctx, loc, "major", "sdk", `\`x-otpkit-not-sent\`: ${key} now has reason ${code(answer.reason)} (was ${code(before.reason)}): @otpkit/verify reports the new reason`, "SDK behaviour: breaking");
    } else if (!same(before.description, answer.description) || !same(before.source, answer.source)) {
      emit(ctx, loc, "patch", "docs", `\`x-otpkit-not-sent\`: description or source of ${key} changed`, "documentation");
    }
  }
  for (const [key, answer] of om) {
    if (!nm.has(key)) {
      emit(ctx, loc, "major", "sdk", `\`x-otpkit-not-sent\`: ${key} (${code(answer.reason)}) removed: @otpkit/verify now stops after it instead of trying its next provider`, "SDK behaviour: breaking");
    }
  }
}

/** `x-otpkit-error-codes`: entry added (minor), removed or its `type` changed (major). */
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
    // Vendors without an error type (Prelude) list only a status and a code.
    const label = `error code \`${show(entry.code)}\` (status ${show(entry.status)}${entry.type === undefined ? "" : `, \`${show(entry.type)}\``})`;
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

/** An operation's own `security` (falling back to the document's): any change is major. */
function compareOperationSecurity(ctx: Ctx, loc: Loc, o: OpInfo, n: OpInfo): void {
  if (o.node.security === undefined && n.node.security === undefined) return; // the document-level check covers it
  const oe = requirementKeys(o.node.security ?? ctx.old.security);
  const ne = requirementKeys(n.node.security ?? ctx.new.security);
  if (!same(oe, ne)) emit(ctx, loc, "major", "api", `authentication is now ${showRequirements(ne)} (was ${showRequirements(oe)})`, "auth changed: breaking");
}
