/**
 * The contract-test table of one vendor, built from its spec when the test file is collected.
 *
 * Nothing here is written per vendor or per operation: every row comes from the spec (standard
 * OpenAPI plus the `x-otpkit-*` extensions of specs/README.md), so a new operation, status or
 * named example gets a test without anyone writing one, and a spec that lacks what a test needs
 * (an example value for an input) fails loudly here, naming what to add.
 *
 * The facts are read from the spec directly, not from the generator's model
 * (scripts/generate/model.ts): the tests check what the generator made against the spec, so they
 * must not share its reading of the spec. Only the naming rule (`camel`) is shared, because it is
 * a convention, not a fact of the API.
 *
 * Choices, written down once:
 * - Method name: camelCase operationId (`create-authentication` → `createAuthentication`).
 *   Client factory: `create<Prefix>Client`, prefix = PascalCase vendor key (`equinix-metal` →
 *   `EquinixMetal`), the same rule the generator applies to the package name.
 * - Inputs are one flat object: parameters first, then body fields.
 *   - "required": every required parameter, plus every required body field that the client does
 *     not fill itself (`x-otpkit-client-option`), valued from the `minimal` request example (or the
 *     first named one).
 *   - "all": every parameter and every body property (client-filled ones included, passed
 *     explicitly), valued from the `full` request example (or the first named one).
 *   - A value missing from the preferred example is taken from the other named request examples,
 *     then from the property's own `examples`/`example`/`const`/`default`; if none has one the
 *     table throws (give the spec an example). Enum members are never picked: that would be
 *     inventing a value the spec authors did not choose.
 *   - When "required" and "all" are the same object (no optional input), only "required" exists.
 * - Success: the lowest documented 2xx. Prism (static mode) serves its first named example, so the
 *   call must resolve to exactly that example. Every other named 2xx example is requested with
 *   `Prefer: code=<2xx>, example=<name>`: it resolves to the example, or, for an operation with
 *   `x-otpkit-outcome` whose example holds a non-success value, throws `OutcomeError`.
 * - Errors: every documented status ≥ 400 and each of its named examples, chosen with
 *   `Prefer: code=<status>, example=<name>` (`code=` alone when a status has no example).
 * - Response header roles (`x-otpkit-header-role`) are read per response, so a test expects a
 *   request id or a rate limit exactly where the spec declares the header.
 * - Retries: an operation is idempotent when `x-otpkit-idempotent` says so, else when it is a GET
 *   or HEAD (the rule specs/README.md documents); the runtime's documented retry statuses are
 *   `RETRY_STATUSES` below.
 */
import { camel, pascal } from "../generate/model.ts";
import {
  asArray,
  deref,
  isObject,
  loadSpec,
  namedExamples,
  operations as specOperations,
  type Json,
  type JsonObject,
  type OpenApiDocument,
  type SpecOperation,
} from "../lib/specs.ts";
import { specPath, type Vendor } from "../prism/index.ts";

/** Statuses the runtime retries for an idempotent operation (packages/runtime/src/retry.ts, README). */
export const RETRY_STATUSES: readonly number[] = [408, 429, 500, 502, 503, 504];

/** A credential scheme of the spec, as the client takes it. */
export interface AuthCase {
  /** Name in `components.securitySchemes`. */
  readonly scheme: string;
  /** Client option: `apiKey` for a header API key, `accessToken` for a bearer token. */
  readonly option: "apiKey" | "accessToken";
  /** Lower-case header that carries it. */
  readonly header: string;
  /** What precedes the secret in the header value (`Bearer ` or nothing). */
  readonly prefix: string;
}

/** Response header names by role (`x-otpkit-header-role`), lower-case, as one response declares them. */
export interface HeaderRoles {
  readonly requestId?: string;
  readonly limit?: string;
  readonly remaining?: string;
  readonly reset?: string;
}

export interface InputCase {
  /** `required` or `all`; also the snapshot file's middle part. */
  readonly name: "required" | "all";
  readonly input: Readonly<Record<string, Json>>;
}

/** One named 2xx example other than the one Prism serves by default. */
export interface SuccessExampleCase {
  readonly example: string;
  readonly body: Json;
  /** For an `x-otpkit-outcome` operation: the example's outcome value, and whether it is a success. */
  readonly outcome?: { readonly value: Json | undefined; readonly success: boolean };
}

