/**
 * `pnpm --filter @otpkit/scripts run --silent changeset-gate [--base REF]`
 *
 * Fails (exit 1) when a public package or a spec changed since the base ref without a changeset
 * that releases it; see gate.ts. Exit 0 when covered or skipped, 2 on bad arguments.
 */
import { parseFlags } from "../lib/cli.ts";
import { runChangesetGate } from "./gate.ts";

const usage =
  "Usage: pnpm --filter @otpkit/scripts run changeset-gate [--base REF]\n\n" +
  "Fails when a public package or a spec changed since the base ref (default: merge-base with\n" +
  "main; on main, the last release tag; on main without one, the first commit) without a\n" +
  "changeset that releases it.";

function main(): number {
  const values = parseFlags({ base: { type: "string" } }, usage);
  if (typeof values === "number") return values;
  try {
    return runChangesetGate({ cwd: process.cwd(), base: values.base }).ok ? 0 : 1;
  } catch (error) {
    console.error(`changeset gate: ${(error as Error).message}`);
    return 1;
  }
}

process.exitCode = main();
