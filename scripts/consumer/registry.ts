/**
 * Verdaccio on loopback, the suite's stand-in for npm. Its storage is a temporary folder; anyone
 * may publish `@otpkit/*` there (and only there: the suite's guard sees to it), nobody can publish
 * anything else, and `@otpkit/*` is never looked up upstream, so what consumers install is exactly
 * what the release published. Other packages (openapi-fetch, the packages' one dependency) are
 * proxied from the machine's npm registry, as a company registry would.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../prism/index.ts";
import { exec, startServer, type Server } from "./exec.ts";

export interface Registry {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  readonly server: Server;
  stop(): Promise<void>;
}

/** The registry the machine's npm uses (the uplink). */
export async function machineRegistry(): Promise<string> {
  const result = await exec("npm", ["config", "get", "registry"], { cwd: os.tmpdir(), timeoutMs: 60_000 });
  return result.status === 0 && /^https?:\/\//.test(result.stdout.trim()) ? result.stdout.trim() : "https://registry.npmjs.org/";
}

export function verdaccioConfig(dir: string, uplink: string): object {
  return {
    storage: path.join(dir, "storage"),
    // No one can sign up (max_users -1), so "$authenticated" means no one.
    auth: { htpasswd: { file: path.join(dir, "htpasswd"), max_users: -1 } },
    uplinks: { npmjs: { url: uplink, timeout: "60s", max_fails: 5 } },
    packages: {
      "@otpkit/*": { access: "$all", publish: "$anonymous", unpublish: "$anonymous" },
      "**": { access: "$all", publish: "$authenticated", proxy: "npmjs" },
    },
    web: { enable: false },
    log: { type: "stdout", format: "pretty", level: "warn" },
  };
}

/** Starts Verdaccio (`bin` from the tool cache) with its storage in `dir`; resolves once it answers. */
export async function startRegistry(bin: string, dir: string, readyTimeoutMs = 180_000): Promise<Registry> {
  mkdirSync(dir, { recursive: true });
  const configFile = path.join(dir, "verdaccio.yaml");
  // JSON is YAML: Verdaccio reads it as its config file.
  writeFileSync(configFile, JSON.stringify(verdaccioConfig(dir, await machineRegistry()), null, 2));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const server = startServer(process.execPath, [bin, "--config", configFile, "--listen", `127.0.0.1:${port}`], { cwd: dir });
  const deadline = performance.now() + readyTimeoutMs;
  while (performance.now() < deadline && server.child.exitCode === null) {
    try {
      const response = await fetch(`${url}-/ping`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.ok) return { url, server, stop: () => server.stop() };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await server.stop();
  throw new Error(`Verdaccio did not answer on ${url} within ${readyTimeoutMs} ms:\n${server.output().slice(-2000)}`);
}
