/**
 * `pnpm demo [--vendor <name>] [--live [--yes]] [--mock-server <vendor>=<url>]`: otpkit's OTP flows
 * for every vendor, step by step, against Prism mocks built from the specs (the default: started
 * here, or already running with --mock-server) or the real APIs (--live).
 *
 * Exit status: 0 every step did what it expects, 1 a step did not (or the mocks would not start),
 * 2 usage or configuration error, 130 interrupted (143 on SIGTERM). Every mock server it starts is
 * stopped before it exits, Ctrl-C included; one given with --mock-server is left running.
 *
 * Imported, the module only exports `main`, which runs the demo in the caller's process with the
 * caller's streams and environment (the test's in-process runs). Only as the entry does it listen
 * for Ctrl-C, SIGTERM and a closed stdout, and exit.
 */
import { isEntry } from "../lib/cli.ts";
import { specPath, startPrisms, type PrismServer } from "../prism/index.ts";
import { parseArgs, usage } from "./args.ts";
import type { AnyFlow, Env, VendorId } from "./flow.ts";
import { ding } from "./flows/ding.ts";
import { equinixMetal } from "./flows/equinix-metal.ts";
import { prelude } from "./flows/prelude.ts";
import { smscx } from "./flows/smscx.ts";
import { checkLiveEnv, createPrompter, maskPhone, scrubber, type Prompter } from "./live.ts";
import { Report, type VendorResult } from "./report.ts";
import { runFlow } from "./run.ts";
import { runVerification } from "./verify.ts";
import { createStyle, duration, plural, type Style } from "./style.ts";

const flows: Readonly<Record<VendorId, AnyFlow>> = { smscx, ding, "equinix-metal": equinixMetal, prelude };

/** What a run reads and writes: the process's own streams and environment, or a test's. */
export interface DemoIo {
  /** Where --live reads the codes and the y/N answers. */
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** The report; whether it is a terminal (and how wide) decides colour and layout. */
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  /** Errors, and --live's questions. */
  readonly stderr: NodeJS.WritableStream;
  /** NO_COLOR/FORCE_COLOR, --live's credentials and base URLs, OTPKIT_DEMO_STEP_DELAY_MS. */
  readonly env: Env;
}

/** What a selected set of flows runs with, once the command line and the environment are checked. */
interface Plan {
  readonly selected: readonly AnyFlow[];
  readonly live: boolean;
  readonly yes: boolean;
  /** --live: the number the codes go to; empty in mock mode. */
  readonly phone: string;
}

