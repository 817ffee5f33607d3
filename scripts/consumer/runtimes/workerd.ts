/**
 * workerd, the runtime of Cloudflare Workers: the flows bundled into one module worker (no
 * `nodejs_compat`, so not a single Node API), served by workerd on loopback; its outbound fetch may
 * reach loopback addresses only (the Prism mocks). `GET /run` runs the flows and answers with the
 * result.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { buildEntry } from "../bundle.ts";
import { startServer } from "../exec.ts";
import type { HarnessResult } from "../harness/run.ts";
import { freePort } from "../../prism/index.ts";
import type { RowContext, RowOutcome } from "./types.ts";

/** A date the pinned workerd supports; flags that would change behaviour are not set. */
const COMPATIBILITY_DATE = "2025-09-01";

export function workerdConfig(port: number, moduleFile: string): string {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "consumer", worker = .consumer),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "consumer")],
);

const consumer :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed ${JSON.stringify(moduleFile)})],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  globalOutbound = "loopback",
);
`;
}

export async function runWorkerd(context: RowContext): Promise<RowOutcome> {
  const bin = context.bins["workerd"];
  if (!bin) return { kind: "failed", error: "workerd is not installed" };
  const bundle = await buildEntry("worker", context.dir, context.flows, context.config);
  const port = await freePort();
  const configFile = path.join(context.dir, "workerd.capnp");
  writeFileSync(configFile, workerdConfig(port, path.basename(bundle.file)));
  const server = startServer(bin, ["serve", configFile, "--verbose"], { cwd: context.dir });
  try {
    const url = `http://127.0.0.1:${port}`;
    const deadline = performance.now() + 60_000;
    for (;;) {
      if (server.child.exitCode !== null) return { kind: "failed", error: `workerd exited (${server.child.exitCode}):\n${server.output().slice(-2000)}` };
      if (performance.now() > deadline) return { kind: "failed", error: `workerd did not answer within 60 s:\n${server.output().slice(-2000)}` };
      const ready = await fetch(`${url}/ready`).then((r) => r.text(), () => "");
      if (ready === "ready") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const response = await fetch(`${url}/run`, { signal: AbortSignal.timeout(180_000) });
    const text = await response.text();
    if (!response.ok) return { kind: "failed", error: `workerd answered ${response.status}: ${text.slice(0, 2000)}\n${server.output().slice(-2000)}` };
    return { kind: "harness", result: JSON.parse(text) as HarnessResult, imports: `bundled ${(bundle.bytes / 1024).toFixed(0)} kB` };
  } finally {
    await server.stop();
  }
}
