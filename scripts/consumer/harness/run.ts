/**
 * Runs every flow inside one runtime (Node, Bun, Deno, workerd, Chromium) and returns what
 * happened as plain JSON. The suite bundles this file with a generated entry that imports the
 * packages by name; the config (mock URLs, a closed port) is written into that entry.
 *
 * Besides the flows, it sends each flow's billed call to a loopback port where nothing listens and
 * records what the client decided: retried (the runtime proved the request never left) or not.
 */
import type { BilledCallOptions, Flow, FlowContext } from "./flow.ts";

export interface HarnessConfig {
  /** Mock base URL by spec name. */
  readonly mocks: Readonly<Record<string, string>>;
  /** A loopback URL where nothing listens. */
  readonly refusedUrl: string;
}

export interface StepResult {
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
}

export interface FlowResult {
  readonly package: string;
  readonly ok: boolean;
  readonly steps: StepResult[];
  /** A failure outside any step (the flow threw between steps). */
  readonly error?: string;
}

/** What the client did with a billed call to a closed port. */
export interface RefusedResult {
  readonly package: string;
  /** The error's name (`ConnectionError` expected). */
  readonly error: string;
  readonly requestSent?: boolean;
  readonly attempts?: number;
  /** Requests the fetch was asked to send. */
  readonly requests: number;
}

export interface HarnessResult {
  /** What the runtime says it is (`Node v22.23.3`, `Deno 2.9.6`, ...). */
  readonly runtime: string;
  /** Milliseconds the imports of the packages took, where they are separate (not bundled). */
  readonly importMs?: number;
  readonly flows: FlowResult[];
  readonly refused: RefusedResult[];
  readonly ms: number;
}

/** A flow and the module it runs on (the generated entry pairs them). */
export interface FlowEntry {
  // The entry imports each module untyped; the flow's own file is where its types are checked.
  readonly flow: Flow<never>;
  readonly module: unknown;
}

/** The line prefix a runtime prints its result after. */
export const RESULT_MARKER = "OTPKIT_CONSUMER_RESULT ";

const message = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

async function runFlow({ flow, module }: FlowEntry, config: HarnessConfig): Promise<FlowResult> {
  const steps: StepResult[] = [];
  let requests = 0;
  const context: FlowContext = {
    mock: (spec) => {
      const url = config.mocks[spec];
      if (!url) throw new Error(`no mock for spec ${spec} (the flow's mocks list it?)`);
      return url;
    },
    fetch: (input, init) => {
      requests++;
      return globalThis.fetch(input, init);
    },
    requests: () => requests,
    async step(name, run) {
      const started = performance.now();
      try {
        await run();
        steps.push({ name, ok: true, ms: performance.now() - started });
      } catch (error) {
        steps.push({ name, ok: false, ms: performance.now() - started, error: message(error) });
        throw new StepFailed();
      }
    },
  };
  try {
    await flow.run(module as never, context);
    return { package: flow.package, ok: steps.length > 0, steps, ...(steps.length ? {} : { error: "the flow ran no step" }) };
  } catch (error) {
    return { package: flow.package, ok: false, steps, ...(error instanceof StepFailed ? {} : { error: message(error) }) };
  }
}

class StepFailed extends Error {}

async function sendToClosedPort({ flow, module }: FlowEntry, config: HarnessConfig): Promise<RefusedResult> {
  let requests = 0;
  const options: BilledCallOptions = {
    baseUrl: config.refusedUrl,
    fetch: (input, init) => {
      requests++;
      return globalThis.fetch(input, init);
    },
    retry: { maxAttempts: 3, baseDelay: 10, maxDelay: 20 },
  };
  try {
    await flow.billed(module as never, options);
    return { package: flow.package, error: "none: the call resolved", requests };
  } catch (error) {
    const { requestSent, attempts } = error as { requestSent?: unknown; attempts?: unknown };
    return {
      package: flow.package,
      error: error instanceof Error ? error.name : typeof error,
      ...(typeof requestSent === "boolean" ? { requestSent } : {}),
      ...(typeof attempts === "number" ? { attempts } : {}),
      requests,
    };
  }
}

/** What this runtime calls itself. */
export function runtimeName(): string {
  const g = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string }; process?: { version?: string }; navigator?: { userAgent?: string } };
  if (g.Deno) return `Deno ${g.Deno.version.deno}`;
  if (g.Bun) return `Bun ${g.Bun.version}`;
  const agent = g.navigator?.userAgent ?? "";
  if (agent === "Cloudflare-Workers") return "workerd";
  if (g.process?.version) return `Node ${g.process.version}`;
  const chrome = /(?:HeadlessChrome|Chrome)\/([\d.]+)/.exec(agent);
  return chrome ? `Chromium ${chrome[1]}` : agent || "unknown";
}

/** Runs every flow, one after the other, then the closed-port calls. */
export async function runAll(entries: readonly FlowEntry[], config: HarnessConfig, importMs?: number): Promise<HarnessResult> {
  const started = performance.now();
  const flows: FlowResult[] = [];
  for (const entry of entries) flows.push(await runFlow(entry, config));
  const refused: RefusedResult[] = [];
  for (const entry of entries) refused.push(await sendToClosedPort(entry, config));
  return { runtime: runtimeName(), ...(importMs === undefined ? {} : { importMs }), flows, refused, ms: performance.now() - started };
}
