/**
 * The verification section of `pnpm demo`: @otpkit/verify over the SMS.cx and Ding mocks, in three
 * stories: one verification through SMS.cx; SMS.cx refuses (no credit) and Ding sends, then the
 * check goes to Ding; SMS.cx may have sent (a 500 on the billed POST) and Ding is never called.
 * Each step shows the requests each vendor received, counted by the clients' fetch, and is `ok`
 * only when its result and those requests are exactly what it expects. Mock mode only: the refusals
 * are answers only a mock can be asked for.
 */
import { createDingClient } from "@otpkit/ding";
import { createSmscxClient } from "@otpkit/smscx";
import { createVerifier, dingProvider, smscxProvider, type CheckResult, type StartResult, type Tried } from "@otpkit/verify";
import { short } from "./flow.ts";
import type { Report, StepRow, VendorResult } from "./report.ts";
import { gist } from "./run.ts";

type Vendor = "smscx" | "ding";
const NAMES: Record<Vendor, string> = { smscx: "SMS.cx", ding: "Ding" };

/** What one vendor received: `POST /otp → 400`. */
interface Received {
  readonly method: string;
  readonly path: string;
  status?: number;
}

interface State {
  id?: string;
}

interface VerifyStep {
  readonly op: "start" | "check";
  readonly expected: string;
  /** Prism's `Prefer` header per vendor: which of the spec's named examples it answers with. */
  readonly prefer?: Partial<Record<Vendor, string>>;
  run(verifier: ReturnType<typeof createVerifier>, state: State): Promise<StartResult | CheckResult>;
  /** The result's status and provider, and the requests (`METHOD /path`) each vendor must have received. */
  readonly expect: { readonly status: string; readonly provider?: string; readonly received: Record<Vendor, readonly string[]> };
}

const PHONE = "+33612246400";
const OTP_ID = "a17fb13d-f4ac-4d93-9439-ef41ab8de390";

const start = (expected: string, prefer: VerifyStep["prefer"], expect: VerifyStep["expect"]): VerifyStep => ({
  op: "start",
  expected,
  prefer,
  expect,
  run: async (verifier, state) => {
    const result = await verifier.start({ phoneNumber: PHONE });
    if (result.status === "sent") state.id = result.id;
    return result;
  },
});

const check = (expected: string, code: string, expect: VerifyStep["expect"]): VerifyStep => ({
  op: "check",
  expected,
  expect,
  run: (verifier, state) => verifier.check({ id: state.id ?? "", code }),
});

export const verifySteps: readonly VerifyStep[] = [
  start("SMS.cx sends", undefined, { status: "sent", provider: "smscx", received: { smscx: ["POST /otp"], ding: [] } }),
  check("right code → verified", "1544", { status: "verified", provider: "smscx", received: { smscx: [`POST /otp/${OTP_ID}`], ding: [] } }),
  start("no credit at SMS.cx → Ding", { smscx: "code=400, example=insufficientCredit" }, {
    status: "sent",
    provider: "ding",
    received: { smscx: ["POST /otp"], ding: ["POST /authentication"] },
  }),
  check("the id names Ding → verified", "123456", { status: "verified", provider: "ding", received: { smscx: [], ding: ["POST /check"] } }),
  start("SMS.cx 500 → unknown, stop", { smscx: "code=500" }, { status: "unknown", provider: "smscx", received: { smscx: ["POST /otp"], ding: [] } }),
];

/** A fetch that asks Prism for `prefer` and records what the vendor received and answered. */
function wire(prefer: string | undefined, received: Received[]) {
  return async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const entry: Received = { method: init?.method ?? "GET", path: new URL(String(input)).pathname };
    received.push(entry);
    const headers = new Headers(init?.headers);
    if (prefer) headers.set("prefer", prefer);
    const response = await fetch(input, { ...init, headers });
    entry.status = response.status;
    return response;
  };
}

const OUTCOMES: Record<Tried["outcome"], string> = { sent: "sent", not_sent: "not sent", unknown: "may have sent, so no other provider is tried", failed: "refused (not a listed refusal), so no other provider is tried" };
const triedLine = (tried: readonly Tried[]) =>
  `tried ${tried.map((t) => `${t.provider}: ${OUTCOMES[t.outcome]}${t.outcome === "not_sent" ? ` (${t.reason})` : ""}`).join(" → ")}`;

