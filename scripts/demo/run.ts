/**
 * Runs one vendor's flow: for each step, decide whether it runs (mock-only, missing inputs, a
 * billed call the user declined), make the call through the package's public API, time it, and
 * judge the result against what the step expects. Nothing here knows a vendor.
 */
import type { CallOptions, ResponseMetadata, RetryEvent } from "@otpkit/smscx";
import { short, type AnyFlow, type Env, type ErrorClasses, type Expectation, type Mode, type Step, type StepContext } from "./flow.ts";
import { maskPhone, type Prompter } from "./live.ts";
import type { Report, StepRow, VendorResult } from "./report.ts";
import { plural } from "./style.ts";

export interface RunContext {
  readonly mode: Mode;
  /** With --live: run billed steps without asking. */
  readonly yes: boolean;
  /** Where the credentials come from: the flow's stand-ins in mock mode, the environment live. */
  readonly env: Env;
  readonly phone: string;
  /** Prism's URL in mock mode; live, an override from the environment or the spec's server. */
  readonly baseUrl: string | undefined;
  readonly signal: AbortSignal;
  readonly report: Report;
  readonly prompter?: Prompter;
  /** Pause after each step (0 normally; the interrupt test sets it to have time to press Ctrl-C). */
  readonly pauseMs: number;
}

type Outcome = { readonly data: unknown; readonly metadata: ResponseMetadata } | { readonly error: unknown };

/** Per-attempt timeout and whole-call deadline of every call the demo makes. */
const TIMEOUT = 10_000;
const DEADLINE = 30_000;

