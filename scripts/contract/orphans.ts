/**
 * Proves that a Prism server is gone after a run, and that nothing outlived it.
 *
 * scripts/prism/index.ts stops Prism on `stop()`, on exit and on SIGINT/SIGTERM of the process
 * that started it, and arms a watchdog for every server it starts (`watchServer`, re-exported
 * here): a detached process that SIGKILLs the server once any of its owners is gone. That closes
 * the two gaps the hooks leave:
 * - the owner is killed with SIGKILL (a CI job timeout, an OOM kill): no hook runs at all;
 * - the owner is a vitest worker and the vitest main process is interrupted: main exits at once
 *   without stopping its workers, and the orphaned worker keeps running tests against its Prism
 *   until it finishes (seen here: the example test's three servers outlived Ctrl-C by ~10 s); pass
 *   vitest's main process in `startPrism`'s `owners` for that.
 * `assertStopped` checks, after a normal stop, that the server and its watchdog are gone;
 * `assertGone`, that the Prism host (../prism/host.ts), every port it served and its watchdog are.
 */
import { readFileSync } from "node:fs";
import { isRunning, type Watchdog } from "../prism/index.ts";

export { watchServer, type Watchdog } from "../prism/index.ts";

/**
 * True while `pid` exists and is still the server: its command line holds `mark` (the port it
 * listens on, or the Prism host's mark), which guards against pid reuse.
 */
export function serverAlive(pid: number, mark: string): boolean {
  if (!isRunning(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(mark);
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

/**
 * After a server was stopped: throws unless it is gone (its pid is no longer this server and
 * nothing answers on its port) and its watchdog too.
 */
export function assertStopped(label: string, serverPid: number, url: string, watchdog?: Watchdog): Promise<void> {
  return assertGone(`Prism for ${label}`, { pid: serverPid, mark: new URL(url).port, urls: [url], watchdog });
}

/** `assertStopped` for a process that served `urls` (the Prism host, ../prism/host.ts). */
export async function assertGone(label: string, { pid, mark, urls, watchdog }: { pid: number; mark: string; urls: readonly string[]; watchdog?: Watchdog }): Promise<void> {
  const problems: string[] = [];
  if (serverAlive(pid, mark)) problems.push(`the process (pid ${pid}) still runs`);
  for (const url of urls) if (await answers(url)) problems.push(`something still answers on ${url}`);
  if (watchdog && isRunning(watchdog.pid)) {
    let cmdline = "";
    try {
      cmdline = readFileSync(`/proc/${watchdog.pid}/cmdline`, "utf8");
    } catch {
      cmdline = "-e";
    }
    if (cmdline.includes(String(pid))) problems.push(`its watchdog (pid ${watchdog.pid}) still runs`);
  }
  if (problems.length) throw new Error(`${label} was not stopped cleanly, an orphan: ${problems.join("; ")}.`);
}
