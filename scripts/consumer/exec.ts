/**
 * Runs the suite's commands and servers. Commands are awaited (the suite serves pages and answers
 * workerd while they run, so nothing may block the event loop); servers (Verdaccio, workerd,
 * Chromium) run in their own process group, which is killed on `stop()` and, whatever happens, when
 * the suite exits, is interrupted or terminated.
 */
import { spawn, type ChildProcess } from "node:child_process";

export interface ExecResult {
  status: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface ExecOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the command (and its process group) after this many milliseconds; status 124. */
  timeoutMs?: number;
}

/** Runs `command args` without a shell and resolves with its output, also when it fails. */
export function exec(command: string, args: readonly string[], options: ExecOptions): Promise<ExecResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    track(child);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    let timedOut = false;
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          killGroup(child);
        }, options.timeoutMs)
      : undefined;
    child.once("error", (error) => {
      clearTimeout(timer);
      resolve({ status: 127, stdout, stderr: `${stderr}${error.message}`, ms: performance.now() - started });
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      const status = timedOut ? 124 : (code ?? (signal ? 128 : 1));
      const note = timedOut ? `\n(killed after ${options.timeoutMs} ms)` : "";
      resolve({ status, stdout, stderr: stderr + note, ms: performance.now() - started });
    });
  });
}

/** A command's output, trimmed to its last lines, for a failure message. */
export function tail(result: Pick<ExecResult, "stdout" | "stderr">, lines = 15): string {
  return `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-lines).join("\n");
}

export interface Server {
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts a long-running process in its own process group; `stop()` kills the whole group. */
export function startServer(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Server {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  track(child);
  let log = "";
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.once("error", (error) => (log += `\nspawn failed: ${error.message}`));
  return {
    child,
    output: () => log,
    stop: () => stopGroup(child),
  };
}

const live = new Set<ChildProcess>();
let hooked = false;

function track(child: ChildProcess): void {
  live.add(child);
  child.once("exit", () => live.delete(child));
  child.once("error", () => live.delete(child));
  if (hooked) return;
  hooked = true;
  process.on("exit", () => {
    for (const c of live) killGroup(c);
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      for (const c of live) killGroup(c);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** SIGTERM to the group, SIGKILL after 3 s; resolves once the leader has exited. */
function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) {
    killGroup(child); // helpers it started may still run
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const force = setTimeout(() => killGroup(child), 3000);
    child.once("exit", () => {
      clearTimeout(force);
      killGroup(child);
      resolve();
    });
    killGroup(child, "SIGTERM");
  });
}