export interface ErrorCase {
  readonly status: number;
  /** The named example to ask for; undefined when the status documents none. */
  readonly example?: string;
  readonly body?: Json;
  readonly headers: HeaderRoles;
}

export interface OperationTable {
  readonly operationId: string;
  /** The client's method: camelCase operationId. */
  readonly methodName: string;
  readonly method: string;
  readonly path: string;
  /** The operation's parameters (path, query, header), path-level ones included. */
  readonly parameters: readonly { readonly name: string; readonly in: string }[];
  /** Whether the method takes an input object (`method(input, options)`) or only options. */
  readonly hasInput: boolean;
  readonly idempotent: boolean;
  /** Body fields the client fills from its options when a call leaves them out (`customer_uuid` ← `customerUuid`). */
  readonly clientFields: readonly { readonly field: string; readonly option: string }[];
  readonly inputs: readonly InputCase[];
  readonly success: {
    readonly status: number;
    /** The example Prism serves by default, and its body (undefined for a response without content). */
    readonly example?: string;
    readonly body?: Json;
    readonly headers: HeaderRoles;
  };
  readonly outcome?: { readonly field: string; readonly success: readonly string[] };
  readonly successExamples: readonly SuccessExampleCase[];
  readonly errors: readonly ErrorCase[];
  /** `x-otpkit-pagination`, and the named 2xx example that ends the list (items, no next cursor). */
  readonly pagination?: PaginationCase;
}

export interface PaginationCase {
  /** The query parameter that takes the cursor. */
  readonly cursor: string;
  /** JSON pointers into the 2xx body. */
  readonly nextCursor: string;
  readonly items: string;
  /** The client's all-pages method: `<methodName>All`. */
  readonly methodName: string;
  readonly lastPage?: { readonly example: string; readonly body: Json };
}

export interface ContractTable {
  /** Spec file stem and package folder: `smscx`. */
  readonly vendor: Vendor;
  /** `x-otpkit-vendor`: `SMS.cx`. */
  readonly vendorName: string;
  /** `Smscx`: the factory is `create<Prefix>Client`, the guards `is<Prefix>ApiError`, `is<Prefix>OutcomeError`. */
  readonly prefix: string;
  readonly specFile: string;
  readonly auth: readonly AuthCase[];
  /** Values for the client options the spec declares (`customerUuid`), taken from request examples. */
  readonly clientOptions: Readonly<Record<string, string>>;
  /** `x-otpkit-error-fields`, with `message` always a list. */
  readonly errorFields: { readonly code?: string; readonly type?: string; readonly message: readonly string[] };
  readonly operations: readonly OperationTable[];
}

/** Thrown when the spec lacks something a contract test needs; the message says what to add. */
export class ContractSpecError extends Error {
  override readonly name = "ContractSpecError";
}

const ROLES: Record<string, keyof HeaderRoles> = {
  "request-id": "requestId",
  "rate-limit-limit": "limit",
  "rate-limit-remaining": "remaining",
  "rate-limit-reset": "reset",
};

/** Reads the value at a JSON pointer (`/error/code`); undefined when any step is missing. */
export function atPointer(value: unknown, pointer: string): unknown {
  return pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), value);
}

/** A schema's own example value: `examples[0]`, `example`, `const` or `default`, in that order. */
function schemaExample(schema: JsonObject | undefined): Json | undefined {
  if (!schema) return undefined;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  for (const key of ["example", "const", "default"] as const) if (key in schema) return schema[key] as Json;
  return undefined;
}

function parameterValue(doc: OpenApiDocument, param: JsonObject): Json | undefined {
  if ("example" in param) return param.example as Json;
  if (isObject(param.examples)) {
    for (const raw of Object.values(param.examples)) {
      const example = deref<JsonObject>(doc, raw);
      if (isObject(example) && "value" in example) return example.value as Json;
    }
  }
  return schemaExample(deref<JsonObject>(doc, param.schema));
}

function headerRoles(doc: OpenApiDocument, response: JsonObject): HeaderRoles {
  const roles: Record<string, string> = {};
  for (const [name, raw] of Object.entries(isObject(response.headers) ? response.headers : {})) {
    const header = deref<JsonObject>(doc, raw);
    const role = isObject(header) ? header["x-otpkit-header-role"] : undefined;
    const key = typeof role === "string" ? ROLES[role] : undefined;
    if (key) roles[key] = name.toLowerCase();
  }
  return roles;
}

