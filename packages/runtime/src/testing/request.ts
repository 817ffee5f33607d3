/** Reads what a request carries: its JSON body, its credential, and its input as the spec names it. */
import type { OperationSpec, VendorSpec } from "../types.js";
import type { Schema } from "../validate.js";

export interface Body {
  /** Parsed JSON; the text when it is not JSON; undefined when there is none. */
  readonly value: unknown;
  /** True when there was a body and it was not JSON. */
  readonly malformed: boolean;
}

export async function readBody(request: Request): Promise<Body> {
  const text = request.body ? await request.text() : "";
  if (!text) return { value: undefined, malformed: false };
  try {
    return { value: JSON.parse(text), malformed: false };
  } catch {
    return { value: text, malformed: true };
  }
}

/**
 * The credential of the first of the vendor's schemes the request satisfies. Like Prism, any
 * non-empty value passes: the mock checks that a credential is sent, not which one.
 */
export function credentialOf(vendor: VendorSpec, headers: Headers): string | undefined {
  for (const scheme of vendor.auth) {
    const value = scheme.type === "apiKey" ? headers.get(scheme.header)?.trim() : /^Bearer\s+(\S.*)$/i.exec(headers.get("authorization") ?? "")?.[1]?.trim();
    if (value) return value;
  }
  return undefined;
}

/** A parameter's text as the type its schema declares (`?limit=10` is a number to an integer schema). */
function coerce(schema: Schema | undefined, text: string): unknown {
  const types = ([] as string[]).concat(schema?.type ?? []);
  if ((types.includes("integer") || types.includes("number")) && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (types.includes("boolean") && /^(true|false)$/.test(text)) return text === "true";
  return text;
}

export interface Parts {
  readonly path: Readonly<Record<string, string>>;
  /** Each query parameter's last value, as the handlers and the request record show it. */
  readonly query: Readonly<Record<string, string>>;
  /** The whole query string: a parameter may repeat (`channels=sms&channels=voice`, OpenAPI's default for arrays). */
  readonly search: URLSearchParams;
  readonly headers: Headers;
  readonly body: unknown;
}

/**
 * The operation's input in the shape its generated schema checks: `{ path, query, header, body }`.
 * A parameter whose schema is an array gets every value it was sent with, each typed by the items'
 * schema; any other gets its last value.
 */
export function operationInput(operation: OperationSpec, parts: Parts): Record<string, unknown> {
  const schemas = operation.input?.properties ?? {};
  const group = (where: "path" | "query" | "header", names: readonly string[] | undefined, read: (name: string) => string[]) => {
    if (!names) return undefined;
    const values: Record<string, unknown> = {};
    for (const name of names) {
      const schema = schemas[where]?.properties?.[name];
      const texts = read(name);
      if (!texts.length) continue;
      values[name] = ([] as string[]).concat(schema?.type ?? []).includes("array") ? texts.map((text) => coerce(schema?.items, text)) : coerce(schema, texts.at(-1)!);
    }
    return values;
  };
  const one = (text: string | null | undefined) => (text === null || text === undefined ? [] : [text]);
  return {
    path: group("path", operation.pathParams, (name) => one(parts.path[name])),
    query: group("query", operation.queryParams, (name) => parts.search.getAll(name)),
    header: group("header", operation.headerParams, (name) => one(parts.headers.get(name))),
    // A required body that is missing is checked as an empty object, so its required fields are named.
    body: operation.hasBody ? (parts.body ?? {}) : undefined,
  };
}
