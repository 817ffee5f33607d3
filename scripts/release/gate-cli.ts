/**
 * `pnpm --filter @otpkit/scripts run --silent changeset-gate [--base REF]`
 *
 * Fails (exit 1) when a public package or a spec changed since the base ref without a changeset
 * that releases it; see gate.ts. Exit 0 when covered or skipped, 2 on bad arguments.
 */
import { isEntry, parseFlags } from "../lib/cli.ts";
import { runChangesetGate } from "./gate.ts";

const usage =
  "Usage: pnpm --filter @otpkit/scripts run changeset-gate [--base REF]\n\n" +
  "Fails when a public package or a spec changed since the base ref (default: merge-base with\n" +
  "main; on main, the last release tag; on main without one, the first commit) without a\n" +
  "changeset that releases it.";

/** Runs the command with `args` (what follows the script name) in `cwd`; returns the exit code. */
export async function main(args: string[] = process.argv.slice(2), cwd: string = process.cwd()): Promise<number> {
  const values = parseFlags({ base: { type: "string" } }, usage, args);
  if (typeof values === "number") return values;
  try {
    return (await runChangesetGate({ cwd, base: values.base })).ok ? 0 : 1;
  } catch (error) {
    console.error(`changeset gate: ${(error as Error).message}`);
    return 1;
  }
}

if (isEntry(import.meta.url)) process.exitCode = await main();
