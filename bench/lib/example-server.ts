/**
 * The overhead benchmark's HTTP server: plain node:http on 127.0.0.1 with keep-alive, answering
 * every operation of the three specs with its first success status and that response's first
 * named example body (pre-serialized, so the server does the same tiny amount of work for every
 * contender). Each vendor lives under its own prefix (`/smscx`, `/ding`, `/equinix-metal`), which
 * becomes part of the clients' base URL.
 *
 * It runs in a child process (`forkExampleServer`), so its work happens on the other core and is
 * not counted in any contender's time on the client's event loop.
 */
import { fork, type ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { deref, isObject, loadSpec, namedExamples, operations, type Json, type JsonObject } from "../../scripts/lib/specs.ts";
import { VENDORS, vendorInfo, type VendorName } from "./vendors.ts";

export interface ExampleRoute {
  readonly vendor: VendorName;
  readonly operationId: string;
  readonly method: string;
  /** Path template with the vendor prefix: `/smscx/otp/{otpId}`. */
  readonly template: string;
  readonly pattern: RegExp;
  readonly status: number;
  readonly exampleName: string | undefined;
  readonly body: Json | undefined;
}

/** One route per operation of every spec: its first 2xx status and first named example. */
export function exampleRoutes(): ExampleRoute[] {
  const routes: ExampleRoute[] = [];
  for (const vendor of VENDORS) {
    const doc = loadSpec(vendorInfo[vendor].spec);
    for (const op of operations(doc)) {
      const responses = isObject(op.node.responses) ? op.node.responses : {};
      const code = Object.keys(responses).filter((c) => /^2\d\d$/.test(c)).sort()[0];
      if (!code) continue;
      const response = deref<JsonObject>(doc, responses[code]);
      const first = [...namedExamples(doc, response?.content).entries()][0];
      const template = `/${vendor}${op.path}`;
      const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`);
      routes.push({
        vendor,
        operationId: op.operationId,
        method: op.method.toUpperCase(),
        template,
        pattern,
        status: Number(code),
        exampleName: first?.[0],
        body: first?.[1].value,
      });
    }
  }
  return routes;
}

export interface ServerStats {
  readonly connections: number;
  readonly requests: number;
  readonly unmatched: number;
}

/** Serves the routes; resolves with the port once listening on 127.0.0.1. */
export function serveExamples(routes: readonly ExampleRoute[]): Promise<{ port: number; stats: () => ServerStats; close: () => void }> {
  const answers = routes.map((route) => ({
    route,
    payload: route.body === undefined ? undefined : Buffer.from(JSON.stringify(route.body)),
  }));
  let connections = 0;
  let requests = 0;
  let unmatched = 0;
  const server = createServer((req, res) => {
    requests++;
    // Drain the request body (POSTs) before answering, as a real server would.
    req.resume();
    req.on("end", () => {
      const pathname = (req.url ?? "/").split("?")[0]!;
      const hit = answers.find((a) => a.route.method === req.method && a.route.pattern.test(pathname));
      if (!hit) {
        unmatched++;
        res.writeHead(404, { "content-type": "application/json", "content-length": "2" }).end("{}");
        return;
      }
      if (!hit.payload) {
        res.writeHead(hit.route.status).end();
        return;
      }
      res.writeHead(hit.route.status, { "content-type": "application/json", "content-length": String(hit.payload.length) });
      res.end(hit.payload);
    });
  });
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  server.on("connection", () => connections++);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (!address || typeof address !== "object") return reject(new Error("no server address"));
      resolve({ port: address.port, stats: () => ({ connections, requests, unmatched }), close: () => server.close() });
    });
  });
}

export interface ForkedServer {
  readonly url: string;
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

type FromChild = { type: "listening"; port: number } | { type: "stats"; stats: ServerStats };

/** Starts the server in a child process (same loader as this process, so tsx works there too). */
export function forkExampleServer(): Promise<ForkedServer> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ["--serve"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`example server exited early (${code})`)));
    child.once("message", (message: FromChild) => {
      if (message.type !== "listening") return reject(new Error("unexpected message from the example server"));
      resolve({
        url: `http://127.0.0.1:${message.port}`,
        stats: () =>
          new Promise((done) => {
            child.once("message", (m: FromChild) => m.type === "stats" && done(m.stats));
            child.send("stats");
          }),
        stop: () =>
          new Promise((done) => {
            process.off("exit", kill);
            child.removeAllListeners("exit");
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

// Child side.
if (process.argv.includes("--serve") && process.send) {
  const { port, stats } = await serveExamples(exampleRoutes());
  process.on("message", (message) => {
    if (message === "stats") process.send!({ type: "stats", stats: stats() } satisfies FromChild);
  });
  process.on("disconnect", () => process.exit(0));
  process.send({ type: "listening", port } satisfies FromChild);
}