export async function runFlow(flow: AnyFlow, run: RunContext): Promise<VendorResult> {
  // The demo's fetch: counts the requests each step sends (so "0 requests sent" is measured, not
  // claimed), blocks any request during a step that must not send one, and in mock mode can ask
  // Prism for a different answer on a step's first attempt (to show a retry).
  const probe = { requests: 0, block: false, preferFirstAttempt: undefined as string | undefined };
  const fetchThroughProbe = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    probe.requests++;
    if (probe.block) throw new Error("the demo blocked a request from a step that must not send any");
    if (probe.requests === 1 && probe.preferFirstAttempt) {
      const headers = new Headers(init?.headers);
      headers.set("prefer", probe.preferFirstAttempt);
      init = { ...init, headers };
    }
    return fetch(input, init);
  };
  const client: unknown = flow.createClient({ env: run.env, baseUrl: run.baseUrl, fetch: fetchThroughProbe, timeout: TIMEOUT, deadline: DEADLINE });
  const state: Record<string, unknown> = flow.initialState();
  const rows: StepRow[] = [];
  // Request id and rate limit are shown when they change (in mock mode Prism repeats the spec's
  // example headers, so once per vendor; live, every request id is new).
  let lastMetadata = "";

  for (const step of flow.steps as readonly Step<unknown, Record<string, unknown>>[]) {
    if (run.signal.aborted) break;
    const expected = run.mode === "mock" ? (step.mock?.expected ?? step.expected) : step.expected;
    const base = { vendor: flow.name, op: step.op, costly: step.operation?.costsMoney === true, expected, retries: 0, requests: 0 };
    const skipped = (why: string): StepRow => ({ ...base, result: "skipped", details: [why] });
    const row = await (async (): Promise<StepRow> => {
      if (run.mode === "live" && step.mockOnly) return skipped(`mock only: ${step.mockOnly}`);
      const missing = (step.needs ?? []).filter((key) => state[key] === undefined);
      if (missing.length) return skipped(`needs ${missing.join(" and ")} from an earlier step`);

      const retries: RetryEvent[] = [];
      const options: CallOptions = {
        signal: run.signal,
        headers: run.mode === "mock" && step.mock?.prefer ? { prefer: step.mock.prefer } : undefined,
        retry: { onRetry: (event) => void retries.push(event) },
      };
      const context: StepContext<Record<string, unknown>> = {
        mode: run.mode,
        state,
        phone: run.phone,
        options,
        askCode: async (question, example) =>
          run.mode === "mock" ? example : run.prompter?.ask(`${question}${flow.live.usesPhone ? ` to ${maskPhone(run.phone)}` : ""}: `),
      };
      const notReady = await step.prepare?.(context);
      if (notReady) return skipped(notReady);
      if (run.mode === "live" && base.costly && !run.yes) {
        if (!run.prompter?.interactive) return skipped("costs money, and there is no terminal to ask on: pass --yes to allow it");
        const to = flow.live.usesPhone ? ` (to ${maskPhone(run.phone)})` : "";
        if (!(await run.prompter.confirm(`${flow.name} ${step.op} ($): ${step.costs ?? "this call costs money"}${to}. Go ahead?`))) {
          return skipped("costs money: you answered no");
        }
      }

      probe.requests = 0;
      probe.block = "rejects" in step.expect && step.expect.rejects === "ValidationError";
      probe.preferFirstAttempt = run.mode === "mock" ? step.mock?.preferFirstAttempt : undefined;
      const start = performance.now();
      let outcome: Outcome;
      try {
        outcome = await step.send(client, context).withMetadata();
      } catch (error) {
        outcome = { error };
      }
      const ms = performance.now() - start;
      probe.block = false;
      if ("data" in outcome) step.save?.(outcome.data, state);

      const judged = [step.expect, ...(run.mode === "live" && step.liveAlso ? [step.liveAlso] : [])].map((e) => judge(e, outcome, flow.errors, state, probe.requests));
      const problem = judged.every(Boolean) ? judged[0] : undefined;
      const metadata = "data" in outcome ? outcome.metadata : metadataOf(outcome.error);
      const attempts = metadata?.attempts ?? attemptsOf("error" in outcome ? outcome.error : undefined) ?? probe.requests;
      const metadataShown = metadataFields(metadata);
      const metadataNew = problem || metadataShown.join() !== lastMetadata ? metadataShown : [];
      if (metadataShown.length) lastMetadata = metadataShown.join();
      return {
        ...base,
        result: problem ? "unexpected" : "ok",
        problem,
        status: metadata?.status ?? statusOf("error" in outcome ? outcome.error : undefined),
        ms,
        retries: Math.max(0, attempts - 1),
        requests: probe.requests,
        details: [
          ...("data" in outcome ? (step.show?.(outcome.data, outcome.metadata) ?? []).filter((f): f is string => typeof f === "string" && f !== "") : describeError(outcome.error, flow.errors, probe.requests)),
          ...metadataNew,
          ...retries.map((e) => `retried after ${e.status ? `HTTP ${e.status}` : (e.error?.name ?? "a failure")} (waited ${e.delay} ms)`),
        ],
      };
    })();
    // Once interrupted, the CLI reports and exits; a half-finished step is not a result.
    if (run.signal.aborted) break;
    rows.push(row);
    run.report.step(row);
    if (run.pauseMs) await new Promise((resolve) => setTimeout(resolve, run.pauseMs));
  }
  return { name: flow.name, rows };
}

/** What went wrong, or `undefined` when the outcome is what `expect` says. */
function judge(expect: Expectation<unknown, Record<string, unknown>>, outcome: Outcome, errors: ErrorClasses, state: Record<string, unknown>, requests: number): string | undefined {
  const wanted = describeExpectation(expect);
  if ("data" in outcome) {
    if (!("resolves" in expect)) return `expected ${wanted}, but the call resolved (HTTP ${outcome.metadata.status})`;
    if (outcome.metadata.status !== expect.resolves) return `expected ${wanted}, got HTTP ${outcome.metadata.status}`;
    const wrong = expect.check?.(outcome.data, state);
    return wrong && `resolved, but ${wrong}`;
  }
  const { error } = outcome;
  const got = `got ${summarizeError(error, errors)}`;
  if ("resolves" in expect) return `expected ${wanted}, ${got}`;
  switch (expect.rejects) {
    case "ApiError":
      return error instanceof errors.ApiError &&
        error.status === expect.status &&
        (expect.code === undefined || error.code === expect.code) &&
        (expect.type === undefined || error.type === expect.type)
        ? undefined
        : `expected ${wanted}, ${got}`;
    case "OutcomeError":
      return error instanceof errors.OutcomeError && error.outcome === expect.outcome ? undefined : `expected ${wanted}, ${got}`;
    case "ValidationError":
      if (!(error instanceof errors.ValidationError) || !error.issues.some((issue) => issue.path === expect.path)) return `expected ${wanted}, ${got}`;
      return requests ? `the ValidationError came after ${plural(requests, "request")}: validation must happen before sending` : undefined;
  }
}

