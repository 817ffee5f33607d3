/**
 * Every answer a vendor's in-process mock (`@otpkit/<vendor>/testing`) can give is valid against the
 * spec, checked by the validator the contract tests rely on: Prism, run as a proxy with `--errors`
 * in front of the mock (served on loopback by ./mock-server.ts), checks each answer's status, body
 * and headers against the operation's responses and turns a violation into a 500 #VIOLATIONS, which
 * these tests refuse. Request validation is off in the proxy, so bad requests reach the mock and its
 * answers to them are checked too.
 *
 * What the mock can answer, and how each is reached:
 * - every documented example of every response (a fault names it, or `Prefer` for a 2xx), and every
 *   documented status without an example (a fault with the status);
 * - its answer to every input just outside a constraint of the spec (scripts/lib/bounds.ts) that the
 *   wire can carry as this operation's input;
 * - what its state machine computes: the vendor's scenarios, which between them must produce the
 *   answers the vendor lists (`${operationId} ${status} ${body.status}`).
 * A last test checks that every documented status of every operation was answered and checked.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildModel, type OperationModel } from "../generate/model.ts";
import { boundCases, type BoundCase } from "../lib/bounds.ts";
import type { Json } from "../lib/specs.ts";
import { specPath, type Vendor } from "../prism/index.ts";
import { acquireProxy, type PrismHandle } from "../prism/shared.ts";
import { startMockServer, type Handle, type MockServer } from "./mock-server.ts";
import { TEST_SECRET, type VendorModule } from "./suite.ts";
import { contractTable, type ContractTable, type OperationTable } from "./table.ts";

/** What a vendor's `testing` entry exports, as the suite uses it. */
export interface TestingModule {
  readonly createMockClock: (start?: string) => MockClockLike;
  readonly [name: string]: unknown;
}

export interface MockClockLike {
  now(): Date;
  advance(ms: number): void;
}

export interface MockLike {
  readonly fetch: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
  handle: Handle;
  readonly requests: readonly { readonly operationId: string | undefined }[];
  codeFor(id: string): string | undefined;
}

export interface ScenarioContext<Client> {
  readonly client: Client;
  readonly mock: MockLike;
  readonly clock: MockClockLike;
}

export interface AnswerScenarios<Client> {
  /** Flows through the state machine, each on a fresh mock; their calls may fail, their answers are checked. */
  readonly scenarios: Readonly<Record<string, (context: ScenarioContext<Client>) => Promise<void>>>;
  /** Answers the scenarios must give between them: `${operationId} ${status}` plus the body's `status`, if any. */
  readonly answers: readonly string[];
}

interface Exchange {
  readonly operationId: string | undefined;
  readonly status: number;
  readonly label: string;
  /** Prism's findings (`sl-violations`), errors and warnings. */
  readonly violations: readonly { readonly severity: string; readonly message: string }[];
}

export const CLOCK_START = "2024-05-09T12:09:31Z";

type Call = (input?: unknown, options?: unknown) => Promise<unknown>;

export function mockFactory(testing: TestingModule, prefix: string): (options?: object) => MockLike {
  const factory = testing[`create${prefix}Mock`];
  if (typeof factory !== "function") throw new Error(`the testing entry exports no create${prefix}Mock`);
  return factory as (options?: object) => MockLike;
}

