/**
 * The contract-test flows (./suite.ts, rows from ./table.ts) run twice: once against Prism serving
 * the spec (the package's global setup, `inject("prismUrl")`) and once against the vendor's
 * in-process mock (`fetch: mock.fetch`), and the two results must agree: resolved or which typed
 * error, status, attempts (the runtime's retry rules), the vendor's error code and type, the outcome,
 * the error body, and whether a request id and a rate limit were reported.
 *
 * Prism answers statically, the mock from its state: an OTP must exist before the mock can verify
 * it. The vendor's `prepare` hook creates what a flow's input refers to on the mock, through the
 * client, and returns the input with the mock's ids and codes in place of the spec's examples.
 * Successful bodies then hold different ids, codes and dates, so they are compared by shape: every
 * field both have holds the same JSON type (or null on one side). Everything else is compared as is.
 */
import { describe, expect, inject, test } from "vitest";
import type { Json } from "../lib/specs.ts";
import type { Vendor } from "../prism/index.ts";
import { CLOCK_START, mockFactory, type MockClockLike, type MockLike, type TestingModule } from "./mock-answers.ts";
import { ERROR_RETRY, TEST_SECRET, type ApiErrorShape, type MetadataShape, type OutcomeErrorShape, type VendorModule } from "./suite.ts";
import { contractTable, type OperationTable } from "./table.ts";
import { withoutHeaders, type FetchLike } from "./wire.ts";

type Input = Readonly<Record<string, Json>>;
type Call = ((input?: unknown, options?: unknown) => Pending) & ((options?: unknown) => Pending);
interface Pending extends Promise<unknown> {
  withMetadata(): Promise<{ data: unknown; metadata: MetadataShape }>;
}

export interface PrepareContext<Client> {
  readonly op: OperationTable;
  /** The flow's input, with the spec's example values. */
  readonly input: Input;
  readonly client: Client;
  readonly mock: MockLike;
  readonly clock: MockClockLike;
}

export interface CompareHooks<Client> {
  /** Creates on the mock what `input` refers to; returns the input to send to the mock. */
  prepare(context: PrepareContext<Client>): Promise<Input>;
}

interface Flow {
  readonly name: string;
  readonly op: OperationTable;
  readonly input: Input;
  readonly options: object;
  /** Prism answers it from the spec alone (`Prefer`, or no credential): the mock needs no state. */
  readonly stateless: boolean;
  readonly withoutCredential?: boolean;
}

/** A result as a caller sees it, without what legitimately differs between two servers. */
interface Summary {
  readonly kind: string;
  readonly status?: number;
  readonly attempts?: number;
  readonly requestId?: boolean;
  readonly rateLimit?: readonly string[];
  readonly code?: unknown;
  readonly type?: unknown;
  readonly outcome?: unknown;
  readonly body?: unknown;
}

/** The rate-limit fields a result reports (their values differ: Prism's are the spec's examples). */
const reported = (rateLimit: MetadataShape["rateLimit"]) => Object.entries(rateLimit ?? {}).filter(([, value]) => value !== undefined).map(([key]) => key);

function flowsOf(op: OperationTable): Flow[] {
  const [required] = op.inputs;
  const prefer = (status: number, example?: string) => ({ headers: { prefer: `code=${status}${example ? `, example=${example}` : ""}` } });
  return [
    ...op.inputs.map((c) => ({ name: `${op.methodName}(${c.name} inputs)`, op, input: c.input, options: {}, stateless: false })),
    ...op.successExamples.map((e) => ({ name: `${op.success.status} "${e.example}" (Prefer)`, op, input: required!.input, options: prefer(op.success.status, e.example), stateless: true })),
    ...op.errors.map((e) => ({ name: `${e.status}${e.example ? ` "${e.example}"` : ""} (Prefer)`, op, input: required!.input, options: { ...prefer(e.status, e.example), retry: ERROR_RETRY }, stateless: true })),
    { name: "without its credential on the wire", op, input: required!.input, options: { retry: ERROR_RETRY }, stateless: true, withoutCredential: true },
  ];
}

