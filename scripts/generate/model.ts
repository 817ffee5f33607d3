/**
 * Reads a vendor spec into the model the emitters write from: the vendor, its operations with
 * their inputs, results, errors and docs, its webhooks and its models. Every fact comes from the
 * spec (standard OpenAPI plus the `x-otpkit-*` extensions described in specs/README.md); a spec
 * that breaks a convention the generator relies on is an error here, not a wrong package later.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  asArray,
  deref,
  isObject,
  namedExamples,
  operations as specOperations,
  parseSpec,
  type Json,
  type JsonObject,
  type OpenApiDocument,
} from "../lib/specs.ts";
import { readNotSent, type NotSentModel } from "./not-sent.ts";
import { pruneSchema } from "./schema.ts";

export interface AuthModel {
  type: "apiKey" | "bearer";
  /** Header that carries it (`X-API-KEY`, `Authorization`). */
  header: string;
  option: "apiKey" | "accessToken";
  description: string;
}

export interface ErrorCodeModel {
  status: number;
  code: number | string;
  type?: string;
  description: string;
}

export interface OperationModel {
  id: string;
  /** camelCase method name: `createAuthentication`. */
  methodName: string;
  /** PascalCase type prefix: `CreateAuthentication`. */
  typeName: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  deprecated: boolean;
  idempotent: boolean;
  costsMoney: boolean;
  successStatus: number;
  returnsBody: boolean;
  pathParams: string[];
  queryParams: string[];
  headerParams: string[];
  secretParams: string[];
  hasBody: boolean;
  /** Body fields the client fills in (`customer_uuid`). */
  clientFields: string[];
  /** Whether the caller must pass an input object at all. */
  inputRequired: boolean;
  hasInput: boolean;
  outcome?: { field: string; success: string[]; failures: string[] | undefined };
  input: Json;
  errorStatuses: { status: number; description: string; hasBody: boolean }[];
  errorCodes: ErrorCodeModel[];
  /** An input object for the method's @example, from the spec's examples. */
  example: Record<string, Json> | undefined;
  /** `x-otpkit-not-sent`: the answers that mean the vendor refused before sending (billed operations). */
  notSent?: NotSentModel[];
  /** `x-otpkit-pagination`: the cursor input, JSON pointers into the 2xx body, and the all-pages method. */
  pagination?: PaginationModel;
}

export interface PaginationModel {
  /** The query parameter that takes the cursor. */
  cursor: string;
  /** JSON pointer to the next page's cursor in the 2xx body. */
  nextCursor: string;
  /** JSON pointer to the items array in the 2xx body. */
  items: string;
  /** The method that yields every item of every page: `<methodName>All`. */
  methodName: string;
}

/** `x-otpkit-webhook-signature`: how the vendor signs its webhook requests. */
export interface WebhookSignatureModel {
  header: string;
  prefix?: string;
  algorithm: "RSASSA-PSS" | "RSASSA-PKCS1-v1_5";
  hash: "SHA-256" | "SHA-384" | "SHA-512";
  saltLength?: number;
  encodings: ("base64url" | "base64")[];
  /** `verify<Prefix>WebhookSignature`. */
  functionName: string;
}

export interface WebhookModel {
  key: string;
  functionName: string;
  typeName: string;
  summary: string;
  description: string;
  /** TS expression of the payload type, relative to the generated schema module. */
  typeExpression: string;
  schema: Json;
}

export interface VendorModel {
  /** The spec file's stem and the package folder: `smscx`. */
  key: string;
  specFile: string;
  specSha256: string;
  name: string;
  /** Type and function prefix: `Smscx` → `createSmscxClient`, `SmscxClient`. */
  prefix: string;
  packageName: string;
  version: string;
  title: string;
  description: string;
  baseUrl: string;
  deprecated: boolean;
  auth: AuthModel[];
  errorFields: { code?: string; type?: string; message?: string[] };
  headers: { requestId?: string; limit?: string; remaining?: string; reset?: string };
  clientOptions: { option: string; field: string; description: string }[];
  operations: OperationModel[];
  webhooks: WebhookModel[];
  webhookSignature?: WebhookSignatureModel;
  schemaNames: string[];
}

