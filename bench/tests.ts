/**
 * Part 4, tests: `pnpm test` wall time in the clone, `--runs` times each (cold: TURBO_FORCE, so
 * every build, lint, typecheck, check and test task runs; then a cached rerun with nothing changed;
 * then "after build": the builds cached, every other task run again, which is issue 18's measure),
 * the CPU time all its processes used, and where the time goes: every
 * task's start and duration from turbo's run summary, and the slowest test files from the vitest
 * reports. Then the Prism mock server's start time per vendor (scripts/prism `startPrism`).
 *
 * Caches outside turbo stay in the clone from one run to the next, as on a developer's machine:
 * tsc's incremental build info (node_modules/.cache/otpkit) and the parsed specs
 * (node_modules/.cache/otpkit-specs). Only the first cold run is as cold as CI on a fresh clone,
 * whose first type check reads every file (about 10 s more CPU).
 */
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { specPath, startPrism, vendors as prismVendors } from "../scripts/prism/index.ts";
import { run, type Clone, type Run } from "./lib/clone.ts";
import { fmt, median, provenance, table, type Environment } from "./lib/report.ts";
import { runSummariesSince, taskTimings, type RunSummary, type TaskTiming } from "./lib/turbo-summary.ts";


/** The turbo command line of the `test` script in `dir`'s package.json (the clone's), as the report names it. */
function testCommand(dir: string): string {
  const scripts = (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  return /turbo run [^&]*?(?= &&|$)/.exec(scripts["test"] ?? "")?.[0] ?? "(no turbo run in the test script)";
}

export interface TestsOptions {
  /** Cold and cached `pnpm test` runs (default 3). */
  readonly runs: number;
  /** Prism starts per vendor (default 5). */
  readonly prismRuns: number;
}

/** The targets of issue 18, on an otherwise idle 2-core machine: the first is for the run after build. */
const TARGET_AFTER_BUILD_S = 90;
const TARGET_CACHED_S = 15;

interface TestRun extends Run {
  readonly kind: "cold" | "cached" | "after-build";
  /** 1-minute load average when the run started. */
  readonly load: number;
  readonly tasks: readonly TaskTiming[];
  readonly files: readonly FileTiming[];
}

interface FileTiming {
  readonly file: string;
  readonly ms: number;
}

const RUN_LABELS: Record<TestRun["kind"], string> = {
  cold: "cold: every task forced (`TURBO_FORCE=true pnpm test`)",
  cached: "cached rerun (`pnpm test` again, nothing changed)",
  "after-build": "after build: every task but the builds and generates taken out of turbo's cache, then `pnpm test`",
};

const secs = (ms: number | undefined, digits = 1) => (ms === undefined ? "–" : `${fmt(ms / 1000, digits)} s`);

/** One `pnpm test` in the clone, with its turbo run summaries and (cold) its test files' durations. */
async function pnpmTest(dir: string, kind: TestRun["kind"]): Promise<TestRun & { summaries: RunSummary[] }> {
  const load = os.loadavg()[0]!;
  const since = Date.now();
  const env: NodeJS.ProcessEnv = { TURBO_RUN_SUMMARY: "true", ...(kind === "cold" ? { TURBO_FORCE: "true" } : {}) };
  const result = await run("pnpm", ["test"], dir, env);
  const summaries = runSummariesSince(dir, since);
  return { ...result, kind, load, summaries, tasks: summaries.flatMap(taskTimings), files: kind === "cached" ? [] : testFiles(dir) };
}

/**
 * Removes from turbo's local cache the results of every task of a run but the builds and
 * generates, so that the next `pnpm test` (nothing changed) takes the builds from the cache and
 * runs every check and test again: "after install and build".
 */
function forgetAllButBuilds(dir: string, summaries: readonly RunSummary[]): void {
  const cache = path.join(dir, ".turbo", "cache");
  const hashes = new Set(summaries.flatMap((s) => s.tasks).filter((t) => !/#(build|generate)$/.test(t.taskId)).map((t) => t.hash));
  for (const file of readdirSync(cache)) if (hashes.has(file.replace(/(-meta\.json|-manifest\.json|\.tar\.zst)$/, ""))) rmSync(path.join(cache, file));
}

/** Every test file's duration, from the vitest JSON reports the run wrote. */
function testFiles(dir: string): FileTiming[] {
  const folders = [...readdirSync(path.join(dir, "packages")).map((p) => path.join("packages", p)), "scripts", "bench"];
  return folders.flatMap((folder) => {
    const file = path.join(dir, folder, ".vitest", "report.json");
    if (!existsSync(file)) return [];
    const report = JSON.parse(readFileSync(file, "utf8")) as { testResults: { name: string; startTime: number; endTime: number }[] };
    return report.testResults.map((t) => ({ file: path.relative(dir, t.name), ms: t.endTime - t.startTime }));
  });
}

/** turbo's "Tasks: / Cached:" lines and the last lines of a failed run. */
function describeRun(r: Run): string {
  const lines = r.output.split("\n").map((l) => l.trim());
  const tasks = lines.filter((l) => /^Tasks:/.test(l)).map((l) => l.replace(/^Tasks:\s*/, "").replace(/\s+/g, " "));
  const cached = lines.filter((l) => /^Cached:/.test(l)).map((l) => l.replace(/^Cached:\s*/, "").replace(/\s+/g, " "));
  const turbo = tasks.map((t, i) => `turbo: ${t} (${cached[i] ?? "?"})`);
  const summary = lines.find((l) => /^All \d+ tests passed|^Tests failed/.test(l));
  const total = lines.find((l) => /^total\s+\d+ files/.test(l))?.replace(/\s+/g, " ");
  if (summary || total) turbo.push(`test-summary: ${[total, summary].filter(Boolean).join("; ")}`);
  const prism = lines.find((l) => /^\[prism\] shared servers/.test(l));
  if (prism) turbo.push(prism.replace(/^\[prism\] /, ""));
  // turbo's "Failed: <task>" lines name the failing tasks; then the first error messages.
  const failedTasks = lines.filter((l) => /^Failed:/.test(l)).map((l) => l.replace(/^Failed:\s*/, ""));
  const errors = lines.filter((l) => /error TS\d+|\bError:|AssertionError|\bFAIL\b|✗|×|ERR_PNPM|ENOENT/.test(l) && !/ELIFECYCLE/.test(l)).slice(0, 4);
  const quote = (l: string) => "`" + l.replace(/`/g, "'").replace(/\|/g, "/").slice(0, 160) + "`";
  const failure = r.code ? [failedTasks.length ? `failed: ${failedTasks.join(", ")}` : "", errors.length ? `first errors: ${errors.map(quote).join(" ")}` : ""] : [];
  return [turbo.join("; "), ...failure].filter(Boolean).join(". ");
}

/** Per task, over the given runs: median start and duration, longest first. */
function taskRows(runs: readonly TestRun[]): string[][] {
  const byTask = new Map<string, TaskTiming[]>();
  for (const r of runs) for (const t of r.tasks) byTask.set(t.taskId, [...(byTask.get(t.taskId) ?? []), t]);
  return [...byTask]
    .map(([taskId, ts]) => ({ taskId, start: median(ts.map((t) => t.startMs)), took: median(ts.map((t) => t.durationMs)) }))
    .filter((t) => t.took >= 50) // packages without the script: turbo lists them, nothing runs
    .sort((a, b) => b.took - a.took)
    .map((t) => [`\`${t.taskId}\``, secs(t.start), `**${secs(t.took)}**`]);
}

/** The slowest test files over the given runs (median). */
function fileRows(runs: readonly TestRun[], count: number): string[][] {
  const byFile = new Map<string, number[]>();
  for (const r of runs) for (const f of r.files) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f.ms]);
  return [...byFile]
    .map(([file, ms]) => ({ file, ms: median(ms) }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count)
    .map((f) => [`\`${f.file}\``, secs(f.ms)]);
}

async function prismStarts(runs: number, log: (line: string) => void): Promise<{ vendor: string; ms: number[] }[]> {
  const result: { vendor: string; ms: number[] }[] = [];
  for (const vendor of prismVendors) {
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const server = await startPrism({ spec: specPath(vendor) });
      ms.push(server.startMs);
      await server.stop();
    }
    result.push({ vendor, ms });
    log(`tests: Prism ${vendor} start median ${fmt(median(ms))} ms`);
  }
  return result;
}

export interface TestsReport {
  readonly markdown: string;
  readonly pass: boolean;
}

export async function runTests(env: Environment, clone: Clone, options: TestsOptions, command: string, log: (line: string) => void): Promise<TestsReport> {
  const runs: TestRun[] = [];
  let previous: readonly RunSummary[] = [];
  for (let i = 1; i <= options.runs; i++) {
    for (const kind of ["cold", "cached", "after-build"] as const) {
      if (kind === "after-build") forgetAllButBuilds(clone.dir, previous);
      const { summaries, ...r } = await pnpmTest(clone.dir, kind);
      previous = summaries;
      runs.push(r);
      log(`tests ${i}/${options.runs}: ${kind} ${secs(r.ms)} (CPU ${secs(r.cpuMs)}, load ${fmt(r.load, 1)}), exit ${r.code}`);
    }
  }
  const prism = await prismStarts(options.prismRuns, log);
  return { markdown: testsMarkdown(env, clone, options, command, runs, prism), pass: runs.every((r) => r.code === 0) };
}

function testsMarkdown(env: Environment, clone: Clone, options: TestsOptions, command: string, runs: readonly TestRun[], prism: { vendor: string; ms: number[] }[]): string {
  const colds = runs.filter((r) => r.kind === "cold");
  const cacheds = runs.filter((r) => r.kind === "cached");
  const afterBuilds = runs.filter((r) => r.kind === "after-build");
  const med = (rs: readonly TestRun[]) => median(rs.map((r) => r.ms));
  const loads = runs.map((r) => r.load);
  const pass = runs.every((r) => r.code === 0);
  const verdictLine = `**Verdict:** \`pnpm test\` ${pass ? "passed" : "FAILED"}: ${secs(med(afterBuilds), 0)} after build (every check and test run again, the builds cached; target ≤ ${TARGET_AFTER_BUILD_S} s), ${secs(med(colds), 0)} cold (every task forced, the builds too), ${secs(med(cacheds))} cached rerun (target ≤ ${TARGET_CACHED_S} s), medians of ${options.runs} at load average ${fmt(Math.min(...loads), 1)}–${fmt(Math.max(...loads), 1)} on ${os.cpus().length} cores; Prism start ${prism
    .map((p) => `${fmt(median(p.ms) / 1000, 2)} s (${p.vendor})`)
    .join(", ")} median.`;

  return `${provenance(env, command, `\`pnpm test\` in a clone at commit ${clone.commit} (committed state); Prism from the working copy's scripts/prism.`)}

${verdictLine}

${table(
  ["run", "wall", "CPU, all processes", "load at start", "passed", "turbo summary / failure"],
  runs.map((r, i) => [
    `${Math.floor(i / 3) + 1}. ${RUN_LABELS[r.kind]}`,
    `**${secs(r.ms)}**`,
    secs(r.cpuMs),
    fmt(r.load, 1),
    r.code === 0 ? "yes" : `**no** (exit ${r.code})`,
    describeRun(r),
  ]),
  "lrrrll",
)}

\`pnpm test\` = \`${testCommand(clone.dir)}\` (one turbo run: each package is built once, and every task runs as soon as what it needs is built; the static checks at nice 10) under \`scripts/prism/shared-cli.ts\` (one Prism host process serves every vendor's mock to every suite), then \`node scripts/test-summary.mjs\`.
tsc's incremental build info and the parsed-spec cache (node_modules/.cache) are kept from one run to the next, so only the first cold run is as cold as a fresh clone.
Wall time is spawn to exit. CPU time is that of every process of the run (user + system, from the kernel's accounting of reaped children): on ${os.cpus().length} cores the wall time cannot be below CPU ÷ ${os.cpus().length}, and it tracks the work done even when other work on the machine stretches the wall time. This machine is shared, so wall times are noisy: compare runs at similar load, and re-measure on an idle machine for the targets.

Where the time goes after build (median over ${afterBuilds.length}; turbo's run summary, \`TURBO_RUN_SUMMARY=true\`; start is from the beginning of the turbo run, longest first):

${table(["task", "starts at", "takes"], taskRows(afterBuilds))}

And in the cold runs, the builds included (median over ${colds.length}):

${table(["task", "starts at", "takes"], taskRows(colds))}

The slowest test files, after build (median; a file's time includes waiting for the CPU while other tasks run):

${table(["test file", "takes"], fileRows(afterBuilds, 15))}

Prism start (spawn \`prism mock <spec> --errors\` on a free loopback port until it answers HTTP), ${options.prismRuns} starts per vendor, one at a time:

${table(
  ["vendor spec", "median ms", "min–max ms", "all runs (ms)"],
  prism.map((p) => [`specs/${p.vendor}.yaml`, `**${fmt(median(p.ms))}**`, `${fmt(Math.min(...p.ms))}–${fmt(Math.max(...p.ms))}`, p.ms.map((m) => fmt(m)).join(", ")]),
)}`;
}
