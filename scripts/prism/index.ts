/**
 * Starts and stops Prism mock servers built from otpkit's specs, on loopback only.
 *
 * Used by every package's vitest global setup, by the example test, by the demo and by the
 * benchmarks. Each server gets a free port, is polled until it answers, and is stopped on
 * `stop()`, on process exit and on SIGINT/SIGTERM, so a failed or interrupted run leaves no
 * orphan process behind.
 *
 * Those hooks cannot run when the process that started Prism is killed with SIGKILL (a CI job
 * timeout, the OOM killer, `kill -9`), or when it is a vitest worker whose main process is
 * interrupted (main exits at once without stopping its workers). So every server also gets a
 * watchdog the moment it is spawned, before it is ready: a tiny detached process that polls every
 * 200 ms and SIGKILLs the server as soon as any of its owners (the process that started it, plus
 * `owners`) is gone, then exits; it also exits by itself once the server is gone. It is detached
 * (own process group) so that a terminal's Ctrl-C does not kill it before it has done its job.
 * scripts/contract/orphans.ts proves after a run that both are gone.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

/** The repository's `specs/` folder. */
export const specsDir = path.resolve(here, "../../specs");

/** The vendors otpkit ships a spec for, by spec file name. */
export const vendors = ["equinix-metal", "smscx", "ding", "prelude"] as const;
export type Vendor = (typeof vendors)[number];

export const specPath = (vendor: Vendor): string => path.join(specsDir, `${vendor}.yaml`);

export interface PrismServer {
  /** `http://127.0.0.1:<port>`: Prism ignores the spec's server path, so this is the base URL. */
  readonly url: string;
  readonly spec: string;
  readonly pid: number;
  /** Milliseconds from spawn until Prism answered its first request. */
  readonly startMs: number;
  /** Kills Prism if an owner dies without stopping it; `stop()` stops it too. */
  readonly watchdog: Watchdog;
  /** Everything Prism printed, for diagnosing a failed start or a violation. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartPrismOptions {
  /** Path of the OpenAPI document to serve. */
  spec: string;
  /** `--errors`: turn request and response violations into errors (default true). */
  errors?: boolean;
  /** Give up if Prism does not answer within this many milliseconds (default 30 000). */
  readyTimeoutMs?: number;
  /** Extra CLI arguments. */
  args?: readonly string[];
  /**
   * More processes whose death must take Prism down, besides the one that starts it (always an
   * owner): for example vitest's main process, when Prism is started in a test worker.
   */
  owners?: readonly number[];
  /**
   * Run `prism proxy` in front of this URL instead of a mock: Prism forwards every request and checks
   * the upstream's answer against the spec (with `errors`, a violation becomes a 500 #VIOLATIONS).
   */
  upstream?: string;
}

const live = new Set<ChildProcess>();
let exitHooksInstalled = false;

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  // A synchronous kill is all that can run in 'exit'; it is enough to leave no orphans.
  process.on("exit", () => {
    for (const child of live) child.kill("SIGKILL");
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      for (const child of live) child.kill("SIGKILL");
      // Re-raise so the default behaviour (and exit code) still applies after cleanup,
      // unless someone else is listening and will decide.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

/** Finds a port that is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("could not read the port of a probe server"));
      });
    });
  });
}

function prismEntry(): string {
  const pkg = require.resolve("@stoplight/prism-cli/package.json");
  return path.join(path.dirname(pkg), "dist", "index.js");
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Runs as `node -e`: argv = [owners (comma-separated pids), server pid, mark]. A pid counts as
// alive while it exists and is not a zombie; the server, while its command line still holds the
// mark, one of its arguments (a reused pid is not the server).
const WATCHDOG = `
const fs = require("fs");
const [owners, server, mark] = process.argv.slice(1);
if (!(Number(server) > 0)) process.exit(0);
const alive = (pid) => {
  try { process.kill(Number(pid), 0); } catch { return false; }
  try { const stat = fs.readFileSync("/proc/" + pid + "/stat", "utf8"); return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z"; } catch { return true; }
};
const isServer = () => { if (!alive(server)) return false; try { return fs.readFileSync("/proc/" + server + "/cmdline", "utf8").split("\\0").includes(mark); } catch { return true; } };
setInterval(() => {
  if (!isServer()) process.exit(0);
  if (owners.split(",").some((pid) => !alive(pid))) { try { process.kill(Number(server), "SIGKILL"); } catch {} process.exit(0); }
}, 200);
`;

export interface Watchdog {
  readonly pid: number;
  /** Stops the watchdog (after a normal stop of its server) and waits until it is gone. */
  stop(): Promise<void>;
}

/**
 * Starts a watchdog that SIGKILLs the server `serverPid` (listening on `url`) once any of `owners`
 * exits. `startPrism` arms one for every server; this is exported for servers started otherwise.
 */
export function watchServer(serverPid: number, url: string, owners: readonly number[]): Watchdog {
  return watchProcess(serverPid, new URL(url).port, owners);
}

/**
 * `watchServer` for a process told apart by `mark`, one of its command-line arguments (the port
 * a server was given; the Prism host's own mark, ./host.ts).
 */
export function watchProcess(serverPid: number, mark: string, owners: readonly number[]): Watchdog {
  if (!Number.isInteger(serverPid) || serverPid <= 0) throw new Error(`watchServer: no server to watch (pid ${serverPid})`);
  const child = spawn(process.execPath, ["-e", WATCHDOG, owners.join(","), String(serverPid), mark], { detached: true, stdio: "ignore" });
  child.unref();
  const pid = child.pid ?? -1;
  return {
    pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || !isRunning(pid)) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGKILL");
      await Promise.race([exited, delay(2000)]);
    },
  };
}

