/**
 * Reads otpkit's OpenAPI specs and walks them: the one place that knows how a spec file is
 * loaded, how local `$ref`s resolve, and how operations are enumerated.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { cachedParse, storeParse } from "./spec-cache.ts";

/** A JSON value as it comes out of a YAML spec. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface OpenApiDocument extends JsonObject {
  openapi: string;
  info: JsonObject;
  paths: JsonObject;
}

export function loadSpec(file: string): OpenApiDocument {
  return parseSpec(readFileSync(file, "utf8"), file);
}

// One process often reads the same spec more than once: the generator (its model, then its mock
// data), a vendor's contract suite (its table, then its model), the test files that share a vitest
// worker. So each text is parsed once per process (the last few texts are kept; across processes,
// ./spec-cache.ts keeps them), and every caller gets a copy of its own (structuredClone, about
// 2 ms), free to change it.
const parsed = new Map<string, OpenApiDocument>();
const PARSED_KEPT = 8;

export function parseSpec(text: string, name = "spec"): OpenApiDocument {
  let doc = parsed.get(text);
  if (doc) {
    parsed.delete(text); // most recently used last: the first entry is the one to drop
  } else {
    const stored = cachedParse(text);
    const value = stored ?? (parse(text) as unknown);
    if (!isObject(value) || typeof value.openapi !== "string" || !isObject(value.paths)) {
      throw new Error(`${name} is not an OpenAPI document (no openapi version or no paths)`);
    }
    doc = value as OpenApiDocument;
    if (stored === undefined) storeParse(text, doc);
    if (parsed.size >= PARSED_KEPT) parsed.delete(parsed.keys().next().value!);
  }
  parsed.set(text, doc);
  return structuredClone(doc);
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Follows a local `$ref` chain (`#/components/...`) to the node it names. */
export function deref<T extends Json = Json>(doc: OpenApiDocument, node: Json | undefined): T | undefined {
  let current = node;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === "string") {
    const ref = current.$ref;
    if (seen.has(ref)) throw new Error(`circular $ref ${ref}`);
    seen.add(ref);
    current = resolvePointer(doc, ref);
  }
  return current as T | undefined;
}

export function resolvePointer(doc: Json, ref: string): Json {
  if (!ref.startsWith("#/")) throw new Error(`only local $refs are supported, got ${ref}`);
  let current: Json | undefined = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isObject(current) && !Array.isArray(current)) throw new Error(`$ref ${ref} does not resolve`);
    current = Array.isArray(current) ? current[Number(key)] : current[key];
    if (current === undefined) throw new Error(`$ref ${ref} does not resolve`);
  }
  return current;
}

export interface SpecOperation {
  operationId: string;
  method: HttpMethod;
  path: string;
  node: JsonObject;
  /** Path-level and operation-level parameters, resolved, operation-level winning. */
  parameters: JsonObject[];
}

/** Every operation of the spec, in document order. */
export function operations(doc: OpenApiDocument): SpecOperation[] {
  const result: SpecOperation[] = [];
  for (const [path, rawItem] of Object.entries(doc.paths)) {
    const item = deref<JsonObject>(doc, rawItem);
    if (!isObject(item)) continue;
    const shared = asArray(item.parameters).map((p) => deref<JsonObject>(doc, p)).filter(isObject);
    for (const method of HTTP_METHODS) {
      const node = item[method];
      if (!isObject(node)) continue;
      if (typeof node.operationId !== "string") {
        throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      }
      const own = asArray(node.parameters).map((p) => deref<JsonObject>(doc, p)).filter(isObject);
      const key = (p: JsonObject) => `${String(p.in)}:${String(p.name)}`;
      const merged = new Map<string, JsonObject>();
      for (const p of [...shared, ...own]) merged.set(key(p), p);
      result.push({ operationId: node.operationId, method, path, node, parameters: [...merged.values()] });
    }
  }
  return result;
}

export function asArray(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : [];
}

/** The media types and named examples of one response or request body. */
export function namedExamples(doc: OpenApiDocument, content: Json | undefined): Map<string, { mediaType: string; value: Json }> {
  const result = new Map<string, { mediaType: string; value: Json }>();
  if (!isObject(content)) return result;
  for (const [mediaType, rawMedia] of Object.entries(content)) {
    const media = deref<JsonObject>(doc, rawMedia);
    if (!isObject(media) || !isObject(media.examples)) continue;
    for (const [name, rawExample] of Object.entries(media.examples)) {
      const example = deref<JsonObject>(doc, rawExample);
      if (isObject(example) && "value" in example) result.set(name, { mediaType, value: example.value as Json });
    }
  }
  return result;
}
