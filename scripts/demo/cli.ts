/**
 * `pnpm demo [--vendor <name>] [--live [--yes]] [--mock-server <vendor>=<url>]`: otpkit's OTP flows
 * for every vendor, step by step, against Prism mocks built from the specs (the default: started
 * here, or already running with --mock-server) or the real APIs (--live).
 *
 * Exit status: 0 every step did what it expects, 1 a step did not (or the mocks would not start),
 * 2 usage or configuration error, 130 interrupted (143 on SIGTERM). Every mock server it starts is
 * stopped before it exits, Ctrl-C included; one given with --mock-server is left running.
 */
import { specPath, startPrisms, type PrismServer } from "../prism/index.ts";
import { parseArgs, usage } from "./args.ts";
import type { AnyFlow, VendorId } from "./flow.ts";
import { ding } from "./flows/ding.ts";
import { equinixMetal } from "./flows/equinix-metal.ts";
import { prelude } from "./flows/prelude.ts";
import { smscx } from "./flows/smscx.ts";
import { checkLiveEnv, createPrompter, maskPhone, scrubber, type Prompter } from "./live.ts";
import { Report, type VendorResult } from "./report.ts";
import { runFlow } from "./run.ts";
import { runVerification } from "./verify.ts";
import { createStyle, duration, plural } from "./style.ts";

const flows: Readonly<Record<VendorId, AnyFlow>> = { smscx, ding, "equinix-metal": equinixMetal, prelude };

const style = createStyle();
const controller = new AbortController();
let servers: PrismServer[] = [];
/** Mock mode: each selected vendor's mock server, started here or given with --mock-server. */
let mockUrl: Partial<Record<VendorId, string>> = {};
let prompter: Prompter | undefined;
let interrupted = false;
let interruptedAt = 0;
let report = new Report(style, (text) => process.stdout.write(text));
let scrub = (text: string) => text;

/** Ctrl-C (or SIGTERM): abort the call in flight, stop every mock server, exit 130 (143). */
function interrupt(signal: "SIGINT" | "SIGTERM"): void {
  const code = signal === "SIGINT" ? 130 : 143;
  if (interrupted) {
    // A second Ctrl-C stops waiting. (One Ctrl-C can arrive twice at once: from the terminal, and
    // relayed by tsx or pnpm; that copy is not a second press.)
    if (performance.now() - interruptedAt > 500) process.exit(code);
    return;
  }
  interrupted = true;
  interruptedAt = performance.now();
  controller.abort(new Error(`interrupted by ${signal}`));
  prompter?.close();
  const running = servers.length;
  report.line();
  report.line(style.yellow(`Interrupted${running ? `: stopping ${plural(running, "mock server")}…` : "."}`));
  // The Prism harness also kills its children on this signal and on exit; stopping them here
  // lets them go cleanly and lets us say so.
  const stopped = Promise.allSettled(servers.map((server) => server.stop()));
  const patience = new Promise((resolve) => setTimeout(resolve, 3000).unref());
  void Promise.race([stopped, patience]).then(() => {
    if (running) report.line(style.dim(`Stopped ${plural(running, "mock server")}.`));
    process.exit(code);
  });
}