/** Starts one Prism mock server and resolves once it answers HTTP requests. */
export async function startPrism(options: StartPrismOptions): Promise<PrismServer> {
  installExitHooks();
  const { spec, errors = true, readyTimeoutMs = 30_000, args = [], owners = [], upstream } = options;
  const started = performance.now();
  // A port found free can be taken before Prism binds it; try a few times.
  let lastFailure = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const cliArgs = [prismEntry(), ...(upstream ? ["proxy", spec, upstream] : ["mock", spec]), "-h", "127.0.0.1", "-p", String(port)];
    if (errors) cliArgs.push("--errors");
    cliArgs.push(...args);
    const child = spawn(process.execPath, cliArgs, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    live.add(child);
    const url = `http://127.0.0.1:${port}`;
    // Armed before Prism is ready: a kill -9 during the start must not leave it running either.
    // (No pid means the spawn failed: there is no process to watch.)
    const watchdog: Watchdog = child.pid ? watchServer(child.pid, url, [process.pid, ...owners]) : { pid: -1, stop: async () => {} };
    let log = "";
    child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
    let exited = false;
    child.once("exit", (code, signal) => {
      exited = true;
      log += `\n(exited with ${signal ? `signal ${signal}` : `code ${code}`})`;
      live.delete(child);
    });
    // A spawn that fails (no such file, too many processes) reports here; without a listener it
    // would crash the test run instead of becoming the "Prism did not start" error below.
    child.once("error", (error) => {
      log += `\nspawn failed: ${error.message}`;
      exited = true;
      live.delete(child);
    });

    const deadline = started + readyTimeoutMs;
    while (!exited && performance.now() < deadline) {
      try {
        // Any HTTP answer (Prism says 404 for "/") means it is listening.
        const response = await fetch(url + "/", { signal: AbortSignal.timeout(1000) });
        await response.arrayBuffer();
        const startMs = performance.now() - started;
        const stop = async () => {
          await stopChild(child);
          await watchdog.stop();
        };
        return { url, spec, pid: child.pid ?? -1, startMs, watchdog, output: () => log, stop };
      } catch {
        await delay(50);
      }
    }
    // Read before stopping it: the stop itself makes it exit.
    const exitedByItself = exited;
    await stopChild(child);
    await watchdog.stop();
    lastFailure = exitedByItself
      ? `Prism exited before answering (spec ${spec}):\n${log}`
      : `Prism did not answer within ${readyTimeoutMs} ms (spec ${spec}), so it was stopped:\n${log}`;
    if (!/EADDRINUSE/.test(log)) break;
  }
  throw new Error(lastFailure);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    live.delete(child);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(force);
      live.delete(child);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Starts one server per spec, in parallel; if any fails, stops the others and rethrows. */
export async function startPrisms<K extends string>(
  specs: Record<K, string>,
  options: Omit<StartPrismOptions, "spec"> = {},
): Promise<Record<K, PrismServer>> {
  const entries = Object.entries(specs) as [K, string][];
  const results = await Promise.allSettled(entries.map(([, spec]) => startPrism({ ...options, spec })));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    await Promise.all(results.map((r) => (r.status === "fulfilled" ? r.value.stop() : undefined)));
    throw failed.reason;
  }
  return Object.fromEntries(
    entries.map(([name], i) => [name, (results[i] as PromiseFulfilledResult<PrismServer>).value]),
  ) as Record<K, PrismServer>;
}

/** True while a process with this pid exists (used to prove no server was left behind). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
