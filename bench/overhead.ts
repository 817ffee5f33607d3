/**
 * Part 1, request overhead: time per call through each vendor's named method (retries, time limits,
 * error mapping and validation on, the defaults) against bare openapi-fetch and raw fetch, all calling
 * the same loopback keep-alive server (lib/example-server.ts) that answers with the spec's example
 * body. Contenders run interleaved in rounds, in a rotating order, and every comparison is a
 * ratio taken within one round: no absolute time is compared with another run's.
 */
import { createDingClient, type paths as DingPaths } from "@otpkit/ding";
import { createEquinixMetalClient, type paths as EquinixPaths } from "@otpkit/equinix-metal";
import { createSmscxClient, type paths as SmscxPaths } from "@otpkit/smscx";
import createClient from "openapi-fetch";
import { OVERHEAD_RATIO_BUDGET } from "./budget.ts";
import { exampleRoutes, forkExampleServer, type ExampleRoute, type ServerStats } from "./lib/example-server.ts";
import { fmt, median, provenance, quantile, table, type Environment } from "./lib/report.ts";
import { AUTH_UUID, CUSTOMER_UUID, OTP_ID } from "./lib/vendors.ts";

export interface OverheadOptions {
  /** Measured rounds; each round runs every contender once (default 400). */
  readonly rounds: number;
  /**
   * Calls per contender per round, awaited one after another (default 25). Short batches keep the
   * two sides of each ratio close in time: with batches of 100 (three runs of 40 rounds, three of
   * 100) a scenario's median ratio ranged from 1.06 to 1.19 on a shared 2-core machine; with 400
   * rounds of 25 it stayed within 1.08–1.11 across five runs.
   */
  readonly batch: number;
  /** Calls per contender before measuring (default 500). */
  readonly warmup: number;
}

export const DEFAULT_OVERHEAD: OverheadOptions = { rounds: 400, batch: 25, warmup: 500 };

type ContenderKind = "raw" | "bare" | "named" | "unvalidated";

const LABELS: Record<ContenderKind, string> = {
  raw: "raw `fetch` + `res.json()`",
  bare: "bare openapi-fetch",
  named: "named method (defaults: retries, time limits, error mapping, validation on)",
  unvalidated: "named method, `validate: false`",
};

interface Scenario {
  readonly title: string;
  readonly vendor: string;
  readonly operationId: string;
  /** True for the scenarios the 1.15 budget is checked on (GETs). */
  readonly budgeted: boolean;
  readonly contenders: Record<ContenderKind, () => Promise<unknown>>;
}

const KEY = "bench-api-key";

type Fetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/**
 * A `fetch` that never leaves the process: answers from the route table at once. It isolates the
 * client-side CPU cost, like openapi-fetch's own benchmark (which stubs fetch the same way).
 */
function stubFetch(routes: readonly ExampleRoute[], origin: string): Fetch {
  const answers = routes.map((route) => ({ route, text: route.body === undefined ? null : JSON.stringify(route.body) }));
  return async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : String(input));
    const method = (init?.method ?? request?.method ?? "GET").toUpperCase();
    const hit = url.origin === origin ? answers.find((a) => a.route.method === method && a.route.pattern.test(url.pathname)) : undefined;
    if (!hit) return new Response("{}", { status: 404, headers: { "content-type": "application/json" } });
    return new Response(hit.text, { status: hit.route.status, headers: hit.text === null ? {} : { "content-type": "application/json" } });
  };
}

