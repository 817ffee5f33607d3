/**
 * One Prism per vendor for a whole test run, shared by every suite that needs it.
 *
 * Starting Prism costs about a second of CPU, and a full `pnpm test` used to start the same mock of
 * each spec up to five times (its vendor's contract suite, the examples test, the boundary test,
 * the demo test, the dates test). `pnpm test` now runs its suites under ./shared-cli.ts, which
 * serves a small broker on loopback and names it in `OTPKIT_PRISM_BROKER`; turbo passes that
 * variable to every task (it is a pass-through variable, not part of any cache key). The first
 * suite that asks for a vendor makes the broker start that vendor's Prism (`--errors`, from
 * `specs/<vendor>.yaml`); every later one gets the same server. When the run ends, the broker stops
 * them all and proves each is gone (the same orphan check the suites ran on their own servers), and
 * fails the run otherwise.
 *
 * Without the broker (a suite run on its own: `pnpm vitest run` in a package, a single test file),
 * `acquirePrism` starts the suite's own server, and `release()` stops it and runs the orphan check,
 * as before. Prism is stateless (every answer is a named example of the spec), so suites sharing a
 * server cannot see each other's requests.
 *
 * Whoever owns a server, its watchdog (./index.ts) kills it if the owner dies without stopping it.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { assertStopped } from "../contract/orphans.ts";
import { specPath, specsDir, startPrism, vendors, type PrismServer, type Vendor } from "./index.ts";

/** The environment variable that names the broker of the current test run. */
export const BROKER_ENV = "OTPKIT_PRISM_BROKER";

/** A Prism server a suite may use until it calls `release()`. */
export interface PrismHandle {
  readonly vendor: Vendor;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly pid: number;
  /** Milliseconds from spawn until it answered (for a shared server: its first start). */
  readonly startMs: number;
  /** True when the test run's broker owns it: `release()` leaves it running for other suites. */
  readonly shared: boolean;
  /** What Prism printed so far, for diagnosing a failed request. */
  output(): Promise<string>;
  /** Stops an own server and proves it is gone; for a shared one, does nothing. */
  release(): Promise<void>;
}

interface BrokerAnswer {
  url: string;
  pid: number;
  startMs: number;
}

const label = (vendor: Vendor) => path.relative(path.dirname(specsDir), specPath(vendor));

// ---- the suites' side -------------------------------------------------------------------------

/** The vendor's Prism: the test run's shared one when a broker runs, otherwise a new one. */
export async function acquirePrism(vendor: Vendor, options: { owners?: readonly number[] } = {}): Promise<PrismHandle> {
  const broker = process.env[BROKER_ENV];
  if (broker) return fromBroker(broker, vendor);
  // Under a loaded machine's `pnpm test` a start took over 30 s; a suite's own server gets 90 s.
  const prism = await startPrism({ spec: specPath(vendor), owners: options.owners, readyTimeoutMs: 90_000 });
  return ownHandle(vendor, prism);
}

/** `acquirePrism` for several vendors at once; if one fails, releases the others and rethrows. */
export async function acquirePrisms<V extends Vendor>(list: readonly V[], options: { owners?: readonly number[] } = {}): Promise<Record<V, PrismHandle>> {
  const results = await Promise.allSettled(list.map((vendor) => acquirePrism(vendor, options)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    await releaseAll(results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : [])));
    throw failed.reason;
  }
  return Object.fromEntries(list.map((vendor, i) => [vendor, (results[i] as PromiseFulfilledResult<PrismHandle>).value])) as Record<V, PrismHandle>;
}