/** A Prism proxy with the vendor's mock behind it, and what Prism made of each of its answers. */
interface ProxiedMocks {
  readonly exchanges: Exchange[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A fresh mock behind the proxy, and a client (no retries) that records each answer. */
  use(options?: object): { clock: MockClockLike; mock: MockLike; client: Record<string, Call> };
  /** Runs calls on fresh mocks and checks every answer they got through the proxy. */
  checked(run: () => Promise<void>): Promise<void>;
}

function proxiedMocks(vendor: Vendor, table: ContractTable, sdk: VendorModule, testing: TestingModule): ProxiedMocks {
  const createMock = mockFactory(testing, table.prefix);
  const factory = sdk[`create${table.prefix}Client`] as (options: object) => Record<string, Call>;
  const exchanges: Exchange[] = [];
  let server: MockServer;
  let prism: PrismHandle;
  return {
    exchanges,
    async start() {
      server = await startMockServer();
      // The broker's Prism host serves it (the package's global setup starts a broker when the test
      // run has none); without one, a `prism proxy` of its own, guarded by vitest's main process too.
      prism = await acquireProxy(vendor, server.url, { owners: [process.ppid] });
    },
    async stop() {
      await prism?.release(); // and proves it is gone
      await server?.close();
    },
    use(options = {}) {
      const clock = testing.createMockClock(CLOCK_START);
      const mock = createMock({ clock, ...options });
      server.use(mock.handle);
      const inspect = async (input: Request | string | URL, init?: RequestInit) => {
        const before = mock.requests.length;
        const response = await fetch(input, init);
        const reached = mock.requests.length > before ? mock.requests.at(-1)!.operationId : undefined;
        const violations = JSON.parse(response.headers.get("sl-violations") ?? "[]") as Exchange["violations"];
        exchanges.push({ operationId: reached, status: response.status, label: label(reached, response.status, await response.clone().text()), violations });
        return response;
      };
      return { clock, mock, client: factory({ baseUrl: prism.url, ...table.clientOptions, [table.auth[0]!.option]: TEST_SECRET, fetch: inspect, retry: false }) };
    },
    async checked(run) {
      const from = exchanges.length;
      await run();
      const seen = exchanges.slice(from);
      expect(seen.length, "answers checked").toBeGreaterThan(0);
      for (const exchange of seen) {
        expect(exchange.violations, `${exchange.label}: Prism found the answer invalid`).toEqual([]);
        expect(exchange.operationId, `${exchange.label}: answered by Prism, not by the mock`).toBeDefined();
      }
    },
  };
}

const invoke = (client: Record<string, Call>, op: OperationTable, input: Readonly<Record<string, Json>>, options: object = {}) =>
  (op.hasInput ? client[op.methodName]!(input, options) : client[op.methodName]!(options)).catch(() => undefined);

/**
 * Whether a value outside the spec reaches the server as this operation's bad input. A parameter's
 * type does not travel (`?limit=12345` is the same text for a number and a string), and an empty
 * path parameter is another URL (`/history/` for `/history/{id}`), which Prism and the mock may route
 * differently; the other constraints of those fields have cases of their own.
 */
function onTheWire(c: BoundCase): boolean {
  const [location = "", name = ""] = c.field.split(".");
  if (location === "body") return true;
  return !c.constraint.startsWith("type") && !(location === "path" && c.input[name] === "");
}

/** The tests of one operation: every documented response, and the answers to inputs just outside the spec. */
function operationTests(mocks: ProxiedMocks, op: OperationTable, model: OperationModel): void {
  const input = op.inputs.at(-1)!.input;
  test(`${op.operationId}: every documented response (by fault, or Prefer for a 2xx)`, () =>
    mocks.checked(async () => {
      for (const { status, name } of documentedAnswers(op)) {
        const byFault = status >= 300 ? { faults: { [op.operationId]: name ?? status } } : {};
        const prefer = status < 300 ? { headers: { prefer: `code=${status}${name ? `, example=${name}` : ""}` } } : {};
        await invoke(mocks.use(byFault).client, op, input, prefer);
      }
    }));
  const outside = boundCases(model, { ...input }).filter((c) => !c.inside && onTheWire(c));
  if (!outside.length) return;
  test(`${op.operationId}: its answers to ${outside.length} inputs just outside the spec's constraints`, () =>
    mocks.checked(async () => {
      for (const c of outside) await invoke(mocks.use().client, op, c.input, { validate: false });
      for (const exchange of mocks.exchanges.slice(-outside.length)) expect(exchange.status, exchange.label).toBeGreaterThanOrEqual(400);
    }));
}

/** Registers the suite for one vendor. Call it once, from the package's test file. */
export function mockAnswersSuite<Client>(vendor: Vendor, sdk: VendorModule, testing: TestingModule, states: AnswerScenarios<Client>): void {
  const table = contractTable(vendor);
  const model = buildModel({ specPath: specPath(vendor), specLabel: table.specFile, packageName: `@otpkit/${vendor}`, version: "0.0.0" });
  const mocks = proxiedMocks(vendor, table, sdk, testing);
  beforeAll(mocks.start, 90_000);
  afterAll(mocks.stop);

  describe(`${table.vendorName} mock: every answer is valid against ${table.specFile} (Prism proxy --errors)`, () => {
    for (const op of table.operations) operationTests(mocks, op, model.operations.find((o) => o.id === op.operationId)!);
    for (const [name, scenario] of Object.entries(states.scenarios)) {
      test(`state machine: ${name}`, () => mocks.checked(() => scenario(mocks.use() as unknown as ScenarioContext<Client>)));
    }
    test("the scenarios gave every answer the state machine can compute, and every documented status was checked", () => {
      const labels = new Set(mocks.exchanges.map((e) => e.label));
      expect(states.answers.filter((answer) => !labels.has(answer)), "answers no scenario produced").toEqual([]);
      const documented = table.operations.flatMap((op) => documentedAnswers(op).map(({ status }) => `${op.operationId} ${status}`));
      const answered = new Set(mocks.exchanges.map((e) => `${e.operationId} ${e.status}`));
      expect(documented.filter((key) => !answered.has(key)), "documented statuses never answered").toEqual([]);
    });
  });
}

/** `GetOtpStatus 200 EXPIRED`: the operation, the status, and the body's own `status` when it has one. */
function label(operationId: string | undefined, status: number, body: string): string {
  let state: unknown;
  try {
    state = (JSON.parse(body) as { status?: unknown }).status;
  } catch {
    state = undefined;
  }
  return `${operationId ?? "(no operation)"} ${status}${typeof state === "string" ? ` ${state}` : ""}`;
}

/** Every documented response of an operation: each named example, or the bare status when it has none. */
const documentedAnswers = (op: OperationTable): { status: number; name?: string }[] => [
  ...[op.success.example, ...op.successExamples.map((e) => e.example)].map((name) => ({ status: op.success.status, name })),
  ...op.errors.map((e) => ({ status: e.status, name: e.example })),
];
