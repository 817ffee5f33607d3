/**
 * One Prism per vendor for a whole test run, shared by every suite that needs it, all served by
 * one Prism host process.
 *
 * Starting Prism costs about 2–3 s of CPU, and a full `pnpm test` used to start the same mock of
 * each spec up to five times (its vendor's contract suite, the examples test, the boundary test,
 * the demo test, the dates test). `pnpm test` now runs its suites under ./shared-cli.ts, which
 * serves a small broker on loopback and names it in `OTPKIT_PRISM_BROKER`; turbo passes that
 * variable to every task (it is a pass-through variable, not part of any cache key). The first
 * suite that asks for a vendor makes the broker start that vendor's Prism (`--errors`, from
 * `specs/<vendor>.yaml`); every later one gets the same server. The broker also starts, for the
 * suite that asks, a Prism proxy in front of that suite's in-process mock (`acquireProxy`,
 * ../contract/mock-answers.ts); it is that suite's own, and stopped when the suite releases it.
 * Every one of those servers lives in one Prism host (./host.ts), so Prism is loaded once per run,
 * not once per server. When the run ends, the broker stops the host and proves everything is gone
 * (the same orphan check the suites run on their own servers), and fails the run otherwise.
 *
 * Without a broker, `acquirePrism` and `acquireProxy` start the suite's own `prism` process, and
 * `release()` stops it and runs the orphan check: a file of `scripts/test` run on its own. A
 * package's suite, even one file of it, always has a broker: its global setup (./global-setup.ts)
 * starts one when the run has none. Prism is
 * stateless (every answer is a named example of the spec), so suites sharing a server cannot see
 * each other's requests.
 *
 * Whoever owns a server, a watchdog (./index.ts) kills it, or its host, if the owner dies without
 * stopping it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { assertStopped } from "../contract/orphans.ts";
import { startPrismHost, type HostedServer, type PrismHost } from "./host.ts";
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
  const whose = prism.shared ? "served by the test run's broker" : `ready in ${Math.round(prism.startMs)} ms`;
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

/** A request to the broker; it answers once the server is ready, which can take long on a busy machine. */
async function askBroker(broker: string, what: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(`${broker}${what}`, { ...init, signal: AbortSignal.timeout(180_000) });
  } catch (error) {
    throw new Error(`${BROKER_ENV} is ${broker}, but the shared Prism broker did not answer (${(error as Error).message}); unset it to start Prism here`);
  }
}

async function brokerAnswer(response: Response, what: string): Promise<BrokerAnswer> {
  if (!response.ok) throw new Error(`the shared Prism broker could not start ${what}: ${await response.text()}`);
  return (await response.json()) as BrokerAnswer;
}

async function fromBroker(broker: string, vendor: Vendor): Promise<PrismHandle> {
  const answer = await brokerAnswer(await askBroker(broker, `/prism/${vendor}`), label(vendor));
  return { vendor, ...answer, shared: true, output: async () => (await askBroker(broker, `/prism/${vendor}/output`)).text(), release: async () => {} };
}

/**
 * A Prism proxy with `--errors` in front of `upstream`, checking every answer against the vendor's
 * spec (request validation off: bad requests reach the upstream too). It belongs to the suite that
 * asks: from the broker (served by its Prism host, so it costs no Prism start), or, without one, a
 * `prism proxy` process of its own; `release()` stops it and proves it is gone.
 */
