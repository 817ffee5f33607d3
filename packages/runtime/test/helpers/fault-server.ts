/**
 * A real HTTP server on loopback that scripts faults and records every request it receives.
 * Each path has a queue of behaviours, used one per request; the last one repeats.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type Behaviour = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface FaultServer {
  readonly origin: string;
  readonly received: Received[];
  /** Requests received on one path. */
  count(path: string): number;
  script(path: string, ...behaviours: Behaviour[]): void;
  close(): Promise<void>;
}

export async function startFaultServer(): Promise<FaultServer> {
  const scripts = new Map<string, Behaviour[]>();
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      const path = (req.url ?? "/").split("?")[0]!;
      received.push({ method: req.method ?? "", path, headers: req.headers, body });
      const queue = scripts.get(path) ?? [];
      const behaviour = queue.length > 1 ? queue.shift()! : queue[0];
      if (behaviour) behaviour(req, res, body);
      else json(404, { error: `no script for ${path}` })(req, res, body);
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    count: (path) => received.filter((r) => r.path === path).length,
    script: (path, ...behaviours) => void scripts.set(path, behaviours),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Behaviour =>
  (_req, res) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
    res.end(text);
  };

export const text =
  (status: number, body: string, contentType = "text/html", headers: Record<string, string> = {}): Behaviour =>
  (_req, res) => {
    res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body), ...headers });
    res.end(body);
  };

export const empty =
  (status: number, headers: Record<string, string> = {}): Behaviour =>
  (_req, res) => {
    res.writeHead(status, headers);
    res.end();
  };

/** Reads the whole request, then drops the connection without answering. */
export const reset: Behaviour = (req) => req.socket.destroy();

/** Never answers (until the client gives up or the server closes). */
export const hang: Behaviour = () => undefined;

/** Sends the headers and half the promised body, then drops the connection. */
export const cutOff =
  (status: number, body: string): Behaviour =>
  (req, res) => {
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) * 2 });
    res.write(body);
    setTimeout(() => req.socket.destroy(), 20);
  };

/** Sends the headers, then never the body. */
export const stall =
  (status: number): Behaviour =>
  (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", "content-length": "100" });
    res.flushHeaders();
  };

export const redirect =
  (status: number, location: string): Behaviour =>
  (_req, res) => {
    res.writeHead(status, { location, "content-length": "0" });
    res.end();
  };

export const after =
  (ms: number, behaviour: Behaviour): Behaviour =>
  (req, res, body) =>
    void setTimeout(() => behaviour(req, res, body), ms);
