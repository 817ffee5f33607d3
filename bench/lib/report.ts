/**
 * What every benchmark section shares: statistics, markdown tables, the machine description and
 * the idempotent rewrite of one section of RESULTS.md.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = path.resolve(benchDir, "..");
export const resultsFile = path.join(benchDir, "RESULTS.md");

// ---- statistics -------------------------------------------------------------------------------

/** The q-quantile (0..1) of the values, linear interpolation between closest ranks. */
export function quantile(values: readonly number[], q: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

// ---- formatting -------------------------------------------------------------------------------

export const fmt = (value: number, digits = 0): string =>
  Number.isFinite(value) ? value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "–";

export const pct = (part: number, whole: number): string => (whole ? `${fmt((100 * part) / whole, 1)} %` : "–");

/** A GitHub-flavoured markdown table; `align` is one of l/r per column. */
export function table(head: readonly string[], rows: readonly (readonly string[])[], align?: string): string {
  const a = align ?? "l" + "r".repeat(head.length - 1);
  const rule = head.map((_, i) => (a[i] === "r" ? "---:" : "---"));
  return [head, rule, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

// ---- environment ------------------------------------------------------------------------------

export interface Environment {
  readonly machine: string;
  readonly node: string;
  readonly date: string;
  readonly commit: string;
  /** 1-minute load average when the section started: how busy the shared machine was. */
  readonly load: number;
}

function git(args: readonly string[], cwd = repoRoot): string {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

/** The commit, plus a note when files the numbers depend on differ from it. */
export function describeCommit(cwd = repoRoot, paths: readonly string[] = ["packages", "specs", "scripts", "bench", "turbo.json", "package.json"]): string {
  const commit = git(["rev-parse", "--short", "HEAD"], cwd) || "unknown";
  const dirty = git(["status", "--porcelain", "--", ...paths], cwd)
    .split("\n")
    .filter(Boolean)
    .filter((line) => !line.endsWith("RESULTS.md")).length;
  return dirty ? `${commit} + ${dirty} uncommitted change(s) in the working tree` : commit;
}

export function environment(): Environment {
  const cpus = os.cpus();
  const gib = os.totalmem() / 2 ** 30;
  return {
    machine: `${cpus[0]?.model.trim() ?? "unknown CPU"}, ${cpus.length} cores, ${fmt(gib, 1)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    commit: describeCommit(),
    load: os.loadavg()[0]!,
  };
}

/** The line under each section's title: when, where and how it was measured. */
export function provenance(env: Environment, command: string, extra = ""): string {
  const load = `load average ${fmt(env.load, 1)} at the start (other work on the machine; ${os.cpus().length} cores)`;
  return `_Measured ${env.date} on ${env.machine}; Node ${env.node}; commit ${env.commit}; ${load}. Command: \`${command}\`.${extra ? " " + extra : ""}_`;
}

// ---- RESULTS.md -------------------------------------------------------------------------------

/** The sections of RESULTS.md, in document order. */
export const SECTIONS = ["overhead", "size", "pipeline", "tests"] as const;
export type Section = (typeof SECTIONS)[number];

const TITLES: Record<Section, string> = {
  overhead: "1. Request overhead",
  size: "2. Bundle size",
  pipeline: "3. Pipeline",
  tests: "4. Tests",
};

const HEADER = `# otpkit benchmark results

Written by \`pnpm bench\` (bench/run.ts). Each section is regenerated on its own by
\`pnpm bench <section>\` (${SECTIONS.join(", ")}); the others are left as they were, so every
section carries its own date, machine and commit. How each number is measured, and why:
[README.md](README.md). Budgets: [budget.ts](budget.ts).
`;

const start = (s: Section) => `<!-- bench:${s}:start -->`;
const end = (s: Section) => `<!-- bench:${s}:end -->`;

/** Replaces one section of RESULTS.md (creating the file or the section as needed). */
export function writeSection(section: Section, body: string): void {
  const existing = existsSync(resultsFile) ? readFileSync(resultsFile, "utf8") : "";
  const blocks = new Map<Section, string>();
  for (const s of SECTIONS) {
    const from = existing.indexOf(start(s));
    const to = existing.indexOf(end(s));
    if (from >= 0 && to > from) blocks.set(s, existing.slice(from + start(s).length, to).trim());
  }
  blocks.set(section, `## ${TITLES[section]}\n\n${body.trim()}`);
  // The summary at the top: each section's "**Verdict:**" line and date, rebuilt from the sections.
  const summary = SECTIONS.map((s) => {
    const block = blocks.get(s);
    const verdict = block && /^\*\*Verdict:\*\*\s*(.*)$/m.exec(block)?.[1];
    const date = block && /_Measured (\S+)/.exec(block)?.[1];
    return `- **${TITLES[s]}**: ${verdict ? `${verdict} _(${date ?? "undated"})_` : "not measured yet."}`;
  });
  const parts = [`${HEADER}\n## Summary\n\n${summary.join("\n")}\n`];
  for (const s of SECTIONS) {
    parts.push(`${start(s)}\n${blocks.get(s) ?? `## ${TITLES[s]}\n\nNot measured yet: run \`pnpm bench ${s}\`.`}\n${end(s)}\n`);
  }
  writeFileSync(resultsFile, parts.join("\n"));
}
