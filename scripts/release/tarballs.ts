/**
 * Packs packages with `pnpm pack` and checks each tarball the way a user would receive it:
 * - publint (as `publint run <tgz> --strict`): package.json fields, exports, files that exist;
 * - Are The Types Wrong (as `attw <tgz>`): types resolve for node10, node16 CJS/ESM and bundlers;
 * - the files list (`filesListProblems`): only what users need, and everything they need.
 *
 * publint and attw run in this process through their APIs (the same checks, with the same
 * options, as their command lines): attw loads the TypeScript compiler, about a second of CPU,
 * once per process instead of once per tarball.
 *
 * Files-list rules (README.md in ../spec-changeset explains them). This is the only tarball check
 * of `pnpm test` and `pnpm lint` (the release dry run applies it to every public package; the
 * packages have no lint of their own any more). So it holds the rules of the packages' former
 * lint and of this check, each file judged by the stricter of the two:
 * - allowed: `package.json`, `README.md`, `CHANGELOG.md`, `LICENSE`, and in `dist/` only what the
 *   build writes (`.js`, `.cjs`, `.d.ts`, `.d.cts` and the `.js`/`.cjs` sourcemaps);
 * - never: tests (`test/`, `__tests__/`, `*.test.*`, `*.spec.*`), fixtures, coverage, `.turbo`,
 *   `.vitest`, `src/` (sources are not shipped: every sourcemap must embed `sourcesContent`),
 *   tsconfig/tsdown/vitest configs, `.env*`, nested tarballs, logs (named for what they are;
 *   anything else outside the allowed list is refused as such);
 * - required: `package.json`, `README.md`, `LICENSE` (the license field alone does not carry the
 *   text) and the entry points `dist/index.js`, `dist/index.cjs`, `dist/index.d.ts`, `dist/index.d.cts`;
 * - the packed package.json must not keep a `workspace:` range.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { defaultRunner, type PackageManifest, type Runner } from "./workspace.ts";

export interface ToolResult {
  ok: boolean;
  output: string;
}

export interface TarballReport {
  name: string;
  version: string;
  tarball: string;
  sizeBytes: number;
  files: string[];
  problems: string[];
  publint?: ToolResult;
  attw?: ToolResult;
  ok: boolean;
}

const FORBIDDEN: [RegExp, string][] = [
  [/(^|\/)(test|tests|__tests__|__mocks__)\//, "a test file"],
  [/\.(test|spec)\.[cm]?[jt]sx?$/, "a test file"],
  [/(^|\/)(fixtures?|__fixtures__)\//, "a test fixture"],
  [/(^|\/)(coverage|\.nyc_output)\//, "a coverage report"],
  [/(^|\/)\.(turbo|vitest)\//, "a build or test cache"],
  [/^src\//, "a source file (sourcemaps embed sourcesContent, so sources are not shipped)"],
  [/(^|\/)tsconfig(\.[^/]*)?\.json$/, "a TypeScript config"],
  [/(^|\/)(tsdown|tsup|vitest|vite|rollup|esbuild)\.config\.[cm]?[jt]s$/, "a build or test config"],
  [/(^|\/)turbo\.json$/, "a turbo config"],
  [/(^|\/)\.env(\.|$)/, "an environment file"],
  [/\.(tgz|log)$/, "a tarball or a log"],
];
const ALLOWED = [/^package\.json$/, /^README\.md$/, /^CHANGELOG\.md$/, /^LICENSE$/, /^dist\/.+\.(js|cjs|d\.ts|d\.cts|js\.map|cjs\.map)$/];
const ALLOWED_LIST = "package.json, README.md, CHANGELOG.md, LICENSE, and the build's .js, .cjs, .d.ts, .d.cts and sourcemaps in dist/";
const ENTRY_POINTS = ["dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts"];

/** Problems of a tarball's file list, without unpacking it. */
export function filesListProblems(files: string[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const forbidden = FORBIDDEN.find(([re]) => re.test(file));
    if (forbidden) problems.push(`${file}: ${forbidden[1]} must not be published`);
    else if (!ALLOWED.some((re) => re.test(file))) problems.push(`${file}: not in the allowed list (${ALLOWED_LIST})`);
  }
  if (!files.includes("package.json")) problems.push("package.json is missing");
  if (!files.includes("README.md")) problems.push("README.md is missing: npm would show an empty page");
  if (!files.includes("LICENSE")) problems.push("LICENSE is missing: the license field alone does not carry the license text");
  if (!files.some((f) => f.startsWith("dist/"))) problems.push("dist/ is empty: build the package before packing it");
  else for (const entry of ENTRY_POINTS.filter((f) => !files.includes(f))) problems.push(`${entry} is missing: package.json's main, module, types and exports point at the dist/index files`);
  return problems;
}

/** Problems found in the unpacked contents: sourcemaps without sources, `workspace:` ranges. */
export function contentProblems(unpackedDir: string, files: string[]): string[] {
  const problems: string[] = [];
  for (const file of files.filter((f) => f.endsWith(".map"))) {
    try {
      const map = JSON.parse(readFileSync(path.join(unpackedDir, file), "utf8")) as { sources?: unknown[]; sourcesContent?: unknown[] };
      const sources = map.sources ?? [];
      const contents = map.sourcesContent ?? [];
      if (sources.some((_, i) => typeof contents[i] !== "string")) {
        problems.push(`${file}: points at sources that are not in the tarball and embeds no sourcesContent`);
      }
    } catch {
      problems.push(`${file}: not a valid sourcemap`);
    }
  }
  const manifest = JSON.parse(readFileSync(path.join(unpackedDir, "package.json"), "utf8")) as PackageManifest;
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"] as const) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (String(range).startsWith("workspace:")) problems.push(`package.json ${field}.${dep} is still "${range}": pack with pnpm`);
    }
  }
  return problems;
}

