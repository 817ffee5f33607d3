/**
 * TypeScript as a consumer runs it on the installed packages: the flows (which leave out a required
 * field under `@ts-expect-error`, so a missing type error is an error too) compiled with `strict`
 * and `skipLibCheck: false` (the packages' declaration files are checked as well; TypeScript's own
 * lib files are not, which halves the time), under `module: nodenext` as ESM and as CommonJS, and
 * under `moduleResolution: bundler`.
 */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { exec, tail } from "../exec.ts";
import type { RowContext, RowOutcome } from "./types.ts";

const require = createRequire(import.meta.url);
const harnessFlow = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "harness", "flow.ts");

export type TsMode = "nodenext-esm" | "nodenext-cjs" | "bundler";

/** The workspace's TypeScript (the catalog's pin), run on the consumer's files. */
export const tscPath = (): string => require.resolve("typescript/bin/tsc");
export const typescriptVersion = (): string => (require("typescript/package.json") as { version: string }).version;

/** `libCheck: false` skips the packages' declaration files too (the rows check them). */
export function tsconfig(mode: TsMode, libCheck = true): object {
  const resolution = mode === "bundler" ? { module: "preserve", moduleResolution: "bundler" } : { module: "nodenext", moduleResolution: "nodenext" };
  return {
    compilerOptions: {
      ...resolution,
      target: "ES2022",
      lib: ["ES2022", "DOM"],
      types: [],
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      skipLibCheck: !libCheck,
      skipDefaultLibCheck: true,
      noEmit: true,
    },
    include: ["**/*.ts"],
  };
}

/** Compiles the flows in `<consumer>/ts-<mode>/`; resolves to the error count and tsc's output. */
export async function runTypescript(context: Pick<RowContext, "dir" | "flows">, mode: TsMode, code: Readonly<Record<string, string>> = {}, libCheck = true): Promise<RowOutcome> {
  const dir = path.join(context.dir, `ts-${mode}`);
  mkdirSync(path.join(dir, "flows"), { recursive: true });
  mkdirSync(path.join(dir, "harness"), { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ private: true, type: mode === "nodenext-cjs" ? "commonjs" : "module" }, null, 2));
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig(mode, libCheck), null, 2));
  copyFileSync(harnessFlow, path.join(dir, "harness", "flow.ts"));
  for (const flow of context.flows) copyFileSync(flow.file, path.join(dir, "flows", path.basename(flow.file)));
  for (const [file, text] of Object.entries(code)) writeFileSync(path.join(dir, file), text);
  const run = await exec(process.execPath, [tscPath(), "-p", dir, "--pretty", "false"], { cwd: dir, timeoutMs: 300_000 });
  const errors = (run.stdout.match(/error TS\d+/g) ?? []).length;
  if (run.status !== 0 && errors === 0) return { kind: "failed", error: `tsc failed (exit ${run.status}):\n${tail(run)}` };
  return { kind: "typescript", errors, output: tail(run, 30), files: context.flows.length + 1 + Object.keys(code).length };
}
