/**
 * Writes `mock.ts`, what a vendor package's in-process mock (`@otpkit/<vendor>/testing`) knows from
 * the spec: every documented response of every operation with its declared headers (each with its
 * schema example) and its named examples, and which documented error answers which invalid input
 * (`x-otpkit-invalid-input` on a named example). The engine (`@otpkit/runtime/testing`) answers
 * from it; only the vendor's small state machine is written by hand (`src/testing.ts`).
 */
import { deref, isObject, operations, type Json, type JsonObject, type OpenApiDocument } from "../lib/specs.ts";
import { literal, tsdoc } from "./emit.ts";
import { SpecError, type OperationModel, type VendorModel } from "./model.ts";

/** What an `x-otpkit-invalid-input` rule may name besides JSON Schema keywords the runtime checks. */
const KEYWORDS = new Set(["*", "empty", "required", "type", "enum", "const", "minLength", "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "additionalProperties"]);

interface ExampleData {
  readonly name: string;
  readonly value: Json;
  readonly rules: { field: string; rules: string[] }[];
}

interface ResponseData {
  readonly status: number;
  readonly headers: Record<string, Json>;
  readonly examples: ExampleData[];
}

/** An object key as TypeScript writes it: bare when it is an identifier. */
const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));

/** The input fields of an operation by name (path, query and header parameters, body fields), with their schemas. */
function inputFields(op: OperationModel): Map<string, Json> {
  const parts = isObject(op.input) && isObject(op.input.properties) ? Object.values(op.input.properties) : [];
  return new Map(parts.flatMap((part) => (isObject(part) && isObject(part.properties) ? Object.entries(part.properties) : [])));
}

/** Whether a rule's field is an input: a name, or a dotted path into an object field (`options.code_size`). */
function isInput(fields: Map<string, Json>, field: string): boolean {
  const [head = "", ...rest] = field.split(".");
  const schema = rest.reduce<Json | undefined>((at, key) => (isObject(at) && isObject(at.properties) ? at.properties[key] : undefined), fields.get(head));
  return isObject(schema);
}

function invalidInputRules(model: VendorModel, op: OperationModel, where: string, node: Json | undefined): ExampleData["rules"] {
  if (node === undefined) return [];
  const fail = (problem: string) => {
    throw new SpecError(model.specFile, where, `x-otpkit-invalid-input ${problem}`);
  };
  if (!isObject(node)) fail("must map an input field (or *) to a list of keywords");
  const fields = inputFields(op);
  return Object.entries(node as JsonObject).map(([field, list]) => {
    if (field !== "*" && !isInput(fields, field)) fail(`names ${field}, which is not an input of ${op.id} (${[...fields.keys()].join(", ")})`);
    if (!Array.isArray(list) || !list.length || list.some((k) => typeof k !== "string" || !KEYWORDS.has(k))) fail(`${field}: a list of ${[...KEYWORDS].join(", ")}`);
    return { field, rules: list as string[] };
  });
}

function headerExample(model: VendorModel, where: string, doc: OpenApiDocument, raw: Json | undefined): Json {
  const header = deref<JsonObject>(doc, raw);
  const schema = isObject(header) ? deref<JsonObject>(doc, header.schema) : undefined;
  const value = Array.isArray(schema?.examples) ? schema!.examples[0] : (schema?.example ?? header?.example);
  if (typeof value !== "string" && typeof value !== "number") throw new SpecError(model.specFile, where, "the mock sends every declared header: give its schema a string or number example");
  return value;
}

function responsesOf(model: VendorModel, doc: OpenApiDocument, op: OperationModel, node: JsonObject): ResponseData[] {
  const responses = isObject(node.responses) ? node.responses : {};
  const seen = new Set<string>();
  return Object.keys(responses)
    .filter((status) => /^\d{3}$/.test(status))
    .sort()
    .map((status) => {
      const where = `${op.id} response ${status}`;
      const response = deref<JsonObject>(doc, responses[status]) ?? {};
      const headers = Object.fromEntries(Object.entries(isObject(response.headers) ? response.headers : {}).map(([name, raw]) => [name, headerExample(model, `${where} header ${name}`, doc, raw)]));
      const media = isObject(response.content) ? deref<JsonObject>(doc, response.content["application/json"]) : undefined;
      const examples = Object.entries(isObject(media?.examples) ? media!.examples : {}).map(([name, raw]): ExampleData => {
        if (seen.has(name)) throw new SpecError(model.specFile, where, `example ${name} is named twice in ${op.id}: a fault picks an example by its name`);
        seen.add(name);
        const example = deref<JsonObject>(doc, raw) ?? {};
        const rules = invalidInputRules(model, op, `${where} example ${name}`, example["x-otpkit-invalid-input"]);
        if (rules.length && Number(status) < 400) throw new SpecError(model.specFile, `${where} example ${name}`, "x-otpkit-invalid-input belongs on an error example (4xx)");
        return { name, value: example.value as Json, rules };
      });
      if (media && !examples.length) throw new SpecError(model.specFile, where, "the mock answers with named examples: give this response one");
      return { status: Number(status), headers, examples };
    });
}

