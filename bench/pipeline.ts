/**
 * Part 3, pipeline: in a throwaway clone (lib/clone.ts), the wall time and turbo's task counts of
 * a cold `pnpm build` (caches and outputs removed first), a fully cached rerun, and a one-line edit
 * to one spec (only that vendor's tasks, and those of the packages built on it, may re-run). Then scripts/turbo-cache-proof.sh, the
 * maintainers' check of the same two claims, is run in the clone and its verdict recorded.
 */
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { assertNotWorkingCopy, run, type Clone, type Run } from "./lib/clone.ts";
import { fmt, median, provenance, table, repoRoot, type Environment } from "./lib/report.ts";
import { readRunSummary } from "./lib/turbo-summary.ts";

export interface BuildRun {
  readonly ms: number;
  /** turbo's own duration from the run summary. */
  readonly turboMs: number;
  readonly total: number;
  readonly cached: number;
  /** Tasks that missed the cache and ran. */
  readonly ran: readonly string[];
}

/** `pnpm build --summarize` in the clone, read back from turbo's run summary. */
export async function summarizedBuild(dir: string, what: string): Promise<BuildRun> {
  const result: Run = await run("pnpm", ["build", "--summarize"], dir);
  if (result.code) throw new Error(`pnpm build failed (${what}) in ${dir}:\n${result.output.slice(-4000)}`);
  const file = /^\s*Summary:\s*(\S+\.json)\s*$/m.exec(result.output)?.[1];
  if (!file || !existsSync(file)) throw new Error(`turbo wrote no run summary (${what})`);
  const summary = readRunSummary(file);
  const ran = summary.tasks.filter((t) => t.cache.status !== "HIT").map((t) => t.taskId);
  return {
    ms: result.ms,
    turboMs: summary.execution.endTime - summary.execution.startTime,
    total: summary.tasks.length,
    cached: summary.tasks.length - ran.length,
    ran,
  };
}

const EDITED_SPEC = "specs/ding.yaml";
const EDITED_PACKAGE = "@otpkit/ding";

/** The packages that depend on the edited one (@otpkit/verify): built on it, they re-run with it. */
function dependentsOf(dir: string, name: string): string[] {
  return readdirSync(path.join(dir, "packages"))
    .map((pkg) => path.join(dir, "packages", pkg, "package.json"))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, "utf8")) as { name: string; dependencies?: Record<string, string> })
    .filter((pkg) => pkg.dependencies?.[name])
    .map((pkg) => pkg.name);
}

/** Removes turbo's cache and every build output, in the clone only. */
function makeCold(dir: string): void {
  assertNotWorkingCopy(dir);
  const doomed = [path.join(dir, "node_modules/.cache/turbo"), path.join(dir, ".turbo")];
  for (const pkg of readdirSync(path.join(dir, "packages"))) {
    for (const sub of ["dist", "src/generated", ".turbo"]) doomed.push(path.join(dir, "packages", pkg, sub));
  }
  for (const target of doomed) rmSync(target, { recursive: true, force: true });
}

export interface PipelineReport {
  readonly markdown: string;
  readonly pass: boolean;
}