export interface PackResult {
  tarball: string;
  name: string;
  version: string;
  files: string[];
}

type PnpmPackJson = { name: string; version: string; filename: string; files: { path: string }[] };

/**
 * `pnpm pack` of the named packages of the workspace at `root` into `outDir`, in one pnpm run:
 * pnpm's start-up (nearly a second of CPU) is most of what packing a package costs. Returns the
 * packs in the order of `names`.
 */
export async function packWorkspacePackages(root: string, names: string[], outDir: string, runner: Runner = defaultRunner): Promise<PackResult[]> {
  const filters = names.map((name) => `--filter=${name}`);
  const result = await runner("pnpm", ["--recursive", ...filters, "pack", "--pack-destination", outDir, "--json"], { cwd: root, capture: true });
  if (result.status !== 0) throw new Error(`pnpm pack failed in ${root}:\n${result.stderr || result.stdout}`);
  const json = result.stdout.slice(result.stdout.search(/[[{]/));
  const packs = ([] as PnpmPackJson[]).concat(JSON.parse(json) as PnpmPackJson | PnpmPackJson[]).map((p) => ({ tarball: p.filename, name: p.name, version: p.version, files: p.files.map((f) => f.path).sort() }));
  return names.map((name) => {
    const pack = packs.find((p) => p.name === name);
    if (!pack) throw new Error(`pnpm pack in ${root} did not pack ${name}`);
    return pack;
  });
}

export interface CheckOptions {
  runner?: Runner;
}

/** Checks one tarball: file rules, contents, publint and attw. */
export async function checkTarball(pack: PackResult, options: CheckOptions = {}): Promise<TarballReport> {
  const runner = options.runner ?? defaultRunner;
  const problems = filesListProblems(pack.files);
  const unpacked = mkdtempSync(path.join(os.tmpdir(), "otpkit-tarball-"));
  try {
    const untar = await runner("tar", ["-xzf", pack.tarball, "-C", unpacked, "--strip-components=1"], { cwd: unpacked, capture: true });
    if (untar.status !== 0) problems.push(`cannot unpack: ${untar.stderr.trim()}`);
    else problems.push(...contentProblems(unpacked, pack.files));
  } finally {
    rmSync(unpacked, { recursive: true, force: true });
  }
  const report: TarballReport = {
    name: pack.name,
    version: pack.version,
    tarball: pack.tarball,
    sizeBytes: statSync(pack.tarball).size,
    files: pack.files,
    problems,
    ok: false,
  };
  const bytes = readFileSync(pack.tarball);
  report.publint = await publintTarball(bytes);
  if (!report.publint.ok) problems.push("publint found problems");
  report.attw = await attwTarball(bytes);
  if (!report.attw.ok) problems.push("attw (Are The Types Wrong) found problems");
  report.ok = problems.length === 0;
  return report;
}

/** `publint run <tgz> --strict`: fails on an error, and in strict mode a warning is one. */
async function publintTarball(bytes: Buffer): Promise<ToolResult> {
  const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const { messages, pkg } = await publint({ pack: { tarball }, strict: true });
  const lines = messages.map((m) => `${m.type}: ${formatMessage(m, pkg, { color: false }) ?? m.code}`);
  return { ok: !messages.some((m) => m.type === "error"), output: lines.join("\n") || "All good!" };
}

/** `attw <tgz>` with its default (strict) profile: fails on any problem of a package that has types. */
async function attwTarball(bytes: Buffer): Promise<ToolResult> {
  // Loaded on first use: it brings the TypeScript compiler.
  const attw = await import("@arethetypeswrong/core");
  const analysis = await attw.checkPackage(attw.createPackageFromTarballData(new Uint8Array(bytes)));
  if (!analysis.types) return { ok: true, output: "no types to check" };
  const lines = analysis.problems.map((p) => [p.kind, "entrypoint" in p ? `entrypoint "${p.entrypoint}"` : "", "resolutionKind" in p ? `(${p.resolutionKind})` : ""].filter(Boolean).join(" "));
  return { ok: lines.length === 0, output: lines.join("\n") || "No problems found" };
}

/** Human-readable report of one tarball: its files, then each check. */
export function formatReport(report: TarballReport): string {
  const lines = [`${report.name}@${report.version}: ${path.basename(report.tarball)}, ${(report.sizeBytes / 1024).toFixed(1)} kB, ${report.files.length} files`];
  for (const file of report.files) lines.push(`    ${file}`);
  lines.push(`  files list: ${report.problems.some((p) => !/^(publint|attw)/.test(p)) ? "FAILED" : "ok"}`);
  for (const p of report.problems.filter((x) => !/^(publint|attw)/.test(x))) lines.push(`    ✗ ${p}`);
  if (report.publint) {
    lines.push(`  publint: ${report.publint.ok ? "ok" : "FAILED"}`);
    if (!report.publint.ok) lines.push(indent(report.publint.output));
  }
  if (report.attw) {
    lines.push(`  attw: ${report.attw.ok ? "ok" : "FAILED"}`);
    if (!report.attw.ok) lines.push(indent(report.attw.output));
  }
  return lines.join("\n");
}

const indent = (text: string) =>
  text
    .split("\n")
    .map((l) => `      ${l}`)
    .join("\n");