export class SpecError extends Error {
  constructor(spec: string, where: string, problem: string) {
    super(`${spec}: ${where}: ${problem}`);
  }
}

const words = (id: string) => id.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean);
export const pascal = (id: string) => words(id).map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
export const camel = (id: string) => {
  const p = pascal(id);
  return p[0]!.toLowerCase() + p.slice(1);
};

const text = (value: Json | undefined) => (typeof value === "string" ? value.trim() : "");

export interface ModelInput {
  specPath: string;
  /** Path of the spec as it should appear in headers (relative to the repo root). */
  specLabel: string;
  packageName: string;
  version: string;
  /** Type prefix; derived from the package name when absent (`@otpkit/equinix-metal` → `EquinixMetal`). */
  prefix?: string;
}

/** The model of the spec file `input.specPath`. */
export function buildModel(input: ModelInput): VendorModel {
  const raw = readFileSync(input.specPath, "utf8");
  return modelOf(parseSpec(raw, input.specLabel), input, createHash("sha256").update(raw).digest("hex"));
}

/**
 * The model of a spec already parsed: what `buildModel` makes of a spec file once read (the
 * generator's tests give it a changed copy of a spec, which then needs no file written and parsed
 * again). `specSha256` is the checksum of the spec's text that the generated files' headers name.
 */
