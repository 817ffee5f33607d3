/**
 * The contract suite every vendor package runs (`packages/<vendor>/test/contract.test.ts`): the
 * generated client against a Prism mock served from the same spec with `--errors` (started by the
 * package's vitest global setup, `inject("prismUrl")`). The rows come from ./table.ts, so the
 * suite has no per-vendor or per-operation code.
 *
 * Per operation:
 * - the named method with only the required inputs, and with all inputs: the result deep-equals
 *   the example Prism serves, the response carries no `sl-violations` header (Prism found nothing
 *   wrong with the request: the SDK's request is valid against the spec), the request went out
 *   once, to the right method and path, with the expected body, and the exact wire request matches
 *   its reviewed snapshot `test/__snapshots__/requests/<operationId>.<case>.txt`;
 * - every other named 2xx example: resolves to it, or throws the typed `OutcomeError` when the
 *   operation's `x-otpkit-outcome` says the example is not a success;
 * - every documented error status and each of its named examples: the typed `ApiError` (the
 *   package's `is<Prefix>ApiError` guard agrees) with the status, the vendor's code, type and
 *   message read at the spec's `x-otpkit-error-fields` pointers, the body, the request id and rate
 *   limit where the response declares those headers, and the number of attempts the retry policy
 *   allows (an idempotent call is retried on 408, 429, 500, 502, 503 and 504, anything else is
 *   sent once);
 * - a request whose credential is stripped on the way to Prism: a typed 401;
 * - for a paginated operation (`x-otpkit-pagination`): its `<method>All` yields the items of the
 *   default example and then of the example that ends the list, from two requests that differ
 *   only by the cursor.
 * Per vendor: a client without a credential (or without a client option such as Ding's
 * `customerUuid`) throws `ConfigurationError` before any request; every credential scheme of the
 * spec works against Prism; and a coverage check fails when any operation, documented status,
 * named example or scheme of the spec has no test, or when a request snapshot no longer belongs
 * to any test.
 *
 * Why the result "matches the spec's type" without a schema check here: Prism runs with
 * `--errors`, so a response example that breaks its schema would come back as a 500 with
 * `#VIOLATIONS`; the tests require the documented status and a body deep-equal to the example, so
 * the result is an example that Prism has just validated against the response schema. The static
 * types of the results are checked by each package's types.test-d.ts.
 *
 * Error calls pass `retry: { maxAttempts: 2, baseDelay: 1, maxDelay: 1, maxRetryAfter: 0 }`: a 503
 * on a GET is asked for twice (not three times, and without waiting), and `metadata.attempts`
 * plus the recorded requests prove whether the runtime retried.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, inject, test } from "vitest";
import type { Vendor } from "../prism/index.ts";
import {
  atPointer,
  ContractSpecError,
  contractTable,
  requiredCoverage,
  RETRY_STATUSES,
  type AuthCase,
  type ContractTable,
  type ErrorCase,
  type HeaderRoles,
  type InputCase,
  type OperationTable,
  type PaginationCase,
} from "./table.ts";
import { createRecorder, formatRequest, MASK, withoutHeaders, type FetchLike, type MaskRule, type Recorder, type WireRequest } from "./wire.ts";

/** What the suite reads from a response's metadata (the runtime's `ResponseMetadata`). */
export interface MetadataShape {
  readonly status: number;
  readonly headers: Headers;
  readonly requestId?: string;
  readonly rateLimit?: { readonly limit?: number; readonly remaining?: number; readonly reset?: Date };
  readonly attempts: number;
}

interface AnsweredShape extends Error {
  readonly vendor?: string;
  readonly operationId?: string;
  readonly method?: string;
  readonly url?: string;
  readonly status: number;
  readonly requestId: string | undefined;
  readonly rateLimit: MetadataShape["rateLimit"] | undefined;
  readonly metadata: MetadataShape;
}

export interface ApiErrorShape extends AnsweredShape {
  readonly body: unknown;
  readonly code: unknown;
  readonly type: unknown;
}

export interface OutcomeErrorShape extends AnsweredShape {
  readonly outcome: unknown;
  readonly body: unknown;
}

