/**
 * One process that serves several Prism servers (./host.cjs), for the test run's broker
 * (./shared.ts): loading Prism costs about 2 s of CPU, serving one more spec from a loaded Prism
 * about 0.1 s, so the broker's mocks of every spec and its proxies in front of the in-process mocks
 * all share one load.
 *
 * The host gets a watchdog (./index.ts `watchProcess`) that SIGKILLs it once this process is gone, and
 * it exits by itself when its parent disconnects. `stop()` kills it and proves it is gone: the
 * process, every port it served, and the watchdog (`assertGone`, ../contract/orphans.ts).
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { answers, assertGone } from "../contract/orphans.ts";
import { freePort, watchProcess } from "./index.ts";

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "host.cjs");

export interface HostedOptions {
  /** Path of the OpenAPI document to serve (always with `--errors`). */
  readonly spec: string;
  /** `prism proxy` in front of this URL instead of a mock. */
  readonly upstream?: string;
  /** For a proxy: validate the requests it forwards (default true, as `prism proxy`). */
  readonly validateRequest?: boolean;
}

/** A server in the host. */
export interface HostedServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The host's pid. */
  readonly pid: number;
  /** Milliseconds from the request until it listened. */
  readonly startMs: number;
  /** Closes this server (the host runs on) and proves that nothing answers on its port any more. */
  close(): Promise<void>;
}

export interface PrismHost {
  /** Starts one more server in the host; resolves once it listens. */
  serve(options: HostedOptions): Promise<HostedServer>;
  /** Everything the host printed so far (the logs of all its servers). */
  output(): string;
  /** Stops the host and every server in it, and proves all are gone; returns what is not. */
  stop(): Promise<string[]>;
}

interface Reply {
  readonly id?: number;
  readonly ready?: boolean;
  readonly url?: string;
  readonly error?: string;
}

/** The end of what the host printed, for an error message. */
const tail = (log: string) => log.slice(-4000);

/** The IPC side of a host process: wait until it has loaded Prism, then ask it things. */
function channel(child: ChildProcess, log: () => string, readyTimeoutMs: number) {
  const pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  let exited: string | undefined;
  let late = false;
  const ready = new Promise<void>((resolve, reject) => {
    child.on("message", (reply: Reply) => {
      if (reply.ready) resolve();
      const waiting = pending.get(reply.id ?? -1);
      pending.delete(reply.id ?? -1);
      if (reply.error !== undefined) waiting?.reject(new Error(`${reply.error}\n${tail(log())}`));
      else waiting?.resolve(reply);
    });
    child.once("exit", (code, signal) => {
      exited = late
        ? `the Prism host (pid ${child.pid}) did not load Prism within ${readyTimeoutMs} ms, so it was stopped`
        : `the Prism host (pid ${child.pid}) exited with ${signal ? `signal ${signal}` : `code ${code}`}`;
      const error = new Error(`${exited}:\n${tail(log())}`);
      reject(error);
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
    });
  });
  const timer = setTimeout(() => {
    late = true;
    child.kill("SIGKILL");
  }, readyTimeoutMs);
  let nextId = 0;
  return {
    ready: ready.finally(() => clearTimeout(timer)),
    ask(message: object): Promise<Reply> {
      // "exit" can come after the channel closed: a request in between is refused, not sent.
      if (exited || !child.connected) return Promise.reject(new Error(`${exited ?? "the Prism host's channel is closed"}:\n${tail(log())}`));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, ...message }, (error) => {
          if (!error) return;
          pending.delete(id);
          reject(error);
        });
      });
    },
  };
}

/**
 * Starts a host whose servers live while this process does. A whole test run shares it, on a
 * machine busy with that run: it may take `readyTimeoutMs` (2 minutes) to load Prism.
 */
export async function startPrismHost(readyTimeoutMs = 120_000): Promise<PrismHost> {
  // A mark on the host's command line, so that its watchdog and the orphan check never take a
  // process that reused its pid for the host.
  const mark = randomUUID();
  const child = fork(script, [mark], { stdio: ["ignore", "pipe", "pipe", "ipc"], env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
  let log = "";
  // Without a listener, a failed spawn's "error" event would crash this process (the test run).
  child.once("error", (error) => (log += `\n${error.message}\n`));
  if (!child.pid) throw new Error(`could not start the Prism host (${script})`);
  const pid = child.pid;
  const watchdog = watchProcess(pid, mark, [process.pid]);
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const { ready, ask } = channel(child, () => log, readyTimeoutMs);
  try {
    await ready;
  } catch (error) {
    await watchdog.stop();
    throw error;
  }
  // Every URL it serves and has not closed: the final check proves that none answers.
  const served = new Set<string>();

  return {
    output: () => log,
    async serve({ spec, upstream, validateRequest = true }) {
      const started = performance.now();
      const url = await servedOn((port) => ask({ serve: { spec, port, errors: true, upstream, validateRequest } }));
      if (!url) throw new Error(`the Prism host gave no URL for ${spec}`);
      served.add(url);
      return {
        url,
        pid,
        startMs: performance.now() - started,
        async close() {
          await ask({ close: url });
          if (await answers(url)) throw new Error(`the Prism host closed ${url} (${spec}), but something still answers there`);
          // Proven silent: not probed again at the end, when the port may be someone else's.
          served.delete(url);
        },
      };
    },
    async stop() {
      await stopHost(child);
      await watchdog.stop();
      return assertGone("the Prism host", { pid, mark, urls: [...served], watchdog }).then(
        () => [],
        (error: Error) => [error.message],
      );
    },
  };
}

/** Asks for a server on a free port; a port found free can be taken before Prism binds it, so a few tries. */
async function servedOn(serve: (port: number) => Promise<Reply>): Promise<string | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await serve(await freePort())).url;
    } catch (error) {
      if (attempt >= 3 || !(error as Error).message.includes("EADDRINUSE")) throw error;
    }
  }
}

function stopHost(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}