export async function acquireProxy(vendor: Vendor, upstream: string, options: { owners?: readonly number[] } = {}): Promise<PrismHandle> {
  const broker = process.env[BROKER_ENV];
  if (!broker) {
    // A loaded machine has been seen to take 28 s to start Prism.
    const prism = await startPrism({ spec: specPath(vendor), upstream, args: ["--validate-request=false"], owners: options.owners, readyTimeoutMs: 80_000 });
    return ownHandle(vendor, prism);
  }
  const what = `${label(vendor)} proxy in front of ${upstream}`;
  const answer = await brokerAnswer(await askBroker(broker, `/prism/${vendor}/proxy?${new URLSearchParams({ upstream })}`, { method: "POST" }), what);
  return {
    vendor,
    ...answer,
    shared: false,
    output: async () => (await askBroker(broker, `/prism/${vendor}/output`)).text(),
    async release() {
      const response = await askBroker(broker, `/proxy?${new URLSearchParams({ url: answer.url })}`, { method: "DELETE" });
      if (!response.ok) throw new Error(`the shared Prism broker could not stop the ${what}: ${await response.text()}`);
    },
  };
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

/**
 * Serves, from one Prism host (./host.ts, started on the first request, guarded by this process):
 * - `GET /prism/<vendor>`: the vendor's mock, started once, then the same server;
 * - `GET /prism/<vendor>/output`: what the host printed (the logs of all its servers);
 * - `POST /prism/<vendor>/proxy?upstream=<url>`: a new proxy of the vendor's spec (`--errors`,
 *   request validation off) in front of `upstream`, for the one suite that asked;
 * - `DELETE /proxy?url=<url>`: stops that proxy.
 */
export async function startBroker(): Promise<Broker> {
  let host: Promise<PrismHost> | undefined;
  const hostNow = (): Promise<PrismHost> => {
    if (host) return host;
    const starting = (host = startPrismHost());
    // A failed start is not remembered: the next suite that asks tries again (and reports it).
    starting.catch(() => host === starting && (host = undefined));
    return starting;
  };
  const mocks = new Map<Vendor, Promise<HostedServer>>();
  const mockFor = (vendor: Vendor): Promise<HostedServer> => {
    let server = mocks.get(vendor);
    if (!server) {
      const starting = hostNow().then((h) => h.serve({ spec: specPath(vendor) }));
      starting.catch(() => mocks.get(vendor) === starting && mocks.delete(vendor));
      mocks.set(vendor, starting);
      server = starting;
    }
    return server;
  };
  const proxies = new Map<string, HostedServer>();
  const answer = (response: ServerResponse, server: HostedServer): void => {
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ url: server.url, pid: server.pid, startMs: server.startMs } satisfies BrokerAnswer));
  };

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://broker");
    const match = /^\/prism\/([^/]+)(\/output|\/proxy)?$/.exec(url.pathname);
    const vendor = vendors.find((v) => v === match?.[1]);
    if (request.method === "GET" && vendor && !match?.[2]) return answer(response, await mockFor(vendor));
    if (request.method === "GET" && vendor && match?.[2] === "/output") {
      response.writeHead(200, { "content-type": "text/plain" }).end((await hostNow()).output());
      return;
    }
    const upstream = url.searchParams.get("upstream");
    if (request.method === "POST" && vendor && match?.[2] === "/proxy" && upstream) {
      const proxy = await (await hostNow()).serve({ spec: specPath(vendor), upstream, validateRequest: false });
      proxies.set(proxy.url, proxy);
      return answer(response, proxy);
    }
    const proxy = proxies.get(url.searchParams.get("url") ?? "");
    if (request.method === "DELETE" && url.pathname === "/proxy" && proxy) {
      proxies.delete(proxy.url);
      await proxy.close();
      response.writeHead(204).end();
      return;
    }
    response.writeHead(404, { "content-type": "text/plain" }).end(`unknown: ${request.method} ${request.url} (vendors: ${vendors.join(", ")})`);
  };
  const http = createServer((request, response) => {
    route(request, response).catch((error: Error) => response.writeHead(503, { "content-type": "text/plain" }).end(error.message));
  });
  await listen(http);
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    started: () => [...mocks.keys()],
    stop: () => stopBroker(http, host),
  };
}

function listen(http: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    http.once("error", reject);
    http.listen(0, "127.0.0.1", () => resolve());
  });
}

async function stopBroker(http: Server, host: Promise<PrismHost> | undefined): Promise<string[]> {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  const running = await host?.catch(() => undefined);
  // Never started, or its start failed (which already failed the suite that asked): nothing to stop.
  return running ? running.stop() : [];
}