function scenarios(url: string, stub?: Fetch): Scenario[] {
  const fetch: Fetch = stub ?? globalThis.fetch;
  const json = (r: Response) => {
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    return r.json() as Promise<unknown>;
  };
  const ok = <T>({ data, error }: { data?: T; error?: unknown }) => {
    if (error !== undefined || data === undefined) throw new Error(`openapi-fetch error: ${JSON.stringify(error)}`);
    return data;
  };

  // SMS.cx GET /otp/{otpId}
  const smscxBase = `${url}/smscx`;
  const smscxHeaders = { accept: "application/json", "X-API-KEY": KEY };
  const smscxBare = createClient<SmscxPaths>({ baseUrl: smscxBase, headers: smscxHeaders, fetch });
  const smscx = createSmscxClient({ apiKey: KEY, baseUrl: smscxBase, fetch: stub });
  const smscxUnvalidated = createSmscxClient({ apiKey: KEY, baseUrl: smscxBase, validate: false, fetch: stub });

  // Ding GET /authentication/{auth_uuid} and POST /check
  const dingBase = `${url}/ding`;
  const dingHeaders = { accept: "application/json", "x-api-key": KEY };
  const dingBare = createClient<DingPaths>({ baseUrl: dingBase, headers: dingHeaders, fetch });
  const ding = createDingClient({ apiKey: KEY, customerUuid: CUSTOMER_UUID, baseUrl: dingBase, fetch: stub });
  const dingUnvalidated = createDingClient({ apiKey: KEY, customerUuid: CUSTOMER_UUID, baseUrl: dingBase, validate: false, fetch: stub });
  const checkInput = { authentication_uuid: AUTH_UUID, check_code: "123456" };
  const checkBody = { customer_uuid: CUSTOMER_UUID, ...checkInput };

  // Equinix Metal GET /user/otp/recovery-codes
  const metalBase = `${url}/equinix-metal`;
  const metalHeaders = { accept: "application/json", "X-Auth-Token": KEY };
  const metalBare = createClient<EquinixPaths>({ baseUrl: metalBase, headers: metalHeaders, fetch });
  const metal = createEquinixMetalClient({ apiKey: KEY, baseUrl: metalBase, fetch: stub });
  const metalUnvalidated = createEquinixMetalClient({ apiKey: KEY, baseUrl: metalBase, validate: false, fetch: stub });

  return [
    {
      title: "SMS.cx `getOtpStatus` (GET /otp/{otpId})",
      vendor: "smscx",
      operationId: "GetOtpStatus",
      budgeted: true,
      contenders: {
        raw: () => fetch(`${smscxBase}/otp/${encodeURIComponent(OTP_ID)}`, { headers: smscxHeaders }).then(json),
        bare: () => smscxBare.GET("/otp/{otpId}", { params: { path: { otpId: OTP_ID } } }).then(ok),
        named: () => smscx.getOtpStatus({ otpId: OTP_ID }),
        unvalidated: () => smscxUnvalidated.getOtpStatus({ otpId: OTP_ID }),
      },
    },
    {
      title: "Ding `getAuthenticationStatus` (GET /authentication/{auth_uuid})",
      vendor: "ding",
      operationId: "getAuthenticationStatus",
      budgeted: true,
      contenders: {
        raw: () => fetch(`${dingBase}/authentication/${encodeURIComponent(AUTH_UUID)}`, { headers: dingHeaders }).then(json),
        bare: () => dingBare.GET("/authentication/{auth_uuid}", { params: { path: { auth_uuid: AUTH_UUID } } }).then(ok),
        named: () => ding.getAuthenticationStatus({ auth_uuid: AUTH_UUID }),
        unvalidated: () => dingUnvalidated.getAuthenticationStatus({ auth_uuid: AUTH_UUID }),
      },
    },
    {
      title: "Equinix Metal `findRecoveryCodes` (GET /user/otp/recovery-codes)",
      vendor: "equinix-metal",
      operationId: "findRecoveryCodes",
      budgeted: true,
      contenders: {
        raw: () => fetch(`${metalBase}/user/otp/recovery-codes`, { headers: metalHeaders }).then(json),
        bare: () => metalBare.GET("/user/otp/recovery-codes").then(ok),
        named: () => metal.findRecoveryCodes(),
        unvalidated: () => metalUnvalidated.findRecoveryCodes(),
      },
    },
    {
      title: "Ding `check` (POST /check, JSON body; informational)",
      vendor: "ding",
      operationId: "check",
      budgeted: false,
      contenders: {
        raw: () =>
          fetch(`${dingBase}/check`, {
            method: "POST",
            headers: { ...dingHeaders, "content-type": "application/json" },
            body: JSON.stringify(checkBody),
          }).then(json),
        bare: () => dingBare.POST("/check", { body: checkBody }).then(ok),
        named: () => ding.check(checkInput),
        unvalidated: () => dingUnvalidated.check(checkInput),
      },
    },
  ];
}