export async function runPipeline(env: Environment, clone: Clone, runs: number, command: string, log: (line: string) => void): Promise<PipelineReport> {
  const { dir } = clone;
  const cold: BuildRun[] = [];
  const cached: BuildRun[] = [];
  const edited: BuildRun[] = [];
  const specFile = path.join(dir, EDITED_SPEC);
  for (let i = 1; i <= runs; i++) {
    makeCold(dir);
    cold.push(await summarizedBuild(dir, "cold"));
    log(`pipeline ${i}/${runs}: cold build ${fmt(cold.at(-1)!.ms / 1000, 1)} s`);
    cached.push(await summarizedBuild(dir, "cached"));
    log(`pipeline ${i}/${runs}: cached rerun ${fmt(cached.at(-1)!.ms / 1000, 1)} s`);
    const original = readFileSync(specFile);
    try {
      const newline = original.at(-1) === 0x0a ? "" : "\n";
      writeFileSync(specFile, Buffer.concat([original, Buffer.from(`${newline}# bench edit ${Date.now()}-${process.pid}-${i}\n`)]));
      edited.push(await summarizedBuild(dir, "one-spec edit"));
    } finally {
      writeFileSync(specFile, original);
    }
    log(`pipeline ${i}/${runs}: one-spec edit ${fmt(edited.at(-1)!.ms / 1000, 1)} s, ran ${edited.at(-1)!.ran.join(" ")}`);
    await summarizedBuild(dir, "restore outputs");
  }

  // The maintainers' proof script, from the working copy (the clone has only committed files).
  const script = path.join(repoRoot, "scripts/turbo-cache-proof.sh");
  copyFileSync(script, path.join(dir, "scripts/turbo-cache-proof.sh"));
  const proof = await run("bash", ["scripts/turbo-cache-proof.sh"], dir);
  const proofLines = proof.output.split("\n").filter((l) => /^(PASS|FAIL|cache-proof: (PASS|FAIL))/.test(l));
  log(`pipeline: cache proof exit ${proof.code}`);

  const cachedOk = cached.every((r) => r.ran.length === 0);
  const dependents = dependentsOf(dir, EDITED_PACKAGE);
  const rebuilt = [EDITED_PACKAGE, ...dependents].map((name) => `${name}#`);
  const editOk = edited.every((r) => r.ran.includes(`${EDITED_PACKAGE}#build`) && r.ran.every((t) => rebuilt.some((prefix) => t.startsWith(prefix))));
  const whose = `${EDITED_PACKAGE}'s${dependents.length ? ` and its dependents' (${dependents.join(", ")})` : ""}`;
  const pass = cachedOk && editOk && proof.code === 0;

  const row = (label: string, rs: readonly BuildRun[]) => {
    const ms = rs.map((r) => r.ms);
    const ranSets = [...new Set(rs.map((r) => (r.ran.length && r.ran.length === r.total ? `all ${r.total}` : r.ran.join(", ") || "none")))];
    return [
      label,
      `**${fmt(median(ms) / 1000, 2)} s**`,
      `${fmt(Math.min(...ms) / 1000, 2)}–${fmt(Math.max(...ms) / 1000, 2)} s`,
      `${fmt(median(rs.map((r) => r.turboMs)) / 1000, 2)} s`,
      [...new Set(rs.map((r) => `${r.total - r.cached} ran, ${r.cached} cached, ${r.total} total`))].join("; "),
      ranSets.join("; "),
    ];
  };

  const secs = (rs: readonly BuildRun[]) => `${fmt(median(rs.map((r) => r.ms)) / 1000, 1)} s`;
  const verdictLine = `**Verdict:** ${pass ? "PASS" : "FAIL"}: cold build ${secs(cold)}, fully cached rerun ${secs(cached)} (${cachedOk ? "FULL TURBO" : "NOT a full cache hit"}), one-line spec edit ${secs(edited)} (${editOk ? `only ${whose} ${edited[0]?.ran.length} tasks ran` : "other packages re-ran too"}); cache proof script ${proof.code === 0 ? "passed" : "FAILED"}.`;

  const markdown = `${provenance(env, command, `In a clone at commit ${clone.commit} (committed state; the working copy is never cold-built).`)}

${verdictLine}

${table(
  ["step (`pnpm build`)", `wall, median of ${runs}`, "range", "turbo's own time", "tasks", "tasks that ran (cache misses)"],
  [
    row("cold: turbo cache, `dist/`, `src/generated/` removed", cold),
    row("fully cached rerun", cached),
    row(`one-line edit to \`${EDITED_SPEC}\` (a comment)`, edited),
  ],
  "lrrrll",
)}

- Cached rerun is a full cache hit (FULL TURBO): **${cachedOk ? "yes" : "NO"}**.
- The one-spec edit re-ran only ${whose} tasks: **${editOk ? "yes" : "NO"}**.
- \`scripts/turbo-cache-proof.sh\` (\`pnpm cache:proof\`) in the clone: exit ${proof.code}${proofLines.length ? "; " + proofLines.map((l) => `"${l.trim()}"`).join("; ") : ""}.

How: each of the ${runs} iterations removes \`.turbo\`, \`node_modules/.cache/turbo\` and every package's \`dist/\`,
\`src/generated/\` and \`.turbo/\` in the clone, then runs \`pnpm build --summarize\` three times: cold, again unchanged,
and with a unique comment line appended to \`${EDITED_SPEC}\` (restored afterwards, then one more build puts the
outputs back). Wall time is spawn to exit of \`pnpm build\` (pnpm's own start-up included); task counts and cache
misses come from turbo's run summary (\`.turbo/runs/*.json\`, \`tasks[].cache.status\`).`;

  return { markdown, pass };
}