type ErrorClass<T> = abstract new (...args: never[]) => T;

/**
 * A vendor package's exports, as `import * as sdk from "../src/index.js"` gives them. The factory
 * (`create<Prefix>Client`) and guards (`is<Prefix>ApiError`, `is<Prefix>OutcomeError`) are looked up
 * by the naming convention, so a package that breaks it fails here.
 */
export interface VendorModule {
  readonly ApiError: ErrorClass<ApiErrorShape>;
  readonly OutcomeError: ErrorClass<OutcomeErrorShape>;
  readonly ResponseParseError: ErrorClass<Error>;
  readonly ConfigurationError: ErrorClass<Error>;
  readonly [name: string]: unknown;
}

interface Pending extends Promise<unknown> {
  withMetadata(): Promise<{ data: unknown; metadata: MetadataShape }>;
}
type Method = (...args: unknown[]) => Pending;
type Factory = (options: Readonly<Record<string, unknown>>) => Readonly<Record<string, unknown>>;
type Guard = (error: unknown) => boolean;

/** A made-up credential: Prism only checks that one is present. Masked in every snapshot anyway. */
export const TEST_SECRET = "otpkit-contract-test-credential";

/** Error calls: at most two attempts, no waiting (see the file comment). */
export const ERROR_RETRY = { maxAttempts: 2, baseDelay: 1, maxDelay: 1, maxRetryAfter: 0 } as const;

function exported<T>(sdk: VendorModule, name: string, what: string): T {
  const value = sdk[name];
  if (typeof value !== "function") throw new Error(`the package exports no ${name} (${what}); the contract suite finds it by the generator's naming rule`);
  return value as T;
}

const show = (value: unknown): string => (value === undefined ? "undefined" : JSON.stringify(value));

