/**
 * A loopback HTTP server that hands every request to an in-process mock's `handle(request)`, so a
 * Prism proxy can stand in front of the mock and check each of its answers against the spec. Test
 * plumbing only: the mock itself needs no server. A network error from the mock (its "reset"
 * fault) destroys the socket, as a reset connection would.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Handle = (request: Request) => Promise<Response>;

export interface MockServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The mock that answers from now on. */
  use(handle: Handle): void;
  close(): Promise<void>;
}

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  return new Request(new URL(req.url ?? "/", origin), { method: req.method, headers, body });
}

async function send(response: Response, res: ServerResponse): Promise<void> {
  if (response.type === "error") {
    res.destroy();
    return;
  }
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

export async function startMockServer(): Promise<MockServer> {
  let handle: Handle | undefined;
  let origin = "";
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        if (!handle) throw new Error("no mock in use");
        await send(await handle(await toRequest(req, origin)), res);
      } catch (error) {
        res.writeHead(599, { "content-type": "text/plain" }).end(`the mock failed: ${String(error)}`);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    use: (next) => (handle = next),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Prism keeps its connections to the upstream alive; they must not hold the close up.
        server.closeAllConnections();
      }),
  };
}
