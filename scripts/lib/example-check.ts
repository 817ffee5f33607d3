/**
 * Proves a spec's examples against Prism: every named example of every response of every
 * operation is requested with `Prefer: code=…, example=…` and must come back unchanged, with the
 * documented status and no `sl-violations` header; every named request-body example must be
 * accepted as a valid request. Prism runs with `--errors`, so an example that breaks its own
 * schema turns into a 500 and fails here.
 */
import {
  asArray,
  deref,
  isObject,
  namedExamples,
  operations,
  type Json,
  type JsonObject,
  type OpenApiDocument,
  type SpecOperation,
} from "./specs.ts";

export interface ExampleCase {
  operationId: string;
  /** `response 400 wrongPin` or `request body invalidTtl`. */
  label: string;
  status: number;
  exampleName: string;
  mediaType?: string;
  expectedBody?: Json;
  /** The request body to send (the operation's first named request example). */
  body?: Json;
  requestBodyMediaType?: string;
  method: string;
  /** The path with every path parameter filled from its example. */
  url: string;
  headers: Record<string, string>;
}

function parameterExample(doc: OpenApiDocument, param: JsonObject): Json | undefined {
  if ("example" in param) return param.example as Json;
  if (isObject(param.examples)) {
    const first = Object.values(param.examples)[0];
    const example = deref<JsonObject>(doc, first);
    if (isObject(example) && "value" in example) return example.value as Json;
  }
  const schema = deref<JsonObject>(doc, param.schema);
  if (isObject(schema)) {
    if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
    if ("default" in schema) return schema.default as Json;
  }
  return undefined;
}

/** Headers that satisfy the operation's (or the document's) first security requirement. */
export function credentialHeaders(doc: OpenApiDocument, op: SpecOperation, secret = "example-check"): Record<string, string> {
  const requirements = asArray((op.node.security ?? doc.security) as Json);
  const first = requirements.find(isObject);
  const headers: Record<string, string> = {};
  if (!first) return headers;
  const schemes = isObject(doc.components) && isObject(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
  for (const name of Object.keys(first)) {
    const scheme = deref<JsonObject>(doc, schemes[name]);
    if (!isObject(scheme)) continue;
    if (scheme.type === "apiKey" && scheme.in === "header") headers[String(scheme.name)] = secret;
    if (scheme.type === "http" && scheme.scheme === "bearer") headers.authorization = `Bearer ${secret}`;
  }
  return headers;
}

function fillPath(doc: OpenApiDocument, op: SpecOperation): string {
  let url = op.path;
  for (const param of op.parameters) {
    if (param.in !== "path") continue;
    const value = parameterExample(doc, param);
    if (value === undefined) throw new Error(`${op.operationId}: path parameter ${String(param.name)} has no example`);
    url = url.replace(`{${String(param.name)}}`, encodeURIComponent(String(value)));
  }
  return url;
}

/** Every case the spec's examples define, in document order. */
export function exampleCases(doc: OpenApiDocument): ExampleCase[] {
  const cases: ExampleCase[] = [];
  for (const op of operations(doc)) {
    const url = fillPath(doc, op);
    const headers = credentialHeaders(doc, op);
    const requestBody = deref<JsonObject>(doc, op.node.requestBody);
    const requestExamples = isObject(requestBody) ? namedExamples(doc, requestBody.content) : new Map();
    const firstRequest = [...requestExamples.values()][0];
    const base = { operationId: op.operationId, method: op.method.toUpperCase(), url, headers };

    const responses = isObject(op.node.responses) ? op.node.responses : {};
    const successStatus = Object.keys(responses).map(Number).find((s) => s >= 200 && s < 300) ?? 200;
    for (const [name, example] of requestExamples) {
      cases.push({
        ...base,
        label: `request body ${name}`,
        status: successStatus,
        exampleName: "",
        body: example.value,
        requestBodyMediaType: example.mediaType,
      });
    }

    for (const [statusText, rawResponse] of Object.entries(responses)) {
      const status = Number(statusText);
      const response = deref<JsonObject>(doc, rawResponse);
      if (!Number.isInteger(status) || !isObject(response)) continue;
      const examples = namedExamples(doc, response.content);
      const common = { ...base, status, body: firstRequest?.value, requestBodyMediaType: firstRequest?.mediaType };
      if (examples.size === 0) {
        cases.push({ ...common, label: `response ${status} (no body)`, exampleName: "" });
      }
      for (const [name, example] of examples) {
        cases.push({
          ...common,
          label: `response ${status} ${name}`,
          exampleName: name,
          mediaType: example.mediaType,
          expectedBody: example.value,
        });
      }
    }
  }
  return cases;
}

export interface ExampleResult {
  case: ExampleCase;
  problems: string[];
}

/** Sends one case to a running Prism and lists what did not match. */
export async function runExampleCase(baseUrl: string, c: ExampleCase): Promise<ExampleResult> {
  const headers: Record<string, string> = { ...c.headers, accept: c.mediaType ?? "application/json" };
  if (c.exampleName) headers.prefer = `code=${c.status}, example=${c.exampleName}`;
  else if (c.expectedBody === undefined && c.label.startsWith("response")) headers.prefer = `code=${c.status}`;
  let body: string | undefined;
  if (c.body !== undefined) {
    body = JSON.stringify(c.body);
    headers["content-type"] = c.requestBodyMediaType ?? "application/json";
  }
  const response = await fetch(baseUrl + c.url, { method: c.method, headers, body });
  const text = await response.text();
  const problems: string[] = [];
  const violations = response.headers.get("sl-violations");
  if (violations) problems.push(`Prism reported violations: ${violations}`);
  if (response.status !== c.status) problems.push(`expected status ${c.status}, got ${response.status}: ${text.slice(0, 500)}`);
  if (c.expectedBody !== undefined && response.status === c.status) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      problems.push(`body is not JSON: ${text.slice(0, 200)}`);
    }
    if (parsed !== undefined && JSON.stringify(sortKeys(parsed)) !== JSON.stringify(sortKeys(c.expectedBody))) {
      problems.push(`body differs from the example:\n  got      ${JSON.stringify(parsed)}\n  expected ${JSON.stringify(c.expectedBody)}`);
    }
  }
  return { case: c, problems };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}
