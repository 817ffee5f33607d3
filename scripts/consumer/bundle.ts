/**
 * Turns the harness and the flows into what each runtime loads: one generated entry that imports
 * every package by name (as ESM `import()`, CommonJS `require()`, or bundled in), built with
 * esbuild into the consumer's folder, so the packages resolve from that folder's node_modules.
 *
 * - `esm`, `cjs`: the packages stay outside the bundle and are loaded by the runtime, timed;
 * - `worker`: everything bundled, a module worker whose fetch handler answers with the result;
 * - `browser`: everything bundled, a page script that POSTs the result to `/result`.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { HarnessConfig } from "./harness/run.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const harness = path.join(here, "harness", "run.ts");

export type EntryKind = "esm" | "cjs" | "worker" | "browser";

export interface FlowModule {
  /** The package the flow imports. */
  readonly package: string;
  /** Absolute path of the flow's file. */
  readonly file: string;
}

/** The source of the generated entry. */
export function entrySource(kind: EntryKind, flows: readonly FlowModule[], config: HarnessConfig): string {
  const lines = [`import { runAll, RESULT_MARKER } from ${JSON.stringify(harness)};`];
  flows.forEach((f, i) => lines.push(`import { flow as flow${i} } from ${JSON.stringify(f.file)};`));
  if (kind === "worker" || kind === "browser") flows.forEach((f, i) => lines.push(`import * as module${i} from ${JSON.stringify(f.package)};`));
  lines.push(`const config = ${JSON.stringify(config)};`);
  const entries = (modules: (i: number) => string) => `[${flows.map((_, i) => `{ flow: flow${i}, module: ${modules(i)} }`).join(", ")}]`;
  const timedLoad = (load: (name: string) => string) =>
    [
      "const started = performance.now();",
      `const modules = [${flows.map((f) => load(JSON.stringify(f.package))).join(", ")}];`,
      "const importMs = performance.now() - started;",
      `const result = await runAll(${entries((i) => `modules[${i}]`)}, config, importMs);`,
      "console.log(RESULT_MARKER + JSON.stringify(result));",
    ].join("\n");
  switch (kind) {
    case "esm":
      lines.push(timedLoad((name) => `await import(${name})`));
      break;
    case "cjs":
      // CommonJS has no top-level await; `require` is what a CommonJS consumer calls.
      lines.push(`(async () => {\n${timedLoad((name) => `require(${name})`)}\n})().catch((error) => { console.error(error); process.exitCode = 1; });`);
      break;
    case "worker":
      // GET /run runs the flows; any other path answers at once (the readiness check).
      lines.push(
        `export default {\n  async fetch(request) {\n    if (new URL(request.url).pathname !== "/run") return new Response("ready");`,
        `    const result = await runAll(${entries((i) => `module${i}`)}, config);\n    return new Response(JSON.stringify(result), { headers: { "content-type": "application/json" } });\n  },\n};`,
      );
      break;
    case "browser":
      lines.push(
        `const post = (body) => fetch("/result", { method: "POST", body: JSON.stringify(body) });`,
        `runAll(${entries((i) => `module${i}`)}, config).then(post, (error) => post({ fatal: String(error && error.stack || error) }));`,
      );
      break;
  }
  return lines.join("\n") + "\n";
}

const OUT: Record<EntryKind, string> = { esm: "consumer-entry.mjs", cjs: "consumer-entry.cjs", worker: "worker.mjs", browser: "page.js" };

/** Writes the entry into `consumerDir`, bundles it there; resolves to the output file and its size. */
export async function buildEntry(kind: EntryKind, consumerDir: string, flows: readonly FlowModule[], config: HarnessConfig): Promise<{ file: string; bytes: number }> {
  const source = path.join(consumerDir, `consumer-entry-${kind}.ts`);
  writeFileSync(source, entrySource(kind, flows, config));
  const outfile = path.join(consumerDir, OUT[kind]);
  const bundled = kind === "worker" || kind === "browser";
  const result = await build({
    entryPoints: [source],
    outfile,
    absWorkingDir: consumerDir,
    bundle: true,
    // Only the harness and the flows are bundled for Node, Bun and Deno: the packages are loaded
    // by the runtime from node_modules, as in an app.
    packages: bundled ? undefined : "external",
    format: kind === "cjs" ? "cjs" : kind === "browser" ? "iife" : "esm",
    platform: bundled ? "browser" : "neutral",
    target: "es2022",
    conditions: kind === "worker" ? ["workerd", "worker", "browser"] : [],
    mainFields: bundled ? ["browser", "module", "main"] : [],
    metafile: true,
    logLevel: "silent",
  });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  return { file: outfile, bytes };
}