/** Where two successful bodies disagree on a field's JSON type (null matches anything). */
export function shapeConflicts(a: unknown, b: unknown, at = "(body)"): string[] {
  const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
  if (a === null || b === null) return [];
  if (kind(a) !== kind(b)) return [`${at}: ${kind(a)} on Prism, ${kind(b)} on the mock`];
  if (Array.isArray(a)) return (b as unknown[]).slice(0, a.length).flatMap((item, i) => shapeConflicts(a[i], item, `${at}[${i}]`));
  if (kind(a) !== "object") return [];
  const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
  return Object.keys(x).filter((key) => key in y).flatMap((key) => shapeConflicts(x[key], y[key], `${at}.${key}`));
}

/** Registers the comparison for one vendor. Call it once, from the package's test file. */
export function mockCompareSuite<Client>(vendor: Vendor, sdk: VendorModule, testing: TestingModule, hooks: CompareHooks<Client>): void {
  const table = contractTable(vendor);
  const createMock = mockFactory(testing, table.prefix);
  const factory = sdk[`create${table.prefix}Client`] as (options: object) => Record<string, Call>;
  const credentialHeaders = [...new Set(table.auth.map((a) => a.header))];
  const clientFor = (fetch: FetchLike, baseUrl?: string) => factory({ ...(baseUrl ? { baseUrl } : {}), ...table.clientOptions, [table.auth[0]!.option]: TEST_SECRET, fetch });

  const summary = (error: unknown, documented: boolean): Summary => {
    if (error instanceof sdk.OutcomeError) {
      const e = error as OutcomeErrorShape;
      return { kind: "OutcomeError", status: e.status, attempts: e.metadata.attempts, outcome: e.outcome, body: e.body };
    }
    if (!(error instanceof sdk.ApiError)) return { kind: (error as Error).name };
    const e = error as ApiErrorShape;
    return {
      kind: (error as Error).name,
      status: e.status,
      attempts: e.metadata.attempts,
      requestId: e.requestId !== undefined,
      rateLimit: reported(e.rateLimit),
      code: e.code,
      type: e.type,
      // A status the spec does not document has no documented body: Prism and the mock each make one up.
      ...(documented ? { body: e.body } : {}),
    };
  };

  async function run(flow: Flow, client: Record<string, Call>, input: Input): Promise<{ summary: Summary; data?: unknown }> {
    const method = client[flow.op.methodName]!;
    const pending = flow.op.hasInput ? method(input, flow.options) : method(flow.options);
    try {
      const { data, metadata } = await pending.withMetadata();
      return { summary: { kind: "resolved", status: metadata.status, attempts: metadata.attempts, requestId: metadata.requestId !== undefined, rateLimit: reported(metadata.rateLimit) }, data };
    } catch (error) {
      const documented = flow.op.success.status === (error as ApiErrorShape).status || flow.op.errors.some((e) => e.status === (error as ApiErrorShape).status);
      return { summary: summary(error, documented) };
    }
  }

  async function onMock(flow: Flow) {
    const clock = testing.createMockClock(CLOCK_START);
    const mock = createMock({ clock });
    const fetch: FetchLike = flow.withoutCredential ? withoutHeaders(credentialHeaders, mock.fetch) : mock.fetch;
    const client = clientFor(fetch);
    const input = flow.stateless ? flow.input : await hooks.prepare({ op: flow.op, input: flow.input, client: clientFor(mock.fetch) as unknown as Client, mock, clock });
    return run(flow, client, input);
  }

  describe(`${table.vendorName}: the contract flows give the same results on Prism and on the mock`, () => {
    for (const op of table.operations) {
      describe(`${op.operationId} (${op.method} ${op.path})`, () => {
        for (const flow of flowsOf(op)) {
          test(flow.name, async () => {
            const global: FetchLike = (input, init) => fetch(input, init);
            const prism = await run(flow, clientFor(flow.withoutCredential ? withoutHeaders(credentialHeaders, global) : global, inject("prismUrl")), flow.input);
            const mock = await onMock(flow);
            expect(mock.summary).toEqual(prism.summary);
            if (prism.summary.kind === "resolved") expect(shapeConflicts(prism.data, mock.data)).toEqual([]);
          });
        }
      });
    }
  });
}