/** "a, b and c". */
const list = (items: readonly string[]): string => (items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items.at(-1)}` : (items[0] ?? ""));

/** The base URL --live uses for a flow: an override from the environment, or the spec's server. */
const liveBaseUrl = (flow: AnyFlow): string | undefined => process.env[flow.live.baseUrlEnv]?.trim() || undefined;

/** Resolves never once interrupted: the interrupt handler owns the exit from then on. */
const unlessInterrupted = <T>(value: T): Promise<T> => (interrupted ? new Promise<T>(() => undefined) : Promise.resolve(value));

/** Why the mock server given for a flow does not answer over HTTP, or undefined when it does. */
async function unreachable(flow: AnyFlow, url: string): Promise<string | undefined> {
  try {
    await fetch(url, { signal: AbortSignal.any([controller.signal, AbortSignal.timeout(10_000)]) }).then((response) => response.body?.cancel());
    return undefined;
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    return `the mock server given for ${flow.name} (--mock-server ${flow.id}=${url}) did not answer: ${cause}`;
  }
}

/**
 * Mock mode: checks that each mock server given with --mock-server answers, starts Prism for the
 * other selected flows, and fills `mockUrl`. Returns false (having said why) when one is missing.
 */
async function prepareMocks(selected: readonly AnyFlow[], given: Readonly<Partial<Record<VendorId, string>>>): Promise<boolean> {
  const running = selected.filter((flow) => given[flow.id]);
  const toStart = selected.filter((flow) => !given[flow.id]);
  if (running.length) {
    report.part(`Using ${plural(running.length, "running mock server")} (${list(running.map((flow) => flow.name))})… `);
    const problems = (await Promise.all(running.map((flow) => unreachable(flow, given[flow.id]!)))).filter((problem) => problem !== undefined);
    await unlessInterrupted(undefined);
    report.line(problems.length ? style.red("not answering.") : "answering; not started or stopped here.");
    for (const problem of problems) process.stderr.write(`pnpm demo: ${problem}\n`);
    if (problems.length) return false;
  }
  mockUrl = { ...given };
  if (!toStart.length) return true;
  report.part(`Starting ${plural(toStart.length, "mock server")}… `);
  try {
    const specs = Object.fromEntries(toStart.map((flow) => [flow.id, specPath(flow.id)])) as Record<VendorId, string>;
    // Four Prism servers start at once; on a busy 2-core machine one took over 30 s to answer.
    const serverOf = await startPrisms(specs, { readyTimeoutMs: 90_000 });
    servers = Object.values(serverOf);
    for (const [id, server] of Object.entries(serverOf)) mockUrl[id as VendorId] = server.url;
    await unlessInterrupted(undefined);
    report.line(`ready in ${duration(Math.max(...servers.map((server) => server.startMs)))}.`);
    return true;
  } catch (error) {
    await unlessInterrupted(undefined);
    report.line(style.red("failed."));
    process.stderr.write(`pnpm demo: the Prism mock servers did not start: ${(error as Error).message}\n`);
    return false;
  }
}

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2));
  if (parsed.kind === "help") {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (parsed.kind === "error") {
    process.stderr.write(`pnpm demo: ${parsed.message}\n\n${usage}\n`);
    return 2;
  }
  const { vendors, live, yes, mockServers } = parsed.args;
  const selected = vendors.map((id) => flows[id]);
  const stderr = (text: string) => process.stderr.write(`${scrub(text)}\n`);

  let phone = "";
  if (live) {
    const checked = checkLiveEnv(selected, process.env);
    if ("problems" in checked) {
      stderr(
        `pnpm demo --live: ${checked.problems.join("\n")}\n\n` +
          "Fix the environment, pick other vendors with --vendor, or run without --live to use the mocks (no account needed). See pnpm demo --help.",
      );
      return 2;
    }
    phone = checked.config.phone;
    // Create every client once before anything is printed: a malformed credential or a plain-http
    // base URL is a ConfigurationError (its message never holds the value).
    for (const flow of selected) {
      try {
        flow.createClient({ env: process.env, baseUrl: liveBaseUrl(flow), fetch: () => Promise.reject(new Error("not used")), timeout: 1, deadline: 1 });
      } catch (error) {
        const variables = [...flow.live.env.flatMap((need) => need.oneOf), flow.live.baseUrlEnv].filter((name) => name !== "OTPKIT_DEMO_PHONE");
        stderr(`pnpm demo --live: ${(error as Error).message}\nCheck ${list(variables)}.`);
        return 2;
      }
    }
    scrub = scrubber(checked.config.secrets, phone);
    report = new Report(style, (text) => process.stdout.write(text), scrub);
    prompter = createPrompter(() => interrupt("SIGINT"));
  }

  const started = performance.now();
  const names = selected.map((flow) => flow.packageName);
  if (live) {
    report.heading(`otpkit demo · LIVE: real requests to ${list(selected.map((flow) => (liveBaseUrl(flow) ? new URL(liveBaseUrl(flow)!).host : flow.live.host)))}`);
    const credentials = selected.flatMap((flow) => flow.live.env.flatMap((need) => need.oneOf.filter((name) => process.env[name]?.trim() && name !== "OTPKIT_DEMO_PHONE")));
    report.note(
      `Calls go through ${list(names)} with the credentials in ${list(credentials)} (never printed)` +
        `${selected.some((flow) => flow.live.usesPhone) ? `; codes go to ${maskPhone(phone)}` : ""}. ` +
        (yes
          ? "--yes: steps marked $ cost money and run without asking."
          : prompter?.interactive
            ? "Steps marked $ cost money: you are asked before each one."
            : "Steps marked $ cost money, and there is no terminal to ask on: they are skipped (pass --yes to run them)."),
    );
  } else {
    report.heading("otpkit demo · mock mode");
    report.note(
      `Calls go through the public API of ${list(names)} to ${selected.length > 1 ? "Prism mock servers" : "a Prism mock server"} ` +
        `built from ${list(selected.map((flow) => `specs/${flow.id}.yaml`))}, on loopback: no account, no key, nothing billed. ` +
        "Each answer is one of the spec's named examples.",
    );
    if (!(await prepareMocks(selected, mockServers))) return 1;
  }

  const results: VendorResult[] = [];
  try {
    report.line();
    report.columns();
    for (const flow of selected) {
      const baseUrl = live ? liveBaseUrl(flow) : mockUrl[flow.id];
      report.vendor(flow.name, flow.packageName, live ? `live ${baseUrl ?? `https://${flow.live.host}`}` : `mock ${baseUrl}`);
      let result: VendorResult;
      try {
        result = await runFlow(flow, {
          mode: live ? "live" : "mock",
          yes,
          env: live ? process.env : flow.mock.env,
          phone: live ? phone : flow.mock.phone,
          baseUrl,
          signal: controller.signal,
          report,
          prompter,
          pauseMs: Number(process.env["OTPKIT_DEMO_STEP_DELAY_MS"] ?? 0) || 0,
        });
      } catch (error) {
        // The client refused its options (a malformed credential, a plain-http base URL…).
        await unlessInterrupted(undefined);
        if ((error as Error).name === "ConfigurationError") {
          stderr(`pnpm demo${live ? " --live" : ""}: ${(error as Error).message}`);
          return 2;
        }
        throw error;
      }
      await unlessInterrupted(undefined);
      results.push(result);
    }
    // @otpkit/verify over both mocks: its failover needs answers only a mock can be asked for.
    if (!live && mockUrl.smscx && mockUrl.ding) {
      report.vendor("Verification", "@otpkit/verify", `mock SMS.cx ${mockUrl.smscx}, Ding ${mockUrl.ding}`);
      results.push(await runVerification({ smscx: mockUrl.smscx, ding: mockUrl.ding }, report, controller.signal));
      await unlessInterrupted(undefined);
    }
  } finally {
    prompter?.close();
    if (!interrupted && servers.length) {
      await Promise.all(servers.map((server) => server.stop()));
    }
  }
  await unlessInterrupted(undefined);

  report.summary(results);
  report.verdict(results);
  if (results.some((result) => result.rows.some((row) => row.costly))) {
    report.note(`$ = the call costs money with the real API${live ? "" : " (--live asks before each one)"}.`);
  }
  const startup = servers.length ? Math.max(...servers.map((server) => server.startMs)) : 0;
  report.note(
    `${servers.length ? `Stopped ${plural(servers.length, "mock server")}. ` : ""}` +
      `Whole run ${duration(performance.now() - started)}${startup ? `, ${duration(startup)} of it starting Prism` : ""}.`,
  );
  report.note(`The code of each step: scripts/demo/flows/<vendor>.ts${live ? "" : " and scripts/demo/verify.ts. Real APIs: pnpm demo --live (see --help)"}.`);
  return results.some((result) => result.rows.some((row) => row.result === "unexpected")) ? 1 : 0;
}

process.on("SIGINT", () => interrupt("SIGINT"));
process.on("SIGTERM", () => interrupt("SIGTERM"));
// `pnpm demo | head`: stop quietly when the reader goes away.
process.stdout.on("error", (error: NodeJS.ErrnoException) => process.exit(error.code === "EPIPE" ? 0 : 1));

main().then(
  (code) => {
    if (!interrupted) process.exit(code);
  },
  (error: unknown) => {
    if (interrupted) return;
    process.stderr.write(`${scrub(`pnpm demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)}\n`);
    void Promise.allSettled(servers.map((server) => server.stop())).then(() => process.exit(1));
  },
);