function describeExpectation(expect: Expectation<unknown, never>): string {
  if ("resolves" in expect) return `HTTP ${expect.resolves}`;
  switch (expect.rejects) {
    case "ApiError":
      return ["ApiError", expect.status, expect.type, expect.code].filter((v) => v !== undefined).join(" ");
    case "OutcomeError":
      return `OutcomeError ${expect.outcome}`;
    case "ValidationError":
      return `ValidationError at ${expect.path}`;
  }
}

/** `ApiError 400 invalid_pin 2029`, `OutcomeError rate_limited`, `ConnectionError`. */
function summarizeError(error: unknown, errors: ErrorClasses): string {
  if (error instanceof errors.ApiError) return [error.name, error.status, error.type, error.code].filter((v) => v !== undefined && v !== "").join(" ");
  if (error instanceof errors.OutcomeError) return `OutcomeError ${String(error.outcome)}`;
  if (error instanceof errors.ValidationError) return `ValidationError at ${error.issues.map((issue) => issue.path).join(", ")}`;
  return error instanceof Error ? error.name : `a thrown ${typeof error}`;
}

/**
 * The part of an otpkit message that says what happened: without the leading
 * "Vendor Operation (METHOD url): " and without the advice after the first sentence.
 */
export function gist(message: string): string {
  const afterCall = message.includes("): ") ? message.slice(message.indexOf("): ") + 3) : message;
  const firstLine = afterCall.split("\n")[0] ?? "";
  const end = firstLine.search(/\.(\s|$)/);
  return end === -1 ? firstLine : firstLine.slice(0, end);
}

/** The key fields of a thrown error. */
function describeError(error: unknown, errors: ErrorClasses, requests: number): string[] {
  if (error instanceof errors.ValidationError) {
    return [...error.issues.map((issue) => `${issue.path}: ${issue.message}`), `${plural(requests, "request")} sent`];
  }
  if (!(error instanceof Error)) return [String(error)];
  const fields = [`${error.name}: ${gist(error.message)}`];
  // Where otpkit hid a secret from the URL (an OTP in the path), show that it did.
  const url = (error as { url?: unknown }).url;
  if (typeof url === "string" && url.includes("[REDACTED]")) fields.push(`${(error as { method?: string }).method ?? ""} ${url.replace(/^[a-z]+:\/\/[^/]+/i, "")}`.trim());
  return fields;
}

function metadataFields(metadata: ResponseMetadata | undefined): string[] {
  if (!metadata) return [];
  const fields: string[] = [];
  if (metadata.requestId) fields.push(`request id ${short(metadata.requestId)}`);
  const limit = metadata.rateLimit;
  if (limit && (limit.remaining !== undefined || limit.limit !== undefined)) fields.push(`rate limit ${limit.remaining ?? "?"}/${limit.limit ?? "?"} left`);
  return fields;
}

const metadataOf = (error: unknown): ResponseMetadata | undefined => (error as { metadata?: ResponseMetadata } | undefined)?.metadata;
const attemptsOf = (error: unknown): number | undefined => {
  const attempts = (error as { attempts?: unknown } | undefined)?.attempts;
  return typeof attempts === "number" ? attempts : undefined;
};
const statusOf = (error: unknown): number | undefined => {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === "number" ? status : undefined;
};
