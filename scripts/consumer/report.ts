/**
 * Judging and printing: a row passes when its runtime is the one asked for, every package's flow
 * ran every step, and the billed call to a closed port was retried exactly where the runtime can
 * prove the request never left. A skipped row is always printed with its reason, and under
 * `CI=true` it counts as a failure. The last line is `consumers: N passed, N failed[, N skipped]`.
 */
import { duration, padEnd, plural, type Style } from "../demo/style.ts";
import type { HarnessResult } from "./harness/run.ts";
import type { RowOutcome, RowSpec } from "./runtimes/types.ts";

export type Verdict = "pass" | "fail" | "skip";

export interface Row {
  readonly label: string;
  /** Package manager and its install time. */
  readonly install: string;
  readonly imports: string;
  readonly flows: string;
  readonly refused: string;
  readonly ms: number;
  readonly verdict: Verdict;
  /** Why it failed or was skipped. */
  readonly problems: readonly string[];
}

/** Problems of a harness result against what the row expects. */
export function harnessProblems(spec: Pick<RowSpec, "runtime" | "refused">, result: HarnessResult, packages: readonly string[]): string[] {
  const problems: string[] = [];
  if (spec.runtime && !result.runtime.startsWith(spec.runtime)) problems.push(`ran on ${result.runtime}, not ${spec.runtime}…`);
  for (const name of packages) {
    const flow = result.flows.find((f) => f.package === name);
    if (!flow) problems.push(`${name}: its flow did not run`);
    else if (!flow.ok) {
      const failed = flow.steps.find((s) => !s.ok);
      problems.push(`${name}: ${failed ? `step "${failed.name}" failed: ${failed.error}` : flow.error}`);
    }
    const refused = result.refused.find((r) => r.package === name);
    const want = spec.refused === "retried" ? { requestSent: false, attempts: 3 } : { requestSent: true, attempts: 1 };
    if (!spec.refused) continue;
    if (!refused) problems.push(`${name}: the billed call to a closed port was not made`);
    else if (refused.error !== "ConnectionError" || refused.requestSent !== want.requestSent || refused.attempts !== want.attempts || refused.requests !== want.attempts) {
      problems.push(
        `${name}: billed call to a closed port: expected ${spec.refused} (ConnectionError, requestSent ${want.requestSent}, ${want.attempts} attempt(s)), got ${refused.error}, requestSent ${refused.requestSent}, ${refused.attempts} attempt(s), ${refused.requests} request(s)`,
      );
    }
  }
  return problems;
}

/** A row from what running it gave. */
export function judgeRow(spec: RowSpec, outcome: RowOutcome, packages: readonly string[], install: string, ms: number): Row {
  const base = { label: spec.label, install, ms, imports: "", flows: "", refused: "" };
  switch (outcome.kind) {
    case "skipped":
      return { ...base, flows: "skipped", verdict: "skip", problems: [outcome.reason] };
    case "failed":
      return { ...base, flows: "failed", verdict: "fail", problems: [outcome.error] };
    case "typescript":
      return {
        ...base,
        imports: "types",
        flows: `${outcome.files} files, ${plural(outcome.errors, "error")}`,
        verdict: outcome.errors === 0 ? "pass" : "fail",
        problems: outcome.errors === 0 ? [] : [outcome.output],
      };
    case "harness": {
      const { result } = outcome;
      const problems = harnessProblems(spec, result, packages);
      const steps = result.flows.flatMap((f) => f.steps);
      const refused = result.refused[0];
      return {
        ...base,
        imports: outcome.imports,
        flows: `${result.flows.filter((f) => f.ok).length}/${packages.length} packages, ${steps.filter((s) => s.ok).length}/${steps.length} steps`,
        refused: refused ? (refused.requestSent === false ? `retried ×${refused.attempts}` : `not retried (${refused.attempts})`) : "",
        verdict: problems.length ? "fail" : "pass",
        problems,
      };
    }
  }
}

/** Under CI a skipped row fails: every row must be present there. */
export function underCi(row: Row, ci: boolean): Row {
  return ci && row.verdict === "skip" ? { ...row, verdict: "fail", problems: [...row.problems, "skipped rows fail under CI=true"] } : row;
}

const COLUMNS = [
  ["runtime", 28],
  ["install", 12],
  ["imports", 16],
  ["flows", 28],
  ["closed port", 15],
  ["time", 8],
] as const;

/** The table, one line per row, then each failed or skipped row's reasons. */
export function renderTable(rows: readonly Row[], style: Style): string[] {
  const mark = (v: Verdict) => (v === "pass" ? style.green("ok") : v === "skip" ? style.yellow("SKIPPED") : style.red("FAILED"));
  const lines = [style.dim(`${COLUMNS.map(([name, width]) => padEnd(name, width)).join(" ")} result`)];
  for (const row of rows) {
    const cells = [row.label, row.install, row.imports, row.flows, row.refused, duration(row.ms)];
    lines.push(`${cells.map((cell, i) => padEnd(cell, COLUMNS[i]![1])).join(" ")} ${mark(row.verdict)}`);
  }
  for (const row of rows.filter((r) => r.verdict !== "pass")) {
    lines.push("", `${row.verdict === "skip" ? style.yellow("skipped") : style.red("failed")}: ${row.label}`);
    for (const problem of row.problems) lines.push(...problem.split("\n").map((l) => `  ${l}`));
  }
  return lines;
}

export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

export function tally(verdicts: readonly Verdict[]): Tally {
  return {
    passed: verdicts.filter((v) => v === "pass").length,
    failed: verdicts.filter((v) => v === "fail").length,
    skipped: verdicts.filter((v) => v === "skip").length,
  };
}

/** The closing line (a form CI's log reader counts). */
export const summaryLine = (t: Tally): string => `consumers: ${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ""}`;
