/**
 * `pnpm spec:changeset [--base REF] [--dry-run]`
 *
 * Writes one changeset per vendor package whose spec changed since the base ref. Exit codes:
 * 0 done (including "nothing changed"), 1 error, 2 bad arguments.
 */
import { isEntry, parseFlags } from "../lib/cli.ts";
import { runSpecChangeset } from "./run.ts";

const usage = `Usage: pnpm spec:changeset [--base REF] [--dry-run]

Compares each specs/*.yaml with its version at the base ref, classifies every change
(major / minor / patch) and writes one changeset per affected vendor package into .changeset/.

  --base REF   compare with the point where HEAD diverged from REF
               (default: merge-base with main; on main, the last @otpkit/*@* release tag;
               without one, the repository's first commit)
  --dry-run    print the changesets instead of writing them
  -h, --help   show this help`;

/** Runs the command with `args` (what follows the script name) in `cwd`; returns the exit code. */
export function main(args: string[] = process.argv.slice(2), cwd: string = process.cwd()): number {
  const values = parseFlags({ base: { type: "string" }, "dry-run": { type: "boolean" } }, usage, args);
  if (typeof values === "number") return values;
  try {
    runSpecChangeset({ cwd, base: values.base, dryRun: values["dry-run"] === true });
    return 0;
  } catch (error) {
    console.error(`spec:changeset failed: ${(error as Error).message}`);
    return 1;
  }
}

if (isEntry(import.meta.url)) process.exitCode = main();