const KINDS: readonly ContenderKind[] = ["raw", "bare", "named", "unvalidated"];

export interface ScenarioResult {
  readonly scenario: Scenario;
  /** µs per call, one sample per round. */
  readonly samples: Record<ContenderKind, number[]>;
  /** Per-round ratio of each contender to bare openapi-fetch in the same round. */
  readonly ratios: Record<ContenderKind, number[]>;
}

async function measure(scenario: Scenario, options: OverheadOptions, expected: unknown): Promise<ScenarioResult> {
  const expectedText = JSON.stringify(expected);
  for (const kind of KINDS) {
    const got = JSON.stringify(await scenario.contenders[kind]());
    if (got !== expectedText) throw new Error(`${scenario.title}, ${kind}: answer differs from the spec example:\n${got}\n${expectedText}`);
    for (let i = 1; i < options.warmup; i++) await scenario.contenders[kind]();
  }
  const samples = { raw: [], bare: [], named: [], unvalidated: [] } as Record<ContenderKind, number[]>;
  for (let round = 0; round < options.rounds; round++) {
    // Rotate the order every round (A B C D, B C D A, …) so no contender always runs first or last.
    for (let k = 0; k < KINDS.length; k++) {
      const kind = KINDS[(round + k) % KINDS.length]!;
      const call = scenario.contenders[kind];
      const start = performance.now();
      for (let i = 0; i < options.batch; i++) await call();
      samples[kind].push(((performance.now() - start) * 1000) / options.batch);
    }
  }
  const ratios = Object.fromEntries(KINDS.map((kind) => [kind, samples[kind].map((v, i) => v / samples.bare[i]!)])) as Record<ContenderKind, number[]>;
  return { scenario, samples, ratios };
}

export interface OverheadReport {
  readonly markdown: string;
  readonly results: readonly ScenarioResult[];
  /** True when every budgeted scenario is within the ratio budget. */
  readonly pass: boolean;
}

async function measureAll(list: readonly Scenario[], routes: readonly ExampleRoute[], options: OverheadOptions, mode: string, log: (line: string) => void): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const scenario of list) {
    const route = routes.find((r) => r.vendor === scenario.vendor && r.operationId === scenario.operationId);
    if (!route) throw new Error(`no example route for ${scenario.vendor} ${scenario.operationId}`);
    log(`overhead (${mode}): ${scenario.title} (example "${route.exampleName}")`);
    const result = await measure(scenario, options, route.body);
    results.push(result);
    log("  " + KINDS.map((k) => `${k} ${fmt(median(result.samples[k]), 1)} µs`).join(", ") + `; named/bare ${fmt(median(result.ratios.named), 3)}`);
  }
  return results;
}

const verdict = (r: ScenarioResult) => (median(r.ratios.named) <= OVERHEAD_RATIO_BUDGET ? "PASS" : "FAIL");

function summaryTable(results: readonly ScenarioResult[], budgeted: boolean): string {
  return table(
    [
      "scenario",
      "raw fetch µs/call",
      "openapi-fetch µs/call",
      "named µs/call",
      "named, no validation µs/call",
      "named − openapi-fetch",
      "**named / openapi-fetch**",
      budgeted ? `budget ≤ ${OVERHEAD_RATIO_BUDGET}` : "named, no validation / openapi-fetch",
    ],
    results.map((r) => {
      const bare = median(r.samples.bare);
      const named = median(r.samples.named);
      return [
        r.scenario.title,
        fmt(median(r.samples.raw), 1),
        fmt(bare, 1),
        fmt(named, 1),
        fmt(median(r.samples.unvalidated), 1),
        `${fmt(named - bare, 1)} µs`,
        `**${fmt(median(r.ratios.named), 3)}** (IQR ${fmt(quantile(r.ratios.named, 0.25), 2)}–${fmt(quantile(r.ratios.named, 0.75), 2)})`,
        budgeted ? (r.scenario.budgeted ? `**${verdict(r)}**` : `${verdict(r)} (POST, not budgeted)`) : fmt(median(r.ratios.unvalidated), 3),
      ];
    }),
  );
}

