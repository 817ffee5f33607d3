/**
 * Runtimes that run a script file: Node (ESM and CommonJS), Bun and Deno. The entry is built into
 * the consumer's folder, the runtime runs it there, and the result is the line after the marker.
 */
import { buildEntry } from "../bundle.ts";
import { exec, tail } from "../exec.ts";
import { RESULT_MARKER, type HarnessResult } from "../harness/run.ts";
import type { RowContext, RowOutcome } from "./types.ts";
import { duration } from "../../demo/style.ts";

/** Reads the harness result a runtime printed, or says why there is none. */
export function parseResult(stdout: string): HarnessResult | undefined {
  const line = stdout.split("\n").find((l) => l.startsWith(RESULT_MARKER));
  return line ? (JSON.parse(line.slice(RESULT_MARKER.length)) as HarnessResult) : undefined;
}

/**
 * Runs `bin [...args, entry]` in the consumer's folder. `kind` says how the entry loads the
 * packages: `import()` or `require()`.
 */
export async function runScript(context: RowContext, bin: string | undefined, args: readonly string[], kind: "esm" | "cjs"): Promise<RowOutcome> {
  if (!bin) return { kind: "failed", error: "the runtime is not installed" };
  const { file } = await buildEntry(kind, context.dir, context.flows, context.config);
  const run = await exec(bin, [...args, file], { cwd: context.dir, env: { ...process.env, NO_COLOR: "1" }, timeoutMs: 180_000 });
  const result = parseResult(run.stdout);
  if (!result) return { kind: "failed", error: `no result (exit ${run.status}):\n${tail(run)}` };
  return { kind: "harness", result, imports: result.importMs === undefined ? "" : `${kind === "cjs" ? "require" : "import"} ${duration(result.importMs)}` };
}