/** "a, b and c". */
const list = (items: readonly string[]): string => (items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items.at(-1)}` : (items[0] ?? ""));

/**
 * One run of the demo: what it prints, the mock servers it starts and the question it may be
 * waiting on, all of which Ctrl-C has to reach. Nothing is shared between two runs.
 */
class DemoRun {
  private readonly style: Style;
  private readonly controller = new AbortController();
  private servers: PrismServer[] = [];
  /** Mock mode: each selected vendor's mock server, started here or given with --mock-server. */
  private mockUrl: Partial<Record<VendorId, string>> = {};
  private prompter: Prompter | undefined;
  private interrupted = false;
  private interruptedAt = 0;
  private report: Report;
  private scrub = (text: string): string => text;
  /** Settles the run with 130 (143) once an interrupt has stopped the mock servers, or on a second Ctrl-C. */
  private exitInterrupted: (code: number) => void = () => undefined;
  private readonly interruptedCode = new Promise<number>((resolve) => (this.exitInterrupted = resolve));

  constructor(private readonly io: DemoIo) {
    this.style = createStyle(io.env, io.stdout);
    this.report = new Report(this.style, (text) => io.stdout.write(text));
  }

  /** Runs the demo with `args`; resolves with its exit status. */
  run(args: readonly string[]): Promise<number> {
    return Promise.race([this.guarded(args), this.interruptedCode]);
  }

  /** Ctrl-C (or SIGTERM): abort the call in flight, stop every mock server, exit 130 (143). */
  interrupt(signal: "SIGINT" | "SIGTERM"): void {
    const code = signal === "SIGINT" ? 130 : 143;
    if (this.interrupted) {
      // A second Ctrl-C stops waiting. (One Ctrl-C can arrive twice at once: from the terminal, and
      // relayed by tsx or pnpm; that copy is not a second press.)
      if (performance.now() - this.interruptedAt > 500) this.exitInterrupted(code);
      return;
    }
    this.interrupted = true;
    this.interruptedAt = performance.now();
    this.controller.abort(new Error(`interrupted by ${signal}`));
    this.prompter?.close();
    const running = this.servers.length;
    const { report, style } = this;
    report.line();
    report.line(style.yellow(`Interrupted${running ? `: stopping ${plural(running, "mock server")}…` : "."}`));
    // The Prism harness also kills its children on this signal and on exit; stopping them here
    // lets them go cleanly and lets us say so.
    const stopped = Promise.allSettled(this.servers.map((server) => server.stop()));
    const patience = new Promise((resolve) => setTimeout(resolve, 3000).unref());
    void Promise.race([stopped, patience]).then(() => {
      if (running) report.line(style.dim(`Stopped ${plural(running, "mock server")}.`));
      this.exitInterrupted(code);
    });
  }

  /** Resolves never once interrupted: the interrupt owns the exit status from then on. */
  private unlessInterrupted<T>(value: T): Promise<T> {
    return this.interrupted ? new Promise<T>(() => undefined) : Promise.resolve(value);
  }

  /** An error line on stderr, through the scrubber (which hides --live's secrets once it knows them). */
  private error(text: string): void {
    this.io.stderr.write(`${this.scrub(text)}\n`);
  }

  /** The base URL --live uses for a flow: an override from the environment, or the spec's server. */
  private liveBaseUrl(flow: AnyFlow): string | undefined {
    return this.io.env[flow.live.baseUrlEnv]?.trim() || undefined;
  }

  /** The run, with a crash reported (scrubbed) and the mock servers stopped: exit status 1. */
  private async guarded(args: readonly string[]): Promise<number> {
    try {
      return await this.unlessInterrupted(await this.execute(args));
    } catch (error) {
      await this.unlessInterrupted(undefined);
      this.error(`pnpm demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      await Promise.allSettled(this.servers.map((server) => server.stop()));
      return 1;
    }
  }

  private async execute(args: readonly string[]): Promise<number> {
    const parsed = parseArgs(args);
    if (parsed.kind === "help") {
      this.io.stdout.write(`${usage}\n`);
      return 0;
    }
    if (parsed.kind === "error") {
      this.io.stderr.write(`pnpm demo: ${parsed.message}\n\n${usage}\n`);
      return 2;
    }
    const { vendors, live, yes, mockServers } = parsed.args;
    const selected = vendors.map((id) => flows[id]);
    const phone = live ? this.checkLive(selected) : "";
    if (phone === undefined) return 2;
    const plan: Plan = { selected, live, yes, phone };

    const started = performance.now();
    if (live) this.liveHeading(plan);
    else {
      this.mockHeading(selected);
      if (!(await this.prepareMocks(selected, mockServers))) return 1;
    }
    const results = await this.runFlows(plan);
    if (typeof results === "number") return results;
    await this.unlessInterrupted(undefined);
    this.finish(plan, results, started);
    return results.some((result) => result.rows.some((row) => row.result === "unexpected")) ? 1 : 0;
  }

  /**
   * --live: checks the environment and each client's options before anything is printed, then
   * sets up the scrubber and the prompter. Returns the phone number, or undefined (having said why).
   */
  private checkLive(selected: readonly AnyFlow[]): string | undefined {
    const { env } = this.io;
    const checked = checkLiveEnv(selected, env);
    if ("problems" in checked) {
      this.error(
        `pnpm demo --live: ${checked.problems.join("\n")}\n\n` +
          "Fix the environment, pick other vendors with --vendor, or run without --live to use the mocks (no account needed). See pnpm demo --help.",
      );
      return undefined;
    }
    // Create every client once: a malformed credential or a plain-http base URL is a
    // ConfigurationError (its message never holds the value).
    for (const flow of selected) {
      try {
        flow.createClient({ env, baseUrl: this.liveBaseUrl(flow), fetch: () => Promise.reject(new Error("not used")), timeout: 1, deadline: 1 });
      } catch (error) {
        const variables = [...flow.live.env.flatMap((need) => need.oneOf), flow.live.baseUrlEnv].filter((name) => name !== "OTPKIT_DEMO_PHONE");
        this.error(`pnpm demo --live: ${(error as Error).message}\nCheck ${list(variables)}.`);
        return undefined;
      }
    }
    this.scrub = scrubber(checked.config.secrets, checked.config.phone);
    this.report = new Report(this.style, (text) => this.io.stdout.write(text), this.scrub);
    this.prompter = createPrompter(() => this.interrupt("SIGINT"), this.io.stdin, this.io.stderr);
    return checked.config.phone;
  }

  private liveHeading({ selected, yes, phone }: Plan): void {
    const { env } = this.io;
    const hosts = selected.map((flow) => {
      const baseUrl = this.liveBaseUrl(flow);
      return baseUrl ? new URL(baseUrl).host : flow.live.host;
    });
    this.report.heading(`otpkit demo · LIVE: real requests to ${list(hosts)}`);
    const credentials = selected.flatMap((flow) => flow.live.env.flatMap((need) => need.oneOf.filter((name) => env[name]?.trim() && name !== "OTPKIT_DEMO_PHONE")));
    this.report.note(
      `Calls go through ${list(selected.map((flow) => flow.packageName))} with the credentials in ${list(credentials)} (never printed)` +
        `${selected.some((flow) => flow.live.usesPhone) ? `; codes go to ${maskPhone(phone)}` : ""}. ` +
        (yes
          ? "--yes: steps marked $ cost money and run without asking."
          : this.prompter?.interactive
            ? "Steps marked $ cost money: you are asked before each one."
            : "Steps marked $ cost money, and there is no terminal to ask on: they are skipped (pass --yes to run them)."),
    );
  }

  private mockHeading(selected: readonly AnyFlow[]): void {
    this.report.heading("otpkit demo · mock mode");
    this.report.note(
      `Calls go through the public API of ${list(selected.map((flow) => flow.packageName))} to ${selected.length > 1 ? "Prism mock servers" : "a Prism mock server"} ` +
        `built from ${list(selected.map((flow) => `specs/${flow.id}.yaml`))}, on loopback: no account, no key, nothing billed. ` +
        "Each answer is one of the spec's named examples.",
    );
  }

  /** Why the mock server given for a flow does not answer over HTTP, or undefined when it does. */
  private async unreachable(flow: AnyFlow, url: string): Promise<string | undefined> {
    try {
      await fetch(url, { signal: AbortSignal.any([this.controller.signal, AbortSignal.timeout(10_000)]) }).then((response) => response.body?.cancel());
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
  private async prepareMocks(selected: readonly AnyFlow[], given: Readonly<Partial<Record<VendorId, string>>>): Promise<boolean> {
    const { report, style } = this;
    const running = selected.filter((flow) => given[flow.id]);
    const toStart = selected.filter((flow) => !given[flow.id]);
    if (running.length) {
      report.part(`Using ${plural(running.length, "running mock server")} (${list(running.map((flow) => flow.name))})… `);
      const problems = (await Promise.all(running.map((flow) => this.unreachable(flow, given[flow.id]!)))).filter((problem) => problem !== undefined);
      await this.unlessInterrupted(undefined);
      report.line(problems.length ? style.red("not answering.") : "answering; not started or stopped here.");
      for (const problem of problems) this.error(`pnpm demo: ${problem}`);
      if (problems.length) return false;
    }
    this.mockUrl = { ...given };
    if (!toStart.length) return true;
    report.part(`Starting ${plural(toStart.length, "mock server")}… `);
    try {
      const specs = Object.fromEntries(toStart.map((flow) => [flow.id, specPath(flow.id)])) as Record<VendorId, string>;
      // Four Prism servers start at once; on a busy 2-core machine one took over 30 s to answer.
      const serverOf = await startPrisms(specs, { readyTimeoutMs: 90_000 });
      this.servers = Object.values(serverOf);
      for (const [id, server] of Object.entries(serverOf)) this.mockUrl[id as VendorId] = server.url;
      await this.unlessInterrupted(undefined);
      report.line(`ready in ${duration(Math.max(...this.servers.map((server) => server.startMs)))}.`);
      return true;
    } catch (error) {
      await this.unlessInterrupted(undefined);
      report.line(style.red("failed."));
      this.error(`pnpm demo: the Prism mock servers did not start: ${(error as Error).message}`);
      return false;
    }
  }

  /**
   * Each selected flow, then (mock mode, with SMS.cx and Ding) the verification section; the mock
   * servers started here are stopped at the end. Returns the results, or exit status 2 when a
   * client refuses its options.
   */
  private async runFlows({ selected, live, yes, phone }: Plan): Promise<VendorResult[] | number> {
    const { report, mockUrl } = this;
    const results: VendorResult[] = [];
    try {
      report.line();
      report.columns();
      for (const flow of selected) {
        const baseUrl = live ? this.liveBaseUrl(flow) : mockUrl[flow.id];
        report.vendor(flow.name, flow.packageName, live ? `live ${baseUrl ?? `https://${flow.live.host}`}` : `mock ${baseUrl}`);
        let result: VendorResult;
        try {
          result = await runFlow(flow, {
            mode: live ? "live" : "mock",
            yes,
            env: live ? this.io.env : flow.mock.env,
            phone: live ? phone : flow.mock.phone,
            baseUrl,
            signal: this.controller.signal,
            report,
            prompter: this.prompter,
            pauseMs: Number(this.io.env["OTPKIT_DEMO_STEP_DELAY_MS"] ?? 0) || 0,
          });
        } catch (error) {
          // The client refused its options (a malformed credential, a plain-http base URL…).
          await this.unlessInterrupted(undefined);
          if ((error as Error).name === "ConfigurationError") {
            this.error(`pnpm demo${live ? " --live" : ""}: ${(error as Error).message}`);
            return 2;
          }
          throw error;
        }
        await this.unlessInterrupted(undefined);
        results.push(result);
      }
      // @otpkit/verify over both mocks: its failover needs answers only a mock can be asked for.
      if (!live && mockUrl.smscx && mockUrl.ding) {
        report.vendor("Verification", "@otpkit/verify", `mock SMS.cx ${mockUrl.smscx}, Ding ${mockUrl.ding}`);
        results.push(await runVerification({ smscx: mockUrl.smscx, ding: mockUrl.ding }, report, this.controller.signal));
        await this.unlessInterrupted(undefined);
      }
    } finally {
      this.prompter?.close();
      if (!this.interrupted && this.servers.length) {
        await Promise.all(this.servers.map((server) => server.stop()));
      }
    }
    return results;
  }

  /** The summary table, the verdict and the closing notes. */
  private finish({ live }: Plan, results: readonly VendorResult[], started: number): void {
    const { report, servers } = this;
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
  }
}

/**
 * Runs the demo with `args` (what follows `pnpm demo`) in this process, reading and writing `io`;
 * resolves with the exit status. It installs no signal handler and never exits the process.
 */
export function main(args: readonly string[], io: DemoIo): Promise<number> {
  return new DemoRun(io).run(args);
}

if (isEntry(import.meta.url)) {
  const demo = new DemoRun({
    // process.stdin is opened only if --live asks for it.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
  process.on("SIGINT", () => demo.interrupt("SIGINT"));
  process.on("SIGTERM", () => demo.interrupt("SIGTERM"));
  // `pnpm demo | head`: stop quietly when the reader goes away.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => process.exit(error.code === "EPIPE" ? 0 : 1));
  process.exit(await demo.run(process.argv.slice(2)));
}