function detailTables(results: readonly ScenarioResult[]): string {
  return results
    .map((r) =>
      [
        `#### ${r.scenario.title}`,
        "",
        table(
          ["contender", "median µs/call", "calls/s", "IQR µs/call", "ratio to openapi-fetch (median of per-round ratios)"],
          KINDS.map((k) => [
            LABELS[k],
            fmt(median(r.samples[k]), 1),
            fmt(1e6 / median(r.samples[k])),
            `${fmt(quantile(r.samples[k], 0.25), 1)}–${fmt(quantile(r.samples[k], 0.75), 1)}`,
            fmt(median(r.ratios[k]), 3),
          ]),
        ),
      ].join("\n"),
    )
    .join("\n\n");
}

/** The stubbed-fetch runs take far less per call, so they get more calls per batch. */
const STUB_BATCH_FACTOR = 5;

export async function runOverhead(env: Environment, options: OverheadOptions, command: string, log: (line: string) => void): Promise<OverheadReport> {
  const routes = exampleRoutes();
  const server = await forkExampleServer();
  let results: ScenarioResult[];
  let stats: ServerStats;
  try {
    results = await measureAll(scenarios(server.url), routes, options, "loopback", log);
    stats = await server.stats();
  } finally {
    await server.stop();
  }
  const stubOrigin = "http://127.0.0.1:9";
  const stubOptions = { ...options, batch: options.batch * STUB_BATCH_FACTOR, warmup: options.warmup * 2 };
  const stubbed = await measureAll(scenarios(stubOrigin, stubFetch(routes, stubOrigin)), routes, stubOptions, "stubbed fetch", log);

  const totalCalls = results.length * KINDS.length * (options.warmup + options.rounds * options.batch);
  const pass = results.filter((r) => r.scenario.budgeted).every((r) => verdict(r) === "PASS");

  const budgeted = results.filter((r) => r.scenario.budgeted);
  const verdictLine = `**Verdict:** ${pass ? "PASS" : "FAIL"}: named method / bare openapi-fetch = ${budgeted
    .map((r) => `${fmt(median(r.ratios.named), 2)} (${r.scenario.vendor})`)
    .join(", ")} against the ≤ ${OVERHEAD_RATIO_BUDGET} budget (loopback GETs; +${budgeted.map((r) => fmt(median(r.samples.named) - median(r.samples.bare))).join(" / ")} µs per call; reported, not gated).`;

  const markdown = `${provenance(env, command)}

${verdictLine}

Budget (issue 9): a named method may cost at most **${OVERHEAD_RATIO_BUDGET}×** the time per call of bare
openapi-fetch. Checked on the GET scenarios against the loopback server; reported here, not a CI gate
(these machines are noisy). Overall: **${pass ? "PASS" : "FAIL"}**.

${summaryTable(results, true)}

How: one keep-alive node:http server on 127.0.0.1, in a child process (so its work runs on the other
core), answers each route with the spec's first named example (pre-serialized). In this process, for
each scenario, every contender is checked to return exactly that example, warmed up with
${fmt(options.warmup)} calls, then measured in ${options.rounds} rounds; a round runs each contender for ${options.batch}
sequential awaited calls, in an order that rotates every round (A B C D, B C D A, …). Per-call time =
batch time / ${options.batch}; the tables give the median over rounds. "Ratio" is the median over rounds of
(contender ÷ bare openapi-fetch in the same round), so slow phases of the machine hit both sides of
each ratio. Raw fetch parses JSON like the others. All contenders use Node's global fetch (undici,
keep-alive): the server saw ${fmt(stats.connections)} connection(s) for ${fmt(stats.requests)} requests (${fmt(totalCalls)} expected),
${stats.unmatched} unmatched. The absolute times include the loopback round trip and the server, which
every contender pays alike; "named − openapi-fetch" is the added cost itself.

**For context, not budgeted: the client's own CPU cost.** The same contenders with \`fetch\` replaced by an
in-process stub that answers at once with the same example (openapi-fetch's own benchmark does this;
anchors §2.2). No network, so the ratio is the client-side work alone; ${options.batch * STUB_BATCH_FACTOR} calls per batch.

${summaryTable(stubbed, false)}

### Loopback details

${detailTables(results)}

### Stubbed-fetch details

${detailTables(stubbed)}`;

  return { markdown, results, pass };
}