/** The key fields of a result. */
function show(result: StartResult | CheckResult): string[] {
  switch (result.status) {
    case "sent": {
      const [provider, ref] = [result.id.slice(0, result.id.indexOf(":")), result.id.slice(result.id.indexOf(":") + 1)];
      return [
        `id ${provider}:${short(ref)}`,
        result.expiresAt ? `expires ${result.expiresAt.toISOString().replace(".000Z", "Z")}` : "",
        result.attemptsLeft !== undefined ? `${result.attemptsLeft} attempts left` : "",
        triedLine(result.tried),
      ];
    }
    case "unknown":
    case "failed":
      return [triedLine(result.tried), `${result.error.name}: ${gist(result.error.message)}`];
    case "not_sent":
    case "invalid_phone_number":
      return [triedLine(result.tried)];
    case "invalid_id":
      return [result.message];
    default:
      return [`${result.status} by ${result.provider}`, result.metadata.requestId ? `request id ${short(result.metadata.requestId)}` : ""];
  }
}

/** What went wrong, or undefined when the result and the requests are what the step expects. */
function judge(step: VerifyStep, result: StartResult | CheckResult, received: Record<Vendor, Received[]>): string | undefined {
  const provider = "provider" in result ? result.provider : undefined;
  if (result.status !== step.expect.status || provider !== step.expect.provider) {
    return `expected ${step.expect.status}${step.expect.provider ? ` by ${step.expect.provider}` : ""}, got ${result.status}${provider ? ` by ${provider}` : ""}`;
  }
  for (const vendor of ["smscx", "ding"] as const) {
    const got = received[vendor].map((r) => `${r.method} ${r.path}`);
    if (got.join() !== step.expect.received[vendor].join()) return `${NAMES[vendor]} received ${got.join(", ") || "nothing"}, expected ${step.expect.received[vendor].join(", ") || "nothing"}`;
  }
  return undefined;
}

const receivedLine = (received: Record<Vendor, Received[]>) =>
  (["smscx", "ding"] as const)
    .map((vendor) => `${NAMES[vendor]} received ${received[vendor].map((r) => `${r.method} ${r.path.length > 20 ? `${r.path.slice(0, 13)}…` : r.path} → ${r.status ?? "no answer"}`).join(", ") || "nothing"}`)
    .join(" · ");

/** Runs the section against the two mocks; every step gets fresh clients with its own Prefer headers. */
export async function runVerification(urls: Record<Vendor, string>, report: Report, signal: AbortSignal): Promise<VendorResult> {
  const rows: StepRow[] = [];
  const state: State = {};
  for (const step of verifySteps) {
    if (signal.aborted) break;
    const received: Record<Vendor, Received[]> = { smscx: [], ding: [] };
    const smscx = createSmscxClient({ apiKey: "mock-api-key", baseUrl: urls.smscx, fetch: wire(step.prefer?.smscx, received.smscx), timeout: 10_000 });
    const ding = createDingClient({ apiKey: "mock-api-key", customerUuid: "cf222c97-267d-4a29-9e1b-c85d9c31cc42", baseUrl: urls.ding, fetch: wire(step.prefer?.ding, received.ding), timeout: 10_000 });
    const failovers: string[] = [];
    const verifier = createVerifier({
      providers: [smscxProvider(smscx), dingProvider(ding)],
      onFailover: ({ from, to, reason }) => void failovers.push(`onFailover: ${from} → ${to} (${reason})`),
    });
    const began = performance.now();
    const result = await step.run(verifier, state);
    const ms = performance.now() - began;
    if (signal.aborted) break;
    const problem = judge(step, result, received);
    const answers = [...received.smscx, ...received.ding];
    const row: StepRow = {
      vendor: "Verification",
      op: step.op,
      costly: step.op === "start",
      expected: step.expected,
      result: problem ? "unexpected" : "ok",
      problem,
      status: answers.at(-1)?.status,
      ms,
      retries: 0,
      requests: answers.length,
      details: [...show(result), ...failovers, receivedLine(received)].filter(Boolean),
    };
    rows.push(row);
    report.step(row);
  }
  return { name: "Verification", rows };
}
