/**
 * `pnpm bench [section…] [options]`: runs the benchmarks and rewrites their sections of
 * bench/RESULTS.md. Sections: overhead, size, pipeline, tests (default: all). See README.md.
 *
 *   pnpm bench                       all four (pipeline and tests take a few minutes)
 *   pnpm bench overhead size         just those two
 *   pnpm bench overhead --rounds=80  more rounds
 *   pnpm bench pipeline --clone=/tmp/otpkit-pipeline --runs=1
 *
 * Options: --rounds=N --batch=N --warmup=N (overhead), --runs=N (pipeline cold/cached/edit and
 * tests cold/cached repetitions, default 3), --prism-runs=N (default 5), --clone=DIR (reuse a clone
 * instead of making a fresh one; it is not deleted), --keep-clone, --no-write (print, leave
 * RESULTS.md alone).
 */
import { prepareClone, type Clone } from "./lib/clone.ts";
import { environment, fmt, resultsFile, SECTIONS, writeSection, type Section } from "./lib/report.ts";
import { DEFAULT_OVERHEAD, runOverhead } from "./overhead.ts";
import { runPipeline } from "./pipeline.ts";
import { runSize } from "./size.ts";
import { runTests } from "./tests.ts";

const USAGE = `usage: pnpm bench [${SECTIONS.join("|")}]… [--rounds=N] [--batch=N] [--warmup=N] [--runs=N] [--prism-runs=N] [--clone=DIR] [--keep-clone] [--no-write]`;

function parseArgs(argv: readonly string[]) {
  const sections: Section[] = [];
  const flags = new Map<string, string>();
  for (const arg of argv) {
    if (arg === "--") continue;
    const flag = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (flag) flags.set(flag[1]!, flag[2] ?? "true");
    else if ((SECTIONS as readonly string[]).includes(arg)) sections.push(arg as Section);
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  const known = ["rounds", "batch", "warmup", "runs", "prism-runs", "clone", "keep-clone", "no-write", "help"];
  for (const key of flags.keys()) if (!known.includes(key)) throw new Error(`unknown option --${key}\n${USAGE}`);
  const int = (key: string, fallback: number) => {
    const raw = flags.get(key);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${key} must be a whole number ≥ 1, got ${raw}`);
    return n;
  };
  return {
    help: flags.has("help"),
    sections: sections.length ? SECTIONS.filter((s) => sections.includes(s)) : [...SECTIONS],
    overhead: { rounds: int("rounds", DEFAULT_OVERHEAD.rounds), batch: int("batch", DEFAULT_OVERHEAD.batch), warmup: int("warmup", DEFAULT_OVERHEAD.warmup) },
    runs: int("runs", 3),
    prismRuns: int("prism-runs", 5),
    clone: flags.get("clone"),
    keepClone: flags.has("keep-clone"),
    write: !flags.has("no-write"),
  };
}

let args: ReturnType<typeof parseArgs>;
try {
  args = parseArgs(process.argv.slice(2));
} catch (error) {
  console.error(`bench: ${(error as Error).message}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const log = (line: string) => console.log(line);
const env = environment();
const shown = (section: Section, extra = "") => `pnpm bench ${section}${extra}`;
log(`bench: ${args.sections.join(", ")} on ${env.machine}, Node ${env.node}`);

const verdicts: string[] = [];
let clone: Clone | undefined;
try {
  for (const section of args.sections) {
    const started = performance.now();
    let markdown: string;
    switch (section) {
      case "overhead": {
        const o = args.overhead;
        const extra = o.rounds !== DEFAULT_OVERHEAD.rounds || o.batch !== DEFAULT_OVERHEAD.batch || o.warmup !== DEFAULT_OVERHEAD.warmup ? ` --rounds=${o.rounds} --batch=${o.batch} --warmup=${o.warmup}` : "";
        const report = await runOverhead(environment(), o, shown(section, extra), log);
        verdicts.push(`overhead: ${report.pass ? "PASS" : "FAIL"} (named method ≤ 1.15× bare openapi-fetch; reported, not gated)`);
        markdown = report.markdown;
        break;
      }
      case "size": {
        const report = await runSize(environment(), shown(section), log);
        verdicts.push(`size: ${report.pass ? "PASS" : "FAIL"} (${report.vendors.map((v) => `${v.vendor} ${fmt(v.bundle.gzip)} B`).join(", ")} gzip)`);
        markdown = report.markdown;
        break;
      }
      case "pipeline":
      case "tests": {
        clone ??= await prepareClone(args.clone, args.keepClone, log);
        if (section === "pipeline") {
          const report = await runPipeline(environment(), clone, args.runs, shown(section, args.runs !== 3 ? ` --runs=${args.runs}` : ""), log);
          verdicts.push(`pipeline: ${report.pass ? "PASS" : "FAIL"} (full cache hit on rerun; a one-spec edit re-runs only that vendor)`);
          markdown = report.markdown;
        } else {
          const report = await runTests(environment(), clone, { runs: args.runs, prismRuns: args.prismRuns }, shown(section, args.runs !== 3 ? ` --runs=${args.runs}` : ""), log);
          verdicts.push(`tests: pnpm test ${report.pass ? "passed" : "FAILED"}`);
          markdown = report.markdown;
        }
        break;
      }
    }
    if (args.write) writeSection(section, markdown);
    else log(`\n${markdown}\n`);
    log(`bench: ${section} done in ${fmt((performance.now() - started) / 1000, 1)} s`);
  }
} finally {
  clone?.dispose();
}
log("");
for (const line of verdicts) log(line);
if (args.write) log(`bench: wrote ${resultsFile}`);