/** Registers the whole contract suite of one vendor package. Call it once, from test/contract.test.ts. */
export function contractSuite(vendor: Vendor, sdk: VendorModule): void {
  const table: ContractTable = contractTable(vendor);
  const factoryName = `create${table.prefix}Client`;
  const factory = exported<Factory>(sdk, factoryName, "the client factory");
  const isApiError = exported<Guard>(sdk, `is${table.prefix}ApiError`, "the API error guard");
  const isOutcomeError = exported<Guard>(sdk, `is${table.prefix}OutcomeError`, "the outcome error guard");
  const baseUrl = inject("prismUrl");
  const origin = new URL(baseUrl).origin;
  const [primary] = table.auth as [AuthCase, ...AuthCase[]];
  const credentialHeaders = [...new Set(table.auth.map((a) => a.header))];

  // Every test says which coverage keys it satisfies (see requiredCoverage), and which snapshot
  // files it owns; the coverage tests at the end compare both with the spec and the disk.
  const covered = new Set<string>();
  const snapshots = new Set<string>();
  const register = (name: string, covers: readonly string[], body: () => Promise<void> | void) => {
    for (const key of covers) covered.add(key);
    test(name, body);
  };

  const makeClient = (auth: AuthCase, fetchOption: FetchLike, extra: Readonly<Record<string, unknown>> = {}) =>
    factory({ baseUrl, ...table.clientOptions, [auth.option]: TEST_SECRET, fetch: fetchOption, ...extra });

  const invoke = (client: Readonly<Record<string, unknown>>, op: OperationTable, input: InputCase["input"], options: object = {}): Pending => {
    const method = client[op.methodName];
    if (typeof method !== "function") throw new Error(`${factoryName}() returned no ${op.methodName}() for operation ${op.operationId}`);
    return op.hasInput ? (method as Method)(input, options) : (method as Method)(options);
  };

  const masks = (auth: AuthCase): MaskRule[] => [{ header: auth.header, expected: auth.prefix + TEST_SECRET, shown: auth.prefix + MASK }];

  /** The single request a call made went to the operation's method and path, with the expected body. */
  const expectRequest = (recorded: readonly WireRequest[], op: OperationTable, input: InputCase["input"], auth: AuthCase) => {
    expect(recorded, "exactly one request was sent").toHaveLength(1);
    const [request] = recorded as [WireRequest];
    const url = new URL(request.url);
    expect(url.origin).toBe(origin);
    expect(request.method).toBe(op.method);
    const expectedPath = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(input[name])));
    expect(url.pathname).toBe(expectedPath);
    const headers = new Map(request.headers);
    expect(headers.get(auth.header), `the ${auth.scheme} credential is sent in ${auth.header}`).toBe(auth.prefix + TEST_SECRET);
    for (const other of credentialHeaders.filter((h) => h !== auth.header)) expect(headers.has(other), `only one credential is sent (${other})`).toBe(false);
    for (const p of op.parameters.filter((p) => p.in === "query" && p.name in input)) expect(url.searchParams.get(p.name), `query ${p.name}`).toBe(String(input[p.name]));
    for (const p of op.parameters.filter((p) => p.in === "header" && p.name in input)) expect(headers.get(p.name.toLowerCase()), `header ${p.name}`).toBe(String(input[p.name]));
    const params = new Set(op.parameters.map((p) => p.name));
    const expectedBody: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(input)) if (!params.has(name)) expectedBody[name] = value;
    // Client options fill their body field when the call leaves it out (Ding's customer_uuid).
    for (const { field, option } of op.clientFields) expectedBody[field] ??= table.clientOptions[option];
    if (request.body === undefined) {
      expect(expectedBody, "inputs that should have gone into a body").toStrictEqual({});
    } else {
      expect(JSON.parse(request.body)).toStrictEqual(expectedBody);
      expect(headers.get("content-type")).toMatch(/^application\/json\b/);
    }
  };

  /** Request id and rate limit are reported exactly where the response declares their headers. */
  const expectHeaderRoles = (roles: HeaderRoles, found: { metadata: MetadataShape; requestId: string | undefined; rateLimit: MetadataShape["rateLimit"] | undefined }, message?: string) => {
    const { headers } = found.metadata;
    if (roles.requestId) {
      const sent = headers.get(roles.requestId);
      expect(sent, `Prism sends the declared ${roles.requestId} header`).toBeTruthy();
      expect(found.requestId).toBe(sent);
      if (message !== undefined) expect(message).toContain(`request id ${sent}`);
    } else {
      expect(found.requestId).toBeUndefined();
    }
    if (roles.limit || roles.remaining || roles.reset) {
      const number = (name: string | undefined) => (name && headers.get(name) !== null ? Number(headers.get(name)) : undefined);
      const reset = number(roles.reset);
      expect(found.rateLimit).toEqual({ limit: number(roles.limit), remaining: number(roles.remaining), reset: reset === undefined ? undefined : new Date(reset * 1000) });
    } else {
      expect(found.rateLimit).toBeUndefined();
    }
  };

  const settle = (pending: Promise<unknown>) =>
    pending.then(
      (data) => ({ resolved: true as const, data }),
      (error: unknown) => ({ resolved: false as const, error }),
    );

  describe(`${table.vendorName} contract: ${factoryName}() against Prism serving ${table.specFile} (--errors)`, () => {
    for (const op of table.operations) {
      describe(`${op.operationId} (${op.method} ${op.path})`, () => {
        for (const inputCase of op.inputs) {
          const file = `${op.operationId}.${inputCase.name}.txt`;
          snapshots.add(file);
          const covers = [`call ${op.operationId} ${inputCase.name}`, `snapshot ${op.operationId} ${inputCase.name}`, `response ${op.operationId} ${op.success.status}`];
          if (op.success.example) covers.push(`example ${op.operationId} ${op.success.status} ${op.success.example}`);
          const label = !op.hasInput ? "()" : inputCase.name === "required" ? `(required inputs${op.inputs.length === 1 ? ", which are all its inputs" : ""})` : "(all inputs)";
          register(`${op.methodName}${label} → ${op.success.status}${op.success.example ? ` "${op.success.example}"` : ""}; valid request, wire snapshot ${file}`, covers, async () => {
            if (op.outcome && op.success.example) {
              const value = atPointer(op.success.body, `/${op.outcome.field}`);
              expect(op.outcome.success, `Prism serves the first ${op.success.status} example by default, so "${op.success.example}" must be a success outcome`).toContain(value);
            }
            const recorder = createRecorder();
            const { data, metadata } = await invoke(makeClient(primary, recorder.fetch), op, inputCase.input).withMetadata();
            expect(metadata.headers.get("sl-violations"), "Prism found the request invalid").toBeNull();
            expect(metadata.status).toBe(op.success.status);
            expect(data).toStrictEqual(op.success.body);
            expect(metadata.attempts).toBe(1);
            expectHeaderRoles(op.success.headers, { metadata, requestId: metadata.requestId, rateLimit: metadata.rateLimit });
            expectRequest(recorder.requests, op, inputCase.input, primary);
            await expect(formatRequest(recorder.requests[0]!, origin, masks(primary), [TEST_SECRET])).toMatchFileSnapshot(`__snapshots__/requests/${file}`);
          });
        }

        const [requiredInput] = op.inputs as [InputCase];
        for (const example of op.successExamples) {
          const covers = [`example ${op.operationId} ${op.success.status} ${example.example}`];
          const prefer = { prefer: `code=${op.success.status}, example=${example.example}` };
          if (example.outcome && !example.outcome.success) {
            const { value } = example.outcome;
            register(`${op.success.status} "${example.example}" → OutcomeError (${op.outcome!.field}: ${show(value)})`, covers, async () => {
              const recorder = createRecorder();
              const result = await settle(invoke(makeClient(primary, recorder.fetch), op, requiredInput.input, { headers: prefer }));
              if (result.resolved) expect.fail(`expected an OutcomeError, but the call resolved to ${show(result.data)}`);
              const error = result.error;
              if (!(error instanceof sdk.OutcomeError)) throw error;
              expect(isOutcomeError(error)).toBe(true);
              expect(isApiError(error)).toBe(false);
              expect(error.outcome).toStrictEqual(value);
              expect(error.body).toStrictEqual(example.body);
              expect(error.status).toBe(op.success.status);
              expect(error.vendor).toBe(table.vendorName);
              expect(error.operationId).toBe(op.operationId);
              expect(error.message).toContain(`${op.outcome!.field} is ${show(value)}`);
              expect(error.metadata.headers.get("sl-violations")).toBeNull();
              expect(recorder.requests, "an outcome error is never retried").toHaveLength(1);
            });
          } else {
            register(`${op.success.status} "${example.example}" → resolves to it`, covers, async () => {
              const { data, metadata } = await invoke(makeClient(primary, createRecorder().fetch), op, requiredInput.input, { headers: prefer }).withMetadata();
              expect(metadata.headers.get("sl-violations")).toBeNull();
              expect(metadata.status).toBe(op.success.status);
              expect(data).toStrictEqual(example.body);
            });
          }
        }

        for (const errorCase of op.errors) registerError(op, requiredInput, errorCase);
        if (op.pagination) registerPagination(op, op.pagination, requiredInput);

        register(`without its credential on the wire → typed 401 ApiError`, [`auth rejected ${op.operationId}`], async () => {
          const recorder = createRecorder();
          const client = makeClient(primary, withoutHeaders(credentialHeaders, recorder.fetch));
          const result = await settle(invoke(client, op, requiredInput.input, { retry: ERROR_RETRY }));
          if (result.resolved) expect.fail(`Prism accepted a request without credentials: ${show(result.data)}`);
          const error = result.error;
          if (!(error instanceof sdk.ApiError)) throw error;
          expect(isApiError(error)).toBe(true);
          expect(error).not.toBeInstanceOf(sdk.ResponseParseError);
          expect(error.status).toBe(401);
          for (const header of credentialHeaders) expect(new Map(recorder.requests[0]!.headers).has(header)).toBe(false);
          const documented = op.errors.find((e) => e.status === 401 && e.example);
          // With a documented 401 Prism answers with its first example and says why in sl-violations;
          // without one (Ding) it generates its own problem+json.
          if (documented) {
            expect(error.body).toStrictEqual(documented.body);
            expect(error.metadata.headers.get("sl-violations")).toMatch(/security/i);
          }
          expect(recorder.requests, "a 401 is never retried").toHaveLength(1);
        });
      });
    }

    describe("credentials", () => {
      register(`${factoryName}() without a credential throws ConfigurationError, before any request`, ["auth missing-credential"], () => {
        const recorder = createRecorder();
        let thrown: unknown;
        try {
          factory({ baseUrl, ...table.clientOptions, fetch: recorder.fetch });
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(sdk.ConfigurationError);
        const message = (thrown as Error).message;
        expect(message).toContain(table.vendorName);
        for (const auth of table.auth) {
          expect(message).toContain(auth.option);
          expect(message.toLowerCase()).toContain(auth.header);
        }
        expect(recorder.requests).toHaveLength(0);
      });

      for (const option of Object.keys(table.clientOptions)) {
        register(`${factoryName}() without ${option} throws ConfigurationError, before any request`, [`auth missing-option ${option}`], () => {
          const recorder = createRecorder();
          const options: Record<string, unknown> = { baseUrl, ...table.clientOptions, [primary.option]: TEST_SECRET, fetch: recorder.fetch };
          delete options[option];
          expect(() => factory(options)).toThrow(sdk.ConfigurationError);
          expect(() => factory(options)).toThrow(option);
          expect(recorder.requests).toHaveLength(0);
        });
      }

      for (const auth of table.auth) {
        const first = table.operations[0]!;
        const file = `${first.operationId}.required.${auth.option}.txt`;
        if (auth !== primary) snapshots.add(file);
        register(
          `scheme ${auth.scheme} (${auth.option}, ${auth.header}): every operation succeeds against Prism${auth === primary ? "" : `; wire snapshot ${file}`}`,
          [`auth scheme ${auth.scheme}`],
          async () => {
            for (const op of table.operations) {
              const recorder = createRecorder();
              const [input] = op.inputs as [InputCase];
              const { metadata } = await invoke(makeClient(auth, recorder.fetch), op, input.input).withMetadata();
              expect(metadata.headers.get("sl-violations"), op.operationId).toBeNull();
              expect(metadata.status, op.operationId).toBe(op.success.status);
              expectRequest(recorder.requests, op, input.input, auth);
              if (auth !== primary && op === first) {
                await expect(formatRequest(recorder.requests[0]!, origin, masks(auth), [TEST_SECRET])).toMatchFileSnapshot(`__snapshots__/requests/${file}`);
              }
            }
          },
        );
      }
    });

    describe("coverage", () => {
      test(`every operation, documented status, named example and credential scheme of ${table.specFile} has a test`, () => {
        const expected = requiredCoverage(vendor);
        expect(expected.length).toBeGreaterThan(0);
        expect(expected.filter((key) => !covered.has(key)), "parts of the spec that no contract test covers").toEqual([]);
      });

      test("every request snapshot on disk belongs to a test", () => {
        const testPath = expect.getState().testPath;
        if (!testPath) throw new Error("vitest did not say which test file runs");
        const dir = path.join(path.dirname(testPath), "__snapshots__", "requests");
        const onDisk = existsSync(dir) ? readdirSync(dir) : [];
        expect(onDisk.filter((f) => !snapshots.has(f)), "stale request snapshots: delete them, or restore their operation").toEqual([]);
      });
    });
  });

  /**
   * The all-pages method: Prism serves the default example first; a request that carries the
   * cursor gets the example that ends the list. Every item of both, in order, from two requests
   * that differ only by the cursor, which is the first page's next cursor.
   */
  function registerPagination(op: OperationTable, pagination: PaginationCase, input: InputCase): void {
    const next = atPointer(op.success.body, pagination.nextCursor);
    const { lastPage } = pagination;
    const name = `${pagination.methodName}() yields every item of "${op.success.example}"${next ? ` and then, asked with its ${pagination.cursor}, of "${lastPage?.example}"` : ""}`;
    register(name, [`paginate ${op.operationId}`], async () => {
      if (next && !lastPage) throw new ContractSpecError(`${op.operationId}: the first ${op.success.status} example has a next cursor, so a named example with items and no next cursor is needed to end the list`);
      const recorder = createRecorder();
      const endingPage: FetchLike = (url, init) => {
        const headers = new Headers(init?.headers);
        if (new URL(String(url)).searchParams.has(pagination.cursor)) headers.set("prefer", `code=${op.success.status}, example=${lastPage!.example}`);
        return recorder.fetch(url, { ...init, headers });
      };
      const method = makeClient(primary, endingPage)[pagination.methodName];
      if (typeof method !== "function") throw new Error(`${factoryName}() returned no ${pagination.methodName}() for the paginated operation ${op.operationId}`);
      const items: unknown[] = [];
      const all = (op.hasInput ? method(input.input, {}) : method({})) as AsyncIterable<unknown>;
      for await (const item of all) items.push(item);
      const pages = next ? [op.success.body, lastPage!.body] : [op.success.body];
      expect(items).toStrictEqual(pages.flatMap((page) => atPointer(page, pagination.items) as unknown[]));
      expect(recorder.requests, "one request per page").toHaveLength(pages.length);
      if (!next) return;
      const [first, second] = recorder.requests.map((r) => new URL(r.url).searchParams) as [URLSearchParams, URLSearchParams];
      expect(second.get(pagination.cursor)).toBe(String(next));
      second.delete(pagination.cursor);
      expect(second.toString(), "the same filters on every page").toBe(first.toString());
    });
  }

  function registerError(op: OperationTable, input: InputCase, c: ErrorCase): void {
    const covers = [`response ${op.operationId} ${c.status}`];
    if (c.example) covers.push(`example ${op.operationId} ${c.status} ${c.example}`);
    const { code: codeAt, type: typeAt, message: messageAt } = table.errorFields;
    const code = codeAt ? atPointer(c.body, codeAt) : undefined;
    const type = typeAt ? atPointer(c.body, typeAt) : undefined;
    const retried = op.idempotent && RETRY_STATUSES.includes(c.status);
    const attempts = retried ? ERROR_RETRY.maxAttempts : 1;
    const message = messageAt.map((pointer) => atPointer(c.body, pointer)).find((m) => m !== undefined);
    const messages = ([] as unknown[]).concat(message ?? []).map((m) => String(m));
    // The test name shows what identifies the error: the vendor's type and code, or its message when it has neither.
    const shown = type !== undefined || code !== undefined ? [type, code].filter((v) => v !== undefined).map((v) => ` ${String(v)}`).join("") : messages.length ? ` "${messages.join("; ")}"` : "";
    const name = `${c.status}${c.example ? ` "${c.example}"` : ""} → ApiError${shown}${retried ? " (idempotent: retried)" : ""}`;
    register(name, covers, async () => {
      const recorder: Recorder = createRecorder();
      const prefer = `code=${c.status}${c.example ? `, example=${c.example}` : ""}`;
      const result = await settle(invoke(makeClient(primary, recorder.fetch), op, input.input, { headers: { prefer }, retry: ERROR_RETRY }));
      if (result.resolved) expect.fail(`expected an ApiError with status ${c.status}, but the call resolved to ${show(result.data)}`);
      const error = result.error;
      if (!(error instanceof sdk.ApiError)) throw error;
      expect(isApiError(error)).toBe(true);
      expect(error).not.toBeInstanceOf(sdk.ResponseParseError);
      // The request itself was valid: the status comes from `Prefer`, not from Prism's validation.
      expect(error.metadata.headers.get("sl-violations"), "Prism found the request invalid").toBeNull();
      expect(error.status).toBe(c.status);
      expect(error.metadata.status).toBe(c.status);
      expect(error.vendor).toBe(table.vendorName);
      expect(error.operationId).toBe(op.operationId);
      expect(error.method).toBe(op.method);
      if (c.example) expect(error.body).toStrictEqual(c.body);
      expect(error.code).toStrictEqual(code);
      expect(error.type).toStrictEqual(type);
      for (const text of messages) expect(error.message).toContain(text);
      expectHeaderRoles(c.headers, error, error.message);
      expect(error.metadata.attempts).toBe(attempts);
      expect(recorder.requests).toHaveLength(attempts);
    });
  }
}
