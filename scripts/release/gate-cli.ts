/**
 * `pnpm --filter @otpkit/scripts run --silent changeset-gate [--base REF]`
 *
 * Fails (exit 1) when a public package or a spec changed since the base ref without a changeset
 * that releases it; see gate.ts. Exit 0 when covered or skipped, 2 on bad arguments.
 */
import { parseArgs } from "node:util";
import { runChangesetGate } from "./gate.ts";

function main(): number {
  let values: { base?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2).filter((a) => a !== "--"),
      options: { base: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
    }));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  if (values.help) {
    console.log(
      "Usage: pnpm --filter @otpkit/scripts run changeset-gate [--base REF]\n\n" +
        "Fails when a public package or a spec changed since the base ref (default: merge-base with\n" +
        "main; on main, the last release tag; on main without one, the first commit) without a\n" +
        "changeset that releases it.",
    );
    return 0;
  }
  try {
    return runChangesetGate({ cwd: process.cwd(), base: values.base }).ok ? 0 : 1;
  } catch (error) {
    console.error(`changeset gate: ${(error as Error).message}`);
    return 1;
  }
}

process.exitCode = main();