/** Releases every handle (each is tried), then throws the first failure, if any. */
export async function releaseAll(handles: Iterable<PrismHandle>): Promise<void> {
  const results = await Promise.allSettled([...handles].map((prism) => prism.release()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

/** One line for a suite's log: which server it uses and whose it is. */
export function describeHandle(prism: PrismHandle): string {
  const whose = prism.shared ? "shared by this test run" : `ready in ${Math.round(prism.startMs)} ms`;
  return `[prism] ${label(prism.vendor)} --errors on ${prism.url} (pid ${prism.pid}), ${whose}`;
}

function ownHandle(vendor: Vendor, prism: PrismServer): PrismHandle {
  return {
    vendor,
    url: prism.url,
    pid: prism.pid,
    startMs: prism.startMs,
    shared: false,
    output: async () => prism.output(),
    async release() {
      await prism.stop(); // Prism, then its watchdog.
      await assertStopped(label(vendor), prism.pid, prism.url, prism.watchdog);
    },
  };
}

async function fromBroker(broker: string, vendor: Vendor): Promise<PrismHandle> {
  const ask = async (what: string): Promise<Response> => {
    try {
      // Prism can take a long time to start on a busy machine; the broker answers once it is ready.
      return await fetch(`${broker}/prism/${vendor}${what}`, { signal: AbortSignal.timeout(180_000) });
    } catch (error) {
      throw new Error(`${BROKER_ENV} is ${broker}, but the shared Prism broker did not answer (${(error as Error).message}); unset it to start Prism here`);
    }
  };
  const response = await ask("");
  if (!response.ok) throw new Error(`the shared Prism broker could not start ${label(vendor)}: ${await response.text()}`);
  const answer = (await response.json()) as BrokerAnswer;
  return { vendor, ...answer, shared: true, output: async () => (await ask("/output")).text(), release: async () => {} };
}

// ---- the broker's side ------------------------------------------------------------------------

export interface Broker {
  /** The value of `OTPKIT_PRISM_BROKER` for the processes that should share its servers. */
  readonly url: string;
  /** The vendors whose Prism it started, in the order they were first asked for. */
  started(): Vendor[];
  /** Stops every server it started and proves each is gone; returns what is not. */
  stop(): Promise<string[]>;
}

/** Serves `GET /prism/<vendor>` (start once, then the same server) and `/prism/<vendor>/output`. */
export async function startBroker(): Promise<Broker> {
  const servers = new Map<Vendor, Promise<PrismServer>>();
  const serverFor = (vendor: Vendor): Promise<PrismServer> => {
    let server = servers.get(vendor);
    if (!server) {
      // A whole test run shares it, on a machine busy with that run: allow a slow start.
      server = startPrism({ spec: specPath(vendor), readyTimeoutMs: 120_000 });
      // A failed start is not remembered: the next suite that asks tries again (and reports it).
      const starting = server;
      starting.catch(() => servers.get(vendor) === starting && servers.delete(vendor));
      servers.set(vendor, starting);
    }
    return server;
  };
  const http = createServer((request, response) => {
    const match = /^\/prism\/([^/]+)(\/output)?$/.exec(request.url ?? "");
    const vendor = vendors.find((v) => v === match?.[1]);
    if (request.method !== "GET" || !vendor) {
      response.writeHead(404, { "content-type": "text/plain" }).end(`unknown: ${request.method} ${request.url} (vendors: ${vendors.join(", ")})`);
      return;
    }
    serverFor(vendor).then(
      (prism) => {
        if (match?.[2]) response.writeHead(200, { "content-type": "text/plain" }).end(prism.output());
        else response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ url: prism.url, pid: prism.pid, startMs: prism.startMs } satisfies BrokerAnswer));
      },
      (error: Error) => response.writeHead(503, { "content-type": "text/plain" }).end(error.message),
    );
  });
  await listen(http);
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    started: () => [...servers.keys()],
    stop: () => stopBroker(http, servers),
  };
}

function listen(http: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    http.once("error", reject);
    http.listen(0, "127.0.0.1", () => resolve());
  });
}

async function stopBroker(http: Server, servers: Map<Vendor, Promise<PrismServer>>): Promise<string[]> {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  const problems: string[] = [];
  await Promise.all(
    [...servers].map(async ([vendor, starting]) => {
      const prism = await starting.catch(() => undefined);
      if (!prism) return; // it never started: its start already failed the suite that asked
      await prism.stop();
      await assertStopped(label(vendor), prism.pid, prism.url, prism.watchdog).catch((error: Error) => problems.push(error.message));
    }),
  );
  return problems;
}
