/**
 * Part 4, tests: `pnpm test` wall time in the clone (cold: TURBO_FORCE, so every lint, typecheck,
 * build and test task runs, as in CI on a fresh clone; then a cached rerun), and the Prism mock
 * server's start time per vendor (scripts/prism `startPrism`, as the test suites start it).
 */
import { specPath, startPrism, vendors as prismVendors } from "../scripts/prism/index.ts";
import { run, type Clone, type Run } from "./lib/clone.ts";
import { fmt, median, provenance, table, type Environment } from "./lib/report.ts";

export interface TestsOptions {
  /** Prism starts per vendor (default 5). */
  readonly prismRuns: number;
}

interface TestRun extends Run {
  readonly label: string;
}

/** turbo's "Tasks: / Cached:" lines and the last lines of a failed run. */
function describeRun(r: Run): string {
  const lines = r.output.split("\n").map((l) => l.trim());
  // Two turbo runs: `pnpm run lint` (lint + typecheck), then `turbo run test`.
  const tasks = lines.filter((l) => /^Tasks:/.test(l)).map((l) => l.replace(/^Tasks:\s*/, "").replace(/\s+/g, " "));
  const cached = lines.filter((l) => /^Cached:/.test(l)).map((l) => l.replace(/^Cached:\s*/, "").replace(/\s+/g, " "));
  const turbo = tasks.map((t, i) => `${["lint + typecheck", "test"][i] ?? "turbo"}: ${t} (${cached[i] ?? "?"})`);
  const summary = lines.find((l) => /^All \d+ tests passed|^Tests failed/.test(l));
  const total = lines.find((l) => /^total\s+\d+ files/.test(l))?.replace(/\s+/g, " ");
  if (summary || total) turbo.push(`test-summary: ${[total, summary].filter(Boolean).join("; ")}`);
  // turbo's "Failed: <task>" lines name the failing tasks; then the first error messages.
  const failedTasks = lines.filter((l) => /^Failed:/.test(l)).map((l) => l.replace(/^Failed:\s*/, ""));
  const errors = lines.filter((l) => /error TS\d+|\bError:|AssertionError|\bFAIL\b|✗|×|ERR_PNPM|ENOENT/.test(l) && !/ELIFECYCLE/.test(l)).slice(0, 4);
  const quote = (l: string) => "`" + l.replace(/`/g, "'").replace(/\|/g, "/").slice(0, 160) + "`";
  const failure = r.code ? [failedTasks.length ? `failed: ${failedTasks.join(", ")}` : "", errors.length ? `first errors: ${errors.map(quote).join(" ")}` : ""] : [];
  return [turbo.join("; "), ...failure].filter(Boolean).join(". ");
}

export interface TestsReport {
  readonly markdown: string;
  readonly pass: boolean;
}

export async function runTests(env: Environment, clone: Clone, options: TestsOptions, command: string, log: (line: string) => void): Promise<TestsReport> {
  const runs: TestRun[] = [];
  log("tests: pnpm test, cold (TURBO_FORCE=true)");
  runs.push({
    label: "cold: every task forced (`TURBO_FORCE=true pnpm test`), as CI on a fresh clone",
    ...(await run("pnpm", ["test"], clone.dir, { TURBO_FORCE: "true" })),
  });
  log(`tests: cold ${fmt(runs[0]!.ms / 1000, 1)} s, exit ${runs[0]!.code}`);
  runs.push({ label: "cached rerun (`pnpm test` again, nothing changed)", ...(await run("pnpm", ["test"], clone.dir)) });
  log(`tests: cached ${fmt(runs[1]!.ms / 1000, 1)} s, exit ${runs[1]!.code}`);

  const prism: { vendor: string; ms: number[] }[] = [];
  for (const vendor of prismVendors) {
    const ms: number[] = [];
    for (let i = 0; i < options.prismRuns; i++) {
      const server = await startPrism({ spec: specPath(vendor) });
      ms.push(server.startMs);
      await server.stop();
    }
    prism.push({ vendor, ms });
    log(`tests: Prism ${vendor} start median ${fmt(median(ms))} ms`);
  }

  const pass = runs.every((r) => r.code === 0);
  const verdictLine = `**Verdict:** \`pnpm test\` ${pass ? "passed" : "FAILED"}: ${fmt(runs[0]!.ms / 1000, 0)} s cold (every task forced), ${fmt(runs[1]!.ms / 1000, 1)} s cached; Prism start ${prism
    .map((p) => `${fmt(median(p.ms) / 1000, 2)} s (${p.vendor})`)
    .join(", ")} median.`;

  const markdown = `${provenance(env, command, `\`pnpm test\` in a clone at commit ${clone.commit} (committed state); Prism from the working copy's scripts/prism.`)}

${verdictLine}

${table(
  ["run", "wall", "passed", "turbo summary / failure"],
  runs.map((r) => [r.label, `**${fmt(r.ms / 1000, 1)} s**`, r.code === 0 ? "yes" : `**no** (exit ${r.code})`, describeRun(r)]),
  "lrll",
)}

\`pnpm test\` = \`pnpm run lint\` (turbo lint + typecheck, redocly) \`&& pnpm run release:check && pnpm run size:check && turbo run test && node scripts/test-summary.mjs\`.
Wall time is spawn to exit, on the same shared 2-core machine as everything else, so treat it as indicative.

Prism start (spawn \`prism mock <spec> --errors\` on a free loopback port until it answers HTTP), ${options.prismRuns} starts per vendor, one at a time:

${table(
  ["vendor spec", "median ms", "min–max ms", "all runs (ms)"],
  prism.map((p) => [`specs/${p.vendor}.yaml`, `**${fmt(median(p.ms))}**`, `${fmt(Math.min(...p.ms))}–${fmt(Math.max(...p.ms))}`, p.ms.map((m) => fmt(m)).join(", ")]),
)}`;

  return { markdown, pass };
}
