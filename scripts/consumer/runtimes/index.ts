/**
 * The table's rows: every runtime the packages promise to run on, each with the package manager
 * that installed its consumer folder (each of npm, pnpm and bun installs for at least one row).
 */
import { runChromium } from "./chromium.ts";
import { runScript } from "./process.ts";
import type { RowSpec } from "./types.ts";
import { runTypescript, typescriptVersion } from "./typescript.ts";
import { runWorkerd } from "./workerd.ts";

/** Deno may reach loopback and read the consumer folder, nothing else; it uses npm's node_modules. */
const DENO_ARGS = ["run", "--allow-net=127.0.0.1", "--allow-read=.", "--no-prompt", "--node-modules-dir=manual"];

export const ROWS: readonly RowSpec[] = [
  { id: "node20-esm", label: "Node 20.19 ESM", installer: "npm", runtime: "Node v20.19.0", refused: "retried", run: (c) => runScript(c, c.bins["node20"], [], "esm") },
  { id: "node20-cjs", label: "Node 20.19 CJS", installer: "npm", runtime: "Node v20.19.0", refused: "retried", run: (c) => runScript(c, c.bins["node20"], [], "cjs") },
  { id: "node22-esm", label: "Node 22 ESM", installer: "pnpm", runtime: "Node v22.", refused: "retried", run: (c) => runScript(c, c.bins["node22"], [], "esm") },
  { id: "node22-cjs", label: "Node 22 CJS", installer: "pnpm", runtime: "Node v22.", refused: "retried", run: (c) => runScript(c, c.bins["node22"], [], "cjs") },
  { id: "node24-esm", label: "Node 24 ESM", installer: "bun", runtime: "Node v24.", refused: "retried", run: (c) => runScript(c, c.bins["node24"], [], "esm") },
  { id: "node24-cjs", label: "Node 24 CJS", installer: "bun", runtime: "Node v24.", refused: "retried", run: (c) => runScript(c, c.bins["node24"], [], "cjs") },
  { id: "bun", label: "Bun", installer: "bun", runtime: "Bun ", refused: "retried", run: (c) => runScript(c, c.bins["bun"], [], "esm") },
  { id: "deno", label: "Deno 2", installer: "npm", runtime: "Deno 2.", refused: "not retried", run: (c) => runScript(c, c.bins["deno"], DENO_ARGS, "esm") },
  { id: "workerd", label: "workerd", installer: "pnpm", runtime: "workerd", refused: "not retried", run: runWorkerd },
  { id: "chromium", label: "Chromium (headless)", installer: "npm", runtime: "Chromium ", refused: "not retried", run: runChromium },
  { id: "tsc-nodenext-esm", label: `TypeScript ${typescriptVersion()} nodenext ESM`, installer: "npm", run: (c) => runTypescript(c, "nodenext-esm") },
  { id: "tsc-nodenext-cjs", label: `TypeScript ${typescriptVersion()} nodenext CJS`, installer: "npm", run: (c) => runTypescript(c, "nodenext-cjs") },
  { id: "tsc-bundler", label: `TypeScript ${typescriptVersion()} bundler`, installer: "pnpm", run: (c) => runTypescript(c, "bundler") },
];