function authCases(doc: OpenApiDocument): AuthCase[] {
  const schemes = isObject(doc.components) && isObject(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
  const cases: AuthCase[] = [];
  for (const requirement of asArray(doc.security as Json)) {
    for (const name of Object.keys(isObject(requirement) ? requirement : {})) {
      const scheme = deref<JsonObject>(doc, schemes[name]);
      if (!isObject(scheme)) throw new ContractSpecError(`security names ${name}, which is not in components.securitySchemes`);
      if (scheme.type === "apiKey" && scheme.in === "header") {
        cases.push({ scheme: name, option: "apiKey", header: String(scheme.name).toLowerCase(), prefix: "" });
      } else if (scheme.type === "http" && String(scheme.scheme).toLowerCase() === "bearer") {
        cases.push({ scheme: name, option: "accessToken", header: "authorization", prefix: "Bearer " });
      } else {
        throw new ContractSpecError(`securitySchemes.${name}: only header API keys and bearer tokens have contract tests`);
      }
    }
  }
  if (!cases.length) throw new ContractSpecError("the document requires no security scheme");
  return cases;
}

/** The body schema of an operation (application/json), resolved. */
function bodySchemaOf(doc: OpenApiDocument, op: SpecOperation): { schema: JsonObject; examples: Map<string, Json> } | undefined {
  const requestBody = deref<JsonObject>(doc, op.node.requestBody);
  if (!isObject(requestBody) || !isObject(requestBody.content)) return undefined;
  const media = deref<JsonObject>(doc, requestBody.content["application/json"]);
  const schema = isObject(media) ? deref<JsonObject>(doc, media.schema) : undefined;
  if (!isObject(schema)) throw new ContractSpecError(`${op.operationId}: the request body has no application/json schema`);
  const examples = new Map<string, Json>();
  for (const [name, example] of namedExamples(doc, requestBody.content)) if (example.mediaType === "application/json") examples.set(name, example.value);
  return { schema, examples };
}

const CLIENT_OPTION = "x-otpkit-client-option";

/** Builds the contract table of one vendor from `specs/<vendor>.yaml`. */
export function contractTable(vendor: Vendor, file = specPath(vendor)): ContractTable {
  const doc = loadSpec(file);
  const vendorName = doc.info["x-otpkit-vendor"];
  if (typeof vendorName !== "string") throw new ContractSpecError(`${file}: info.x-otpkit-vendor is missing`);
  const fields = isObject(doc["x-otpkit-error-fields"]) ? doc["x-otpkit-error-fields"] : {};
  const message = fields.message;
  const errorFields = {
    ...(typeof fields.code === "string" ? { code: fields.code } : {}),
    ...(typeof fields.type === "string" ? { type: fields.type } : {}),
    message: (Array.isArray(message) ? message : message === undefined ? [] : [message]).map(String),
  };

  const clientOptions: Record<string, string> = {};
  const operations: OperationTable[] = [];
  for (const op of specOperations(doc)) {
    const id = op.operationId;
    const responses = isObject(op.node.responses) ? op.node.responses : {};
    const statuses = Object.keys(responses).map(Number).filter(Number.isInteger).sort((a, b) => a - b);
    const successStatus = statuses.find((s) => s >= 200 && s < 300);
    if (successStatus === undefined) throw new ContractSpecError(`${id}: documents no 2xx response`);

    // Inputs.
    const body = bodySchemaOf(doc, op);
    const properties = isObject(body?.schema.properties) ? body!.schema.properties : {};
    const requiredFields = asArray(body?.schema.required).map(String);
    const clientFields = Object.entries(properties)
      .filter(([, raw]) => typeof deref<JsonObject>(doc, raw)?.[CLIENT_OPTION] === "string")
      .map(([field, raw]) => [field, String(deref<JsonObject>(doc, raw)![CLIENT_OPTION])] as const);
    const examples = body?.examples ?? new Map<string, Json>();
    const firstName = [...examples.keys()][0];
    const pick = (preferred: string): [string | undefined, JsonObject] => {
      const name = examples.has(preferred) ? preferred : firstName;
      const value = name === undefined ? undefined : examples.get(name);
      return [name, isObject(value) ? value : {}];
    };
    const bodyValue = (field: string, preferred: JsonObject): Json => {
      if (field in preferred) return preferred[field]!;
      for (const other of examples.values()) if (isObject(other) && field in other) return other[field]!;
      const own = schemaExample(deref<JsonObject>(doc, properties[field]));
      if (own !== undefined) return own;
      throw new ContractSpecError(
        `${id}: body field ${field} has no example value (not in any named request example, and its schema has no examples/example/const/default). Add it to the operation's \`full\` request example.`,
      );
    };
    const paramValue = (param: JsonObject): Json => {
      const value = parameterValue(doc, param);
      if (value === undefined) throw new ContractSpecError(`${id}: ${String(param.in)} parameter ${String(param.name)} has no example. Give it \`example:\`.`);
      return value;
    };
    for (const [field, option] of clientFields) {
      const value = bodyValue(field, pick("full")[1]);
      if (typeof value !== "string") throw new ContractSpecError(`${id}: client option ${option} (${field}) needs a string example`);
      clientOptions[option] ??= value;
    }

    /** Fields of `example` first (in its order), then the rest of `wanted` in schema order. */
    const ordered = (wanted: string[], example: JsonObject) => [...Object.keys(example).filter((k) => wanted.includes(k)), ...wanted.filter((k) => !(k in example))];
    const clientOnly = new Set(clientFields.map(([field]) => field));
    const [, minimal] = pick("minimal");
    const [, full] = pick("full");
    const required: Record<string, Json> = {};
    for (const p of op.parameters.filter((p) => p.required === true)) required[String(p.name)] = paramValue(p);
    const requiredBody = Object.keys(properties).filter((f) => requiredFields.includes(f) && !clientOnly.has(f));
    for (const field of ordered(requiredBody, minimal)) required[field] = bodyValue(field, minimal);
    const all: Record<string, Json> = {};
    for (const p of op.parameters) all[String(p.name)] = paramValue(p);
    for (const field of ordered(Object.keys(properties), full)) all[field] = bodyValue(field, full);
    const inputs: InputCase[] = [{ name: "required", input: required }];
    if (JSON.stringify(all) !== JSON.stringify(required)) inputs.push({ name: "all", input: all });

    // The outcome extension.
    const outcomeNode = op.node["x-otpkit-outcome"];
    const outcome =
      isObject(outcomeNode) && typeof outcomeNode.field === "string" && Array.isArray(outcomeNode.success)
        ? { field: outcomeNode.field, success: outcomeNode.success.map(String) }
        : undefined;
    if (outcomeNode !== undefined && !outcome) throw new ContractSpecError(`${id}: x-otpkit-outcome must be {field, success: [...]}`);

    // Responses.
    const responseOf = (status: number) => {
      const response = deref<JsonObject>(doc, responses[String(status)]);
      if (!isObject(response)) throw new ContractSpecError(`${id}: response ${status} does not resolve`);
      return { headers: headerRoles(doc, response), examples: [...namedExamples(doc, response.content)].map(([name, e]) => ({ name, body: e.value })) };
    };
    const success = responseOf(successStatus);
    const [first, ...others] = success.examples;
    const successExamples = others.map(({ name, body: value }): SuccessExampleCase => {
      if (!outcome) return { example: name, body: value };
      const outcomeValue = isObject(value) ? value[outcome.field] : undefined;
      return { example: name, body: value, outcome: { value: outcomeValue, success: outcome.success.includes(String(outcomeValue)) } };
    });
    const errors: ErrorCase[] = [];
    for (const status of statuses.filter((s) => s >= 400)) {
      const response = responseOf(status);
      if (!response.examples.length) errors.push({ status, headers: response.headers });
      for (const { name, body: value } of response.examples) errors.push({ status, example: name, body: value, headers: response.headers });
    }

    const paginationNode = op.node["x-otpkit-pagination"];
    let pagination: PaginationCase | undefined;
    if (isObject(paginationNode)) {
      const { cursor, nextCursor, items } = paginationNode as { cursor: string; nextCursor: string; items: string };
      const ends = (body: Json) => [undefined, null, ""].includes(atPointer(body, nextCursor) as null) && (atPointer(body, items) as unknown[] | undefined)?.length;
      const last = success.examples.find((e) => ends(e.body));
      pagination = { cursor, nextCursor, items, methodName: `${camel(id)}All`, ...(last ? { lastPage: { example: last.name, body: last.body } } : {}) };
    }

    const idempotentNode = op.node["x-otpkit-idempotent"];
    operations.push({
      operationId: id,
      methodName: camel(id),
      method: op.method.toUpperCase(),
      path: op.path,
      parameters: op.parameters.map((p) => ({ name: String(p.name), in: String(p.in) })),
      hasInput: body !== undefined || op.parameters.length > 0,
      idempotent: typeof idempotentNode === "boolean" ? idempotentNode : op.method === "get" || op.method === "head",
      clientFields: clientFields.map(([field, option]) => ({ field, option })),
      inputs,
      success: { status: successStatus, example: first?.name, body: first?.body, headers: success.headers },
      ...(outcome ? { outcome } : {}),
      successExamples,
      errors,
      ...(pagination ? { pagination } : {}),
    });
  }

  return {
    vendor,
    vendorName,
    prefix: pascal(vendor),
    specFile: `specs/${vendor}.yaml`,
    auth: authCases(doc),
    clientOptions,
    errorFields,
    operations,
  };
}

/**
 * What the coverage check demands, read from the spec by a walk of its own (not through
 * `contractTable`, whose omissions it must catch): every operation called, every documented status
 * and every named example of every response requested, every operation's wire request snapshotted,
 * and every credential scheme tried.
 */
export function requiredCoverage(vendor: Vendor, file = specPath(vendor)): string[] {
  const doc = loadSpec(file);
  const keys: string[] = ["auth missing-credential"];
  for (const requirement of asArray(doc.security as Json)) for (const name of Object.keys(isObject(requirement) ? requirement : {})) keys.push(`auth scheme ${name}`);
  for (const [path, rawItem] of Object.entries(doc.paths)) {
    const item = deref<JsonObject>(doc, rawItem);
    for (const [method, rawOp] of Object.entries(isObject(item) ? item : {})) {
      if (!["get", "put", "post", "delete", "options", "head", "patch", "trace"].includes(method) || !isObject(rawOp)) continue;
      const id = String(rawOp.operationId ?? `${method.toUpperCase()} ${path}`);
      keys.push(`call ${id} required`, `snapshot ${id} required`, `auth rejected ${id}`);
      if (rawOp["x-otpkit-pagination"] !== undefined) keys.push(`paginate ${id}`);
      // An optional input: a parameter that is not required, a body property that is not required,
      // or one the client fills in. Then a second call with every input is due.
      const params = [...asArray(isObject(item) ? item.parameters : undefined), ...asArray(rawOp.parameters)].map((p) => deref<JsonObject>(doc, p));
      const requestBody = deref<JsonObject>(doc, rawOp.requestBody);
      const media = isObject(requestBody) && isObject(requestBody.content) ? deref<JsonObject>(doc, requestBody.content["application/json"]) : undefined;
      const schema = isObject(media) ? deref<JsonObject>(doc, media.schema) : undefined;
      const requiredFields = asArray(schema?.required).map(String);
      for (const raw of Object.values(isObject(schema?.properties) ? schema!.properties : {})) {
        const option = deref<JsonObject>(doc, raw)?.[CLIENT_OPTION];
        if (typeof option === "string") keys.push(`auth missing-option ${option}`);
      }
      const optionalInput =
        params.some((p) => isObject(p) && p.required !== true) ||
        Object.entries(isObject(schema?.properties) ? schema!.properties : {}).some(
          ([field, raw]) => !requiredFields.includes(field) || deref<JsonObject>(doc, raw)?.[CLIENT_OPTION] !== undefined,
        );
      if (optionalInput) keys.push(`call ${id} all`, `snapshot ${id} all`);
      for (const [status, rawResponse] of Object.entries(isObject(rawOp.responses) ? rawOp.responses : {})) {
        keys.push(`response ${id} ${status}`);
        const response = deref<JsonObject>(doc, rawResponse);
        for (const rawMedia of Object.values(isObject(response) && isObject(response.content) ? response.content : {})) {
          const m = deref<JsonObject>(doc, rawMedia);
          for (const name of Object.keys(isObject(m) && isObject(m.examples) ? m.examples : {})) keys.push(`example ${id} ${status} ${name}`);
        }
      }
    }
  }
  return [...new Set(keys)];
}
