/**
 * Keeps a Prism server from outliving the test run that started it, and proves it is gone.
 *
 * scripts/prism/index.ts stops Prism on `stop()`, on exit and on SIGINT/SIGTERM of the process
 * that started it. Two interruptions slip past those hooks:
 * - the owner is killed with SIGKILL (a CI job timeout, an OOM kill): no hook runs at all;
 * - the owner is a vitest worker and the vitest main process is interrupted: main exits at once
 *   without stopping its workers, and the orphaned worker keeps running tests against its Prism
 *   until it finishes (seen here: the example test's three servers outlived Ctrl-C by ~10 s).
 * A watchdog closes both gaps: a tiny detached process that polls every 200 ms and SIGKILLs the
 * server as soon as any of its owners is gone, then exits; it also exits by itself once the
 * server is gone. It is detached (own process group) so a terminal's Ctrl-C does not kill it
 * before it has done its job.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { isRunning } from "../prism/index.ts";

/** True while `pid` exists and is still the server listening on `port` (guards against pid reuse). */
export function serverAlive(pid: number, port: string): boolean {
  if (!isRunning(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(port);
  } catch {
    return true; // No /proc (macOS): the pid alone has to do.
  }
}

/** Whether anything still answers HTTP at `url`. */
export async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(new URL("/", url), { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

// Runs as `node -e`: argv = [owners (comma-separated pids), server pid, server port].
const WATCHDOG = `
const [owners, server, port] = process.argv.slice(1);
const alive = (pid) => { try { process.kill(Number(pid), 0); return true; } catch { return false; } };
const isServer = () => { if (!alive(server)) return false; try { return require("fs").readFileSync("/proc/" + server + "/cmdline", "utf8").split("\\0").includes(port); } catch { return true; } };
setInterval(() => {
  if (!isServer()) process.exit(0);
  if (owners.split(",").some((pid) => !alive(pid))) { try { process.kill(Number(server), "SIGKILL"); } catch {} process.exit(0); }
}, 200);
`;

export interface Watchdog {
  readonly pid: number;
  /** Stops the watchdog (after a normal teardown) and waits until it is gone. */
  stop(): Promise<void>;
}

/** Starts a watchdog that kills the server `serverPid` (listening on `url`) once any of `owners` exits. */
export function watchServer(serverPid: number, url: string, owners: readonly number[]): Watchdog {
  const port = new URL(url).port;
  const child = spawn(process.execPath, ["-e", WATCHDOG, owners.join(","), String(serverPid), port], { detached: true, stdio: "ignore" });
  child.unref();
  const pid = child.pid ?? -1;
  return {
    pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || !isRunning(pid)) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGKILL");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
    },
  };
}

/**
 * After a server was stopped: throws unless it is gone (its pid is no longer this server and
 * nothing answers on its port) and its watchdog too.
 */
export async function assertStopped(label: string, serverPid: number, url: string, watchdog?: Watchdog): Promise<void> {
  const problems: string[] = [];
  if (serverAlive(serverPid, new URL(url).port)) problems.push(`the process (pid ${serverPid}) still runs`);
  if (await answers(url)) problems.push(`something still answers on ${url}`);
  if (watchdog && isRunning(watchdog.pid)) {
    let cmdline = "";
    try {
      cmdline = readFileSync(`/proc/${watchdog.pid}/cmdline`, "utf8");
    } catch {
      cmdline = "-e";
    }
    if (cmdline.includes(String(serverPid))) problems.push(`its watchdog (pid ${watchdog.pid}) still runs`);
  }
  if (problems.length) throw new Error(`Prism for ${label} was not stopped cleanly, an orphan: ${problems.join("; ")}.`);
}