export function modelOf(doc: OpenApiDocument, input: ModelInput, specSha256: string): VendorModel {
  const fail = (where: string, problem: string): never => {
    throw new SpecError(input.specLabel, where, problem);
  };
  const info = doc.info;
  const name = text(info["x-otpkit-vendor"]) || fail("info", "x-otpkit-vendor (the vendor's display name) is missing");
  const servers = asArray(doc.servers);
  const server = isObject(servers[0]) ? text(servers[0].url) : "";
  if (!/^https:\/\//.test(server)) fail("servers[0].url", "the first server must be an https URL");

  const components = isObject(doc.components) ? doc.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  const security = asArray(doc.security as Json);
  const auth: AuthModel[] = [];
  for (const requirement of security) {
    for (const schemeName of Object.keys(isObject(requirement) ? requirement : {})) {
      const scheme = deref<JsonObject>(doc, schemes[schemeName]);
      if (!isObject(scheme)) fail(`security ${schemeName}`, "names no security scheme");
      const description = text(scheme!.description);
      if (scheme!.type === "apiKey" && scheme!.in === "header") {
        auth.push({ type: "apiKey", header: text(scheme!.name), option: "apiKey", description });
      } else if (scheme!.type === "http" && String(scheme!.scheme).toLowerCase() === "bearer") {
        auth.push({ type: "bearer", header: "Authorization", option: "accessToken", description });
      } else {
        fail(`securitySchemes.${schemeName}`, "only header API keys and bearer tokens are supported");
      }
    }
  }
  if (!auth.length) fail("security", "the document must require a security scheme");
  if (new Set(auth.map((a) => a.option)).size !== auth.length) fail("security", "two schemes map to the same client option");

  const errorFieldsNode = doc["x-otpkit-error-fields"];
  const errorFields: VendorModel["errorFields"] = {};
  if (isObject(errorFieldsNode)) {
    if (typeof errorFieldsNode.code === "string") errorFields.code = errorFieldsNode.code;
    if (typeof errorFieldsNode.type === "string") errorFields.type = errorFieldsNode.type;
    const message = errorFieldsNode.message;
    if (message !== undefined) errorFields.message = (Array.isArray(message) ? message : [message]).map(String);
  }

  const headers: VendorModel["headers"] = {};
  const roles: Record<string, keyof VendorModel["headers"]> = {
    "request-id": "requestId",
    "rate-limit-limit": "limit",
    "rate-limit-remaining": "remaining",
    "rate-limit-reset": "reset",
  };
  // The HTTP header name is the key under a response's `headers` (a component's own key may differ,
  // e.g. a 429-specific variant of a header), so roles are read from every response.
  const allResponses = [
    ...Object.values(isObject(components.responses) ? components.responses : {}),
    ...specOperations(doc).flatMap((op) => Object.values(isObject(op.node.responses) ? op.node.responses : {})),
  ];
  for (const rawResponse of allResponses) {
    const response = deref<JsonObject>(doc, rawResponse);
    for (const [headerName, rawHeader] of Object.entries(isObject(response) && isObject(response.headers) ? response.headers : {})) {
      const header = deref<JsonObject>(doc, rawHeader);
      const role = isObject(header) ? header["x-otpkit-header-role"] : undefined;
      if (typeof role !== "string") continue;
      const key = roles[role] ?? fail(`response header ${headerName}`, `unknown x-otpkit-header-role ${role}`);
      const name = headerName.toLowerCase();
      if (headers[key!] && headers[key!] !== name) fail(`response header ${headerName}`, `x-otpkit-header-role ${role} is already ${headers[key!]}`);
      headers[key!] = name;
    }
  }

  const clientOptions = new Map<string, { option: string; field: string; description: string }>();
  const operations: OperationModel[] = [];
  for (const op of specOperations(doc)) {
    const where = `${op.method.toUpperCase()} ${op.path} (${op.operationId})`;
    const node = op.node;
    const responses = isObject(node.responses) ? node.responses : fail(where, "has no responses");
    const statuses = Object.keys(responses!).map(Number).filter(Number.isInteger);
    const successStatus = statuses.find((s) => s >= 200 && s < 300) ?? fail(where, "documents no 2xx response");
    const success = deref<JsonObject>(doc, responses![String(successStatus)]);
    const successMedia = isObject(success) && isObject(success.content) ? success.content["application/json"] : undefined;
    const returnsBody = successMedia !== undefined;

    const params = op.parameters;
    const byIn = (where_: string) => params.filter((p) => p.in === where_).map((p) => String(p.name));
    const secretParams = params
      .filter((p) => {
        const schema = deref<JsonObject>(doc, p.schema);
        return p.in === "path" && isObject(schema) && schema.format === "password";
      })
      .map((p) => String(p.name));

    const requestBody = deref<JsonObject>(doc, node.requestBody);
    let bodySchema: JsonObject | undefined;
    if (isObject(requestBody)) {
      const content = isObject(requestBody.content) ? requestBody.content : {};
      const media = deref<JsonObject>(doc, content["application/json"]);
      if (!isObject(media)) fail(where, "request bodies must be application/json");
      bodySchema = deref<JsonObject>(doc, media!.schema);
      if (!isObject(bodySchema) || bodySchema.type !== "object") fail(where, "the request body must be an object schema");
    }
    const hasBody = bodySchema !== undefined;

    // Fields the client takes once.
    const clientFields: string[] = [];
    for (const [field, rawProperty] of Object.entries(isObject(bodySchema?.properties) ? bodySchema!.properties : {})) {
      const property = deref<JsonObject>(doc, rawProperty);
      const option = isObject(property) ? property["x-otpkit-client-option"] : undefined;
      if (typeof option !== "string") continue;
      clientFields.push(field);
      const known = clientOptions.get(option);
      if (known && known.field !== field) fail(where, `client option ${option} fills both ${known.field} and ${field}`);
      clientOptions.set(option, { option, field, description: text((property as JsonObject).description) });
    }

    // Name clashes would make the flat input ambiguous.
    const bodyFields = Object.keys(isObject(bodySchema?.properties) ? bodySchema!.properties : {});
    const paramNames = params.map((p) => String(p.name));
    for (const clash of paramNames.filter((n) => bodyFields.includes(n))) fail(where, `parameter ${clash} and body field ${clash} share a name`);

    const requiredBody = asArray(bodySchema?.required).map(String).filter((f) => !clientFields.includes(f));
    const requiredParams = params.filter((p) => p.required === true).map((p) => String(p.name));
    const hasInput = hasBody || params.length > 0;
    const inputRequired = requiredBody.length > 0 || requiredParams.length > 0;

    // The outcome extension: which 2xx body values mean success.
    let outcome: OperationModel["outcome"];
    const outcomeNode = node["x-otpkit-outcome"];
    if (outcomeNode !== undefined) {
      if (!isObject(outcomeNode) || typeof outcomeNode.field !== "string" || !Array.isArray(outcomeNode.success)) {
        fail(where, "x-otpkit-outcome must be {field, success: [...]}");
      }
      const o = outcomeNode as JsonObject;
      const responseSchema = isObject(successMedia) ? deref<JsonObject>(doc, deref<JsonObject>(doc, successMedia)!.schema) : undefined;
      const fieldSchema = isObject(responseSchema?.properties) ? deref<JsonObject>(doc, responseSchema!.properties[String(o.field)]) : undefined;
      if (!fieldSchema) fail(where, `x-otpkit-outcome field ${String(o.field)} is not a property of the ${successStatus} body`);
      const values = enumValues(doc, fieldSchema!);
      const successValues = (o.success as Json[]).map(String);
      for (const value of successValues) if (values && !values.includes(value)) fail(where, `outcome success value ${value} is not in the field's enum`);
      outcome = { field: String(o.field), success: successValues, failures: values?.filter((v) => !successValues.includes(v)) };
    }

    const errorStatuses = statuses
      .filter((s) => s >= 400)
      .map((status) => {
        const response = deref<JsonObject>(doc, responses![String(status)]);
        const hasJson = isObject(response) && isObject(response.content) && response.content["application/json"] !== undefined;
        return { status, description: text(isObject(response) ? response.description : undefined), hasBody: hasJson };
      });
    const errorCodes: ErrorCodeModel[] = asArray(node["x-otpkit-error-codes"]).map((entry, i) => {
      if (!isObject(entry) || typeof entry.status !== "number" || (typeof entry.code !== "number" && typeof entry.code !== "string")) {
        return fail(where, `x-otpkit-error-codes[${i}] must be {status, code, type?, description}`);
      }
      return { status: entry.status, code: entry.code, type: typeof entry.type === "string" ? entry.type : undefined, description: text(entry.description) };
    });

    const idempotentNode = node["x-otpkit-idempotent"];
    const idempotent = typeof idempotentNode === "boolean" ? idempotentNode : op.method === "get" || op.method === "head";
    const costsMoney = node["x-otpkit-costs-money"] === true;
    if (costsMoney && idempotent) fail(where, "an operation that costs money cannot be marked idempotent");
    const notSent = readNotSent(doc, node, { where, costsMoney, successStatus, responses: responses!, outcome, errorCodes, errorFields }, fail);

    // Example input: path parameter examples plus the first named request example.
    let example: Record<string, Json> | undefined = hasInput ? {} : undefined;
    for (const p of params) if (p.example !== undefined && example) example[String(p.name)] = p.example as Json;
    if (isObject(requestBody)) {
      const first = [...namedExamples(doc, requestBody.content).values()][0];
      if (isObject(first?.value)) for (const [k, v] of Object.entries(first!.value)) if (!clientFields.includes(k)) example![k] = v;
    }
    if (example && !Object.keys(example).length && inputRequired) example = undefined;

    const input = pruneSchema(doc, {
      type: "object",
      properties: {
        ...(params.some((p) => p.in === "path") ? { path: paramsSchema(doc, params, "path") } : {}),
        ...(params.some((p) => p.in === "query") ? { query: paramsSchema(doc, params, "query") } : {}),
        ...(params.some((p) => p.in === "header") ? { header: paramsSchema(doc, params, "header") } : {}),
        ...(bodySchema ? { body: bodySchema } : {}),
      },
    });

    const pagination = paginationOf(doc, node, where, byIn("query"), successMedia, camel(op.operationId), fail);

    operations.push({
      id: op.operationId,
      methodName: camel(op.operationId),
      typeName: pascal(op.operationId),
      method: op.method.toUpperCase(),
      path: op.path,
      summary: text(node.summary),
      description: text(node.description),
      deprecated: node.deprecated === true,
      idempotent,
      costsMoney,
      successStatus,
      returnsBody,
      pathParams: byIn("path"),
      queryParams: byIn("query"),
      headerParams: byIn("header"),
      secretParams,
      hasBody,
      clientFields,
      inputRequired,
      hasInput,
      outcome,
      input,
      errorStatuses,
      errorCodes,
      example,
      ...(notSent ? { notSent } : {}),
      ...(pagination ? { pagination } : {}),
    });
  }

  const names = new Set<string>();
  for (const op of operations) {
    for (const n of [op.methodName, op.typeName, ...(op.pagination ? [op.pagination.methodName] : [])]) {
      if (names.has(n)) fail(op.id, `two operations map to the name ${n}`);
      names.add(n);
    }
  }

  const webhooks: WebhookModel[] = [];
  for (const [key, rawItem] of Object.entries(isObject(doc.webhooks) ? doc.webhooks : {})) {
    const item = deref<JsonObject>(doc, rawItem);
    const post = isObject(item) ? deref<JsonObject>(doc, item.post) : undefined;
    if (!isObject(post)) fail(`webhooks.${key}`, "only POST webhooks are supported");
    const body = deref<JsonObject>(doc, post!.requestBody);
    const media = isObject(body) && isObject(body.content) ? deref<JsonObject>(doc, body.content["application/json"]) : undefined;
    const schemaNode = isObject(media) ? media.schema : undefined;
    if (!schemaNode) fail(`webhooks.${key}`, "needs an application/json request body schema");
    const ref = isObject(schemaNode) && typeof schemaNode.$ref === "string" ? schemaNode.$ref : undefined;
    const componentName = ref?.startsWith("#/components/schemas/") ? ref.slice("#/components/schemas/".length) : undefined;
    webhooks.push({
      key,
      functionName: `parse${pascal(key)}Webhook`,
      typeName: `${pascal(key)}Webhook`,
      summary: text(post!.summary),
      description: text(post!.description),
      typeExpression: componentName
        ? `components["schemas"][${JSON.stringify(componentName)}]`
        : `NonNullable<webhooks[${JSON.stringify(key)}]["post"]>["requestBody"]["content"]["application/json"]`,
      schema: pruneSchema(doc, deref(doc, schemaNode)!),
    });
  }

  const prefix = input.prefix ?? pascal(input.packageName.replace(/^@[^/]+\//, ""));
  const webhookSignature = signatureOf(doc["x-otpkit-webhook-signature"], `verify${prefix}WebhookSignature`, fail);
  return {
    key: path.basename(input.specPath).replace(/\.ya?ml$/, ""),
    specFile: input.specLabel,
    specSha256,
    name,
    prefix,
    packageName: input.packageName,
    version: input.version,
    title: text(info.title),
    description: text(info.description),
    baseUrl: server,
    deprecated: operations.length > 0 && operations.every((o) => o.deprecated),
    auth,
    errorFields,
    headers,
    clientOptions: [...clientOptions.values()],
    operations,
    webhooks,
    ...(webhookSignature ? { webhookSignature } : {}),
    schemaNames: Object.keys(isObject(components.schemas) ? components.schemas : {}),
  };
}

function paramsSchema(doc: OpenApiDocument, params: JsonObject[], location: string): JsonObject {
  const chosen = params.filter((p) => p.in === location);
  const properties: JsonObject = {};
  for (const p of chosen) properties[String(p.name)] = deref(doc, p.schema) ?? {};
  return { type: "object", required: chosen.filter((p) => p.required === true).map((p) => String(p.name)), properties };
}

/** The string enum of a schema, following `$ref` and single-member `allOf`; undefined when open. */
export function enumValues(doc: OpenApiDocument, schema: JsonObject): string[] | undefined {
  const resolved = deref<JsonObject>(doc, schema);
  if (!isObject(resolved)) return undefined;
  if (Array.isArray(resolved.enum)) return resolved.enum.map(String);
  const parts = asArray(resolved.allOf);
  for (const part of parts) {
    const values = isObject(part) ? enumValues(doc, part) : undefined;
    if (values) return values;
  }
  return undefined;
}

/** The schema a JSON pointer names inside `schema`, through properties, `$ref`s and `allOf`. */
function schemaAt(doc: OpenApiDocument, schema: Json | undefined, pointer: string): JsonObject | undefined {
  let node = deref<JsonObject>(doc, schema);
  for (const key of pointer.split("/").slice(1)) {
    if (!isObject(node)) return undefined;
    const parts = [node, ...asArray(node.allOf).map((part) => deref<JsonObject>(doc, part))];
    const owner = parts.find((part) => isObject(part) && isObject(part.properties) && key in part.properties);
    node = owner ? deref<JsonObject>(doc, (owner.properties as JsonObject)[key]) : undefined;
  }
  return isObject(node) ? node : undefined;
}

/** Reads `x-otpkit-pagination` (`{cursor, nextCursor, items}`) and checks it against the operation. */
function paginationOf(
  doc: OpenApiDocument,
  node: JsonObject,
  where: string,
  queryParams: string[],
  successMedia: Json | undefined,
  methodName: string,
  fail: (where: string, problem: string) => never,
): PaginationModel | undefined {
  const raw = node["x-otpkit-pagination"];
  if (raw === undefined) return undefined;
  const pointer = (value: Json | undefined) => typeof value === "string" && /^(\/[^/]+)+$/.test(value);
  if (!isObject(raw) || typeof raw.cursor !== "string" || !pointer(raw.nextCursor) || !pointer(raw.items)) {
    return fail(where, "x-otpkit-pagination must be {cursor: <query parameter>, nextCursor: <JSON pointer>, items: <JSON pointer>}");
  }
  const { cursor, nextCursor, items } = raw as { cursor: string; nextCursor: string; items: string };
  if (!queryParams.includes(cursor)) fail(where, `x-otpkit-pagination cursor ${cursor} is not a query parameter of the operation`);
  const body = isObject(successMedia) ? deref<JsonObject>(doc, successMedia)?.schema : undefined;
  if (!body) fail(where, "x-otpkit-pagination needs a JSON 2xx body");
  if (schemaAt(doc, body, items)?.type !== "array") fail(where, `x-otpkit-pagination items ${items} is not an array property of the 2xx body`);
  const next = schemaAt(doc, body, nextCursor);
  if (!next || ![next.type].flat().some((t) => t === "string" || t === "integer")) fail(where, `x-otpkit-pagination nextCursor ${nextCursor} is not a string or integer property of the 2xx body`);
  return { cursor, nextCursor, items, methodName: `${methodName}All` };
}

const SIGNATURE_ALGORITHMS = ["RSASSA-PSS", "RSASSA-PKCS1-v1_5"];
const SIGNATURE_HASHES = ["SHA-256", "SHA-384", "SHA-512"];
const SIGNATURE_ENCODINGS = ["base64url", "base64"];

/** Reads the document's `x-otpkit-webhook-signature`, when it has one. */
function signatureOf(raw: Json | undefined, functionName: string, fail: (where: string, problem: string) => never): WebhookSignatureModel | undefined {
  if (raw === undefined) return undefined;
  const where = "x-otpkit-webhook-signature";
  if (!isObject(raw) || typeof raw.header !== "string" || !raw.header) return fail(where, "needs the header that carries the signature");
  if (!SIGNATURE_ALGORITHMS.includes(String(raw.algorithm))) fail(where, `algorithm must be one of ${SIGNATURE_ALGORITHMS.join(", ")}`);
  if (!SIGNATURE_HASHES.includes(String(raw.hash))) fail(where, `hash must be one of ${SIGNATURE_HASHES.join(", ")}`);
  const encodings = asArray(raw.encodings).map(String);
  if (!encodings.length || encodings.some((e) => !SIGNATURE_ENCODINGS.includes(e))) fail(where, `encodings must list one or more of ${SIGNATURE_ENCODINGS.join(", ")}`);
  if (raw.prefix !== undefined && typeof raw.prefix !== "string") fail(where, "prefix must be a string");
  if (raw.saltLength !== undefined && !(Number.isInteger(raw.saltLength) && (raw.saltLength as number) >= 0)) fail(where, "saltLength must be a whole number of bytes");
  return {
    header: raw.header,
    ...(typeof raw.prefix === "string" ? { prefix: raw.prefix } : {}),
    algorithm: raw.algorithm as WebhookSignatureModel["algorithm"],
    hash: raw.hash as WebhookSignatureModel["hash"],
    ...(typeof raw.saltLength === "number" ? { saltLength: raw.saltLength } : {}),
    encodings: encodings as WebhookSignatureModel["encodings"],
    functionName,
  };
}
