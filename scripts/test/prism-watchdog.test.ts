/**
 * A process that starts Prism through scripts/prism (`startPrism`: the test suites, the demo, the
 * benchmarks) and is then killed with SIGKILL, so that none of its exit or signal hooks runs, does
 * not leave Prism running: the watchdog that `startPrism` arms for every server kills it, both when
 * the owner dies after Prism is ready and while Prism is still starting.
 *
 * The owner is ./fixtures/prism/owner.ts, run as a child process. Linux only (reads /proc).
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, test } from "vitest";
import { answers } from "../contract/orphans.ts";
import { alive, children, cmdline, isPrism } from "./fixtures/processes.ts";

const scriptsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PRISM_TIMEOUT = 120_000;

const isWatchdogOf = (pid: number, server: number) => alive(pid) && cmdline(pid).includes("-e") && cmdline(pid).includes(String(server));

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs: number, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(everyMs);
  }
}

interface Owner {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  exited: Promise<NodeJS.Signals | null>;
}

function startOwner(): Owner {
  const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/prism/owner.ts"], { cwd: scriptsDir, stdio: ["pipe", "pipe", "pipe"] });
  child.stdin.end();
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
  return { child, stdout: () => out, exited };
}

const readyLine = (out: string) => /^ready (.+)$/m.exec(out)?.[1];

// Whatever a failing test leaves behind is killed here (the owners' Prism children first, found
// while they are still the owners' children), so this file never leaves an orphan itself.
// Each pid is killed only while it still is what it was (a pid can be reused once it exits).
const owners = new Set<number>();
const leftovers = new Map<number, (pid: number) => boolean>();
afterEach(() => {
  for (const owner of owners) for (const pid of children(owner)) if (isPrism(pid)) leftovers.set(pid, isPrism);
  for (const owner of owners) if (alive(owner) && cmdline(owner).some((arg) => arg.endsWith("owner.ts"))) process.kill(owner, "SIGKILL");
  for (const [pid, still] of leftovers) if (still(pid)) process.kill(pid, "SIGKILL");
  owners.clear();
  leftovers.clear();
});

describe.skipIf(!existsSync("/proc/self/stat"))("startPrism's watchdog: the owner is killed with SIGKILL", () => {
  test(
    "after Prism is ready: Prism, its port and its watchdog are gone within seconds",
    async () => {
      const owner = startOwner();
      owners.add(owner.child.pid!);
      const line = await waitFor("Prism to be ready", () => readyLine(owner.stdout()), 60_000, 50).catch((error: Error) => {
        throw new Error(`${error.message}; owner output:\n${owner.stdout()}`);
      });
      const prism = JSON.parse(line) as { pid: number; url: string; watchdog: number };
      leftovers.set(prism.pid, isPrism);
      leftovers.set(prism.watchdog, (pid) => isWatchdogOf(pid, prism.pid));
      expect(isPrism(prism.pid), "Prism runs").toBe(true);
      expect(await answers(prism.url), "Prism answers").toBe(true);
      expect(isWatchdogOf(prism.watchdog, prism.pid), "its watchdog runs").toBe(true);

      owner.child.kill("SIGKILL");
      expect(await owner.exited).toBe("SIGKILL");

      await waitFor("Prism to be killed", () => !isPrism(prism.pid), 5_000, 50);
      expect(await answers(prism.url), `something still answers on ${prism.url}`).toBe(false);
      await waitFor("the watchdog to exit", () => !isWatchdogOf(prism.watchdog, prism.pid), 5_000, 50);
    },
    PRISM_TIMEOUT,
  );

  test(
    "while Prism is still starting: Prism is gone within seconds",
    async () => {
      const owner = startOwner();
      const ownerPid = owner.child.pid!;
      owners.add(ownerPid);
      // Prism and its watchdog are both spawned (a watchdog is armed right after the spawn, before
      // Prism answers): kill the owner now, long before Prism is ready (about 1.5 s).
      const [prismPid, watchdogPid] = await waitFor(
        "Prism and its watchdog to be spawned",
        () => {
          const pids = children(ownerPid);
          const prism = pids.find(isPrism);
          const watchdog = prism === undefined ? undefined : pids.find((pid) => isWatchdogOf(pid, prism));
          return prism !== undefined && watchdog !== undefined ? ([prism, watchdog] as const) : undefined;
        },
        30_000,
        50, // each look reads the whole process table: every 50 ms is still long before Prism is ready
      );
      leftovers.set(prismPid, isPrism);
      leftovers.set(watchdogPid, (pid) => isWatchdogOf(pid, prismPid));
      owner.child.kill("SIGKILL");
      expect(await owner.exited).toBe("SIGKILL");
      expect(readyLine(owner.stdout()), "the owner was killed before Prism was ready").toBeUndefined();

      await waitFor("Prism to be killed", () => !isPrism(prismPid), 5_000, 50);
      await waitFor("the watchdog to exit", () => !isWatchdogOf(watchdogPid, prismPid), 5_000, 50);
    },
    PRISM_TIMEOUT,
  );
});