/** The examples a test can make an operation answer with instead of its normal one: errors and failed outcomes. */
function faultNames(op: OperationModel, responses: readonly ResponseData[]): string[] {
  const failed = (value: Json) => !!op.outcome && isObject(value) && !op.outcome.success.includes(String(value[op.outcome.field]));
  return responses.flatMap((r) => r.examples.filter((e) => r.status >= 400 || failed(e.value)).map((e) => e.name));
}

/** Lines of a literal, without the ones left out. */
const lines = (...parts: (string | undefined)[]) => parts.filter((line) => line !== undefined).join("\n");

function emitResponse(r: ResponseData): string {
  if (!Object.keys(r.headers).length && !r.examples.length) return `        ${r.status}: {},`;
  return lines(
    `        ${r.status}: {`,
    Object.keys(r.headers).length ? `          headers: ${literal(r.headers)},` : undefined,
    r.examples.length ? `          examples: {\n${r.examples.map((e) => `            ${key(e.name)}: ${literal(e.value)},`).join("\n")}\n          },` : undefined,
    "        },",
  );
}

function emitOperation(op: OperationModel, responses: readonly ResponseData[]): string {
  const rules = responses.flatMap((r) => r.examples.flatMap((e) => e.rules.map((rule) => ({ ...rule, status: r.status, example: e.name }))));
  return lines(
    `    ${key(op.id)}: {`,
    `      operation: operationSpecs[${JSON.stringify(op.id)}],`,
    `      responses: {\n${responses.map(emitResponse).join("\n")}\n      },`,
    rules.length ? `      inputRules: [\n${rules.map((r) => `        ${literal(r as unknown as Json)},`).join("\n")}\n      ],` : undefined,
    "    },",
  );
}

/** The mock data of `model`, read from `doc`, the spec the model was built from. */
export function emitMock(model: VendorModel, doc: OpenApiDocument): string {
  const nodes = new Map(operations(doc).map((o) => [o.operationId, o.node]));
  const data = model.operations.map((op) => ({ op, responses: responsesOf(model, doc, op, nodes.get(op.id)!) }));
  const faults = data.map(({ op, responses }) => {
    const names = faultNames(op, responses);
    return `${tsdoc([`\`${op.id}\` (\`${op.method} ${op.path}\`): ${names.length ? `its documented ${names.length === 1 ? "error" : "errors"}` : "no documented error"}, any status, \`"hang"\` or \`"reset"\`.`], "  ")}  readonly ${key(op.id)}?: MockFault${names.length ? `<${names.map((n) => JSON.stringify(n)).join(" | ")}>` : "<never>"};`;
  });
  return `import type { MockFault, MockSpec } from "@otpkit/runtime/testing";
import { operationSpecs, vendorSpec, type ${model.prefix}OperationId } from "./spec.js";

${tsdoc([
  `What the in-process mock of ${model.name} knows from ${model.specFile}: every documented response of every`,
  "operation, with its declared headers and its named examples, and which documented error answers which",
  "invalid input (`x-otpkit-invalid-input`). `../testing.ts` adds the state machine the spec cannot describe.",
])}export const mockSpec = {
  vendor: vendorSpec,
  operations: {
${data.map(({ op, responses }) => emitOperation(op, responses)).join("\n")}
  },
} as const satisfies MockSpec<${model.prefix}OperationId>;

${tsdoc([`What a test can make each ${model.name} operation answer instead of its normal answer (the \`faults\` option of \`create${model.prefix}Mock\`).`])}export interface ${model.prefix}MockFaults {
${faults.join("\n")}
}
`;
}
