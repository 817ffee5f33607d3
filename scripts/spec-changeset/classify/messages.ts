/**
 * What an operation sends and receives, and what a webhook delivers and expects back: parameters
 * (added, removed, renamed, required, serialization), the request body or webhook payload, the
 * responses by status (error responses marked), their headers (`x-otpkit-header-role` included)
 * and media types. The schemas inside are compared by ./schemas.ts at the position set here
 * (write for requests and webhook answers, read for responses and webhook payloads).
 */
import { isObject, type Json, type JsonObject, type OpenApiDocument } from "../../lib/specs.ts";
import { code, emit, same, show, subjectLoc, type Ctx, type Dir, type Loc } from "./core.ts";
import { compareDeprecated, compareDocs, compareOtherKeys } from "./common.ts";
import { flip, narrowed } from "./judgements.ts";
import { enter, resolve, type Resolved } from "./resolve.ts";
import { compareSchema, equivalentSchemas } from "./schemas.ts";
import type { OpInfo } from "./walk.ts";

const PARAMETER_HANDLED = new Set(["name", "in", "required", "description", "example", "examples", "x-otpkit-disagreement", "deprecated", "style", "explode", "allowReserved", "allowEmptyValue", "schema", "content"]);

/** Parameters, paired by `in` and `name`; a removed and an added one with the same schema are a rename. */
export function compareParameters(ctx: Ctx, o: OpInfo, n: OpInfo): void {
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
  const removed = [...om.keys()].filter((k) => !nm.has(k));
  const added = [...nm.keys()].filter((k) => !om.has(k));
  const renamed = new Map<string, string>();
  for (const key of removed) {
    const a = om.get(key)!.r.node!;
    const match = added.find((k) => {
      const b = nm.get(k)!.r.node!;
      return ![...renamed.values()].includes(k) && a.in === b.in && (a.required === true) === (b.required === true) && equivalentSchemas(ctx, parameterSchema(a), parameterSchema(b), dir);
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
    if (entry) compareParameter(ctx, enter(paramLoc(entry.r.node!), or, entry.r).loc, or.node!, entry.r.node!);
  }
}

/** A parameter's schema: `schema`, or the schema of its single `content` entry. */
function parameterSchema(p: JsonObject): Json | undefined {
  if (p.schema !== undefined) return p.schema;
  const content = isObject(p.content) ? Object.values(p.content)[0] : undefined;
  return isObject(content) ? content.schema : undefined;
}

/** One parameter present in both versions: required, docs, `deprecated`, serialization, schema. */
function compareParameter(ctx: Ctx, loc: Loc, a: JsonObject, b: JsonObject): void {
  const was = a.required === true;
  const is = b.required === true;
  if (!was && is) emit(ctx, loc, ...flip(loc.dir === "write" ? ["major", "input newly required: breaking"] : ["minor", "narrowed output"], "now required"));
  if (was && !is) emit(ctx, loc, ...flip(loc.dir === "write" ? ["minor", "widened input"] : ["major", "made optional: breaking"], "now optional"));
  compareDocs(ctx, loc, a, b, ["description", "example", "examples", "x-otpkit-disagreement"]);
  compareDeprecated(ctx, loc, a, b);
  for (const key of ["style", "explode", "allowReserved", "allowEmptyValue"]) {
    if (!same(a[key], b[key])) emit(ctx, loc, "major", "api", `\`${key}\` is now ${code(b[key] ?? "default")} (was ${code(a[key] ?? "default")})`, "serialization changed: breaking");
  }
  compareSchema(ctx, parameterSchema(a), parameterSchema(b), loc);
  compareOtherKeys(ctx, loc, a, b, PARAMETER_HANDLED);
}

/** The request body (or, for a webhook, the payload the SDK parses): added, removed, required, content. */
export function compareRequestBody(ctx: Ctx, o: OpInfo, n: OpInfo): void {
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

/** Media types added or removed; per media type its examples, schema and `encoding`. */
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

/** Response statuses added or removed; per status its docs, headers, content and links. */
export function compareResponses(ctx: Ctx, o: OpInfo, n: OpInfo): void {
  const webhook = n.kind === "webhook";
  const dir: Dir = webhook ? "write" : "read";
  const orr = isObject(o.node.responses) ? o.node.responses : {};
  const nrr = isObject(n.node.responses) ? n.node.responses : {};
  const opLoc = subjectLoc(n.subject, dir, n.short);
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

const HEADER_HANDLED = new Set(["required", "x-otpkit-header-role", "description", "example", "examples", "x-otpkit-disagreement", "deprecated", "schema", "style", "explode"]);

/** Response headers (case-insensitive names): added, removed, required, `x-otpkit-header-role`, schema. */
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
    if (or.node && nr.node) compareHeader(ctx, enter(at, or, nr).loc, or.node, nr.node);
  }
}

/** One header present in both versions. */
function compareHeader(ctx: Ctx, loc: Loc, a: JsonObject, b: JsonObject): void {
  if (a.required === true && b.required !== true) emit(ctx, loc, ...flip(loc.dir === "read" ? ["major", "made optional: breaking"] : ["minor", "widened input"], "now optional"));
  if (a.required !== true && b.required === true) emit(ctx, loc, ...flip(loc.dir === "read" ? ["minor", "narrowed output"] : ["major", "input newly required: breaking"], "now always sent"));
  const oldRole = a["x-otpkit-header-role"];
  const newRole = b["x-otpkit-header-role"];
  if (!same(oldRole, newRole)) {
    if (oldRole === undefined) emit(ctx, loc, "minor", "sdk", `now read into response metadata as \`${show(newRole)}\``, "SDK behaviour");
    else if (newRole === undefined) emit(ctx, loc, "major", "sdk", `no longer read into response metadata (was \`${show(oldRole)}\`)`, "SDK behaviour: breaking");
    else emit(ctx, loc, "major", "sdk", `now read as \`${show(newRole)}\` (was \`${show(oldRole)}\`)`, "SDK behaviour: breaking");
  }
  compareDocs(ctx, loc, a, b, ["description", "example", "examples", "x-otpkit-disagreement"]);
  compareDeprecated(ctx, loc, a, b);
  compareSchema(ctx, a.schema, b.schema, loc);
  compareOtherKeys(ctx, loc, a, b, HEADER_HANDLED);
}
