/**
 * Headless Chromium (Debian's): the flows bundled into a page script, served from a loopback
 * server of the suite's own, so every call to a Prism mock is cross-origin (another port), with
 * CORS preflights as in a real web app. The page POSTs its result back to the server that served
 * it; no DevTools protocol is needed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import path from "node:path";
import { buildEntry } from "../bundle.ts";
import { startServer } from "../exec.ts";
import type { HarnessResult } from "../harness/run.ts";
import type { RowContext, RowOutcome } from "./types.ts";

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>otpkit consumer suite</title>
<script>
  // Errors before the harness runs (a bundle that does not load) are reported too.
  const report = (fatal) => fetch("/result", { method: "POST", body: JSON.stringify({ fatal }) });
  addEventListener("error", (event) => report(String(event.error && event.error.stack || event.message)));
  addEventListener("unhandledrejection", (event) => report(String(event.reason && event.reason.stack || event.reason)));
</script>
<script src="/page.js"></script>
`;

/** Chromium's flags: headless, no first-run work, no network of its own, a throwaway profile. */
export function chromiumArgs(profile: string, url: string): string[] {
  return [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    `--user-data-dir=${profile}`,
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-crash-reporter",
    "--disable-breakpad",
    "--enable-logging=stderr",
    "--v=0",
    url,
  ];
}

type PageResult = HarnessResult | { fatal: string };

function serve(bundle: string, onResult: (result: PageResult) => void) {
  return createServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.method === "POST" && request.url === "/result") {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        response.end("ok");
        try {
          onResult(JSON.parse(body) as PageResult);
        } catch {
          onResult({ fatal: `unreadable result: ${body.slice(0, 500)}` });
        }
      });
      return;
    }
    const [type, body] = request.url === "/page.js" ? ["text/javascript", readFileSync(bundle)] : request.url === "/" ? ["text/html", PAGE] : ["text/plain", "not found"];
    response.writeHead(type === "text/plain" ? 404 : 200, { "content-type": `${type}; charset=utf-8` });
    response.end(body);
  });
}

export async function runChromium(context: RowContext): Promise<RowOutcome> {
  const bin = context.bins["chromium"];
  if (!bin) return { kind: "failed", error: "Chromium is not installed" };
  const bundle = await buildEntry("browser", context.dir, context.flows, context.config);
  let settle: (result: PageResult) => void = () => {};
  const received = new Promise<PageResult>((resolve) => (settle = resolve));
  const server = serve(bundle.file, (result) => settle(result));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const profile = path.join(context.temp, "chromium-profile");
  const env = { ...process.env, XDG_CONFIG_HOME: path.join(context.temp, "xdg-config"), XDG_CACHE_HOME: path.join(context.temp, "xdg-cache") };
  const browser = startServer(bin, chromiumArgs(profile, url), { cwd: context.temp, env });
  try {
    const exited = new Promise<"exited">((resolve) => browser.child.once("exit", () => resolve("exited")));
    const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 180_000).unref());
    const outcome = await Promise.race([received, exited, timeout]);
    if (outcome === "exited" || outcome === "timeout") {
      return { kind: "failed", error: `Chromium ${outcome === "exited" ? "exited" : "sent no result within 180 s"}:\n${browser.output().slice(-2000)}` };
    }
    if ("fatal" in outcome) return { kind: "failed", error: `the page failed: ${outcome.fatal}` };
    return { kind: "harness", result: outcome, imports: `bundled ${(bundle.bytes / 1024).toFixed(0)} kB` };
  } finally {
    await browser.stop();
    await new Promise((resolve) => server.close(resolve));
  }
}
