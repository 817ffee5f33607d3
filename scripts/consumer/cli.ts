/**
 * `pnpm test:consumers [--rows id,id] [--no-upgrade] [--keep-temp]`
 *
 * Exit status: 0 every check passed, 1 a check failed (or, under CI=true, a row was skipped),
 * 2 bad arguments.
 */
import { createStyle } from "../demo/style.ts";
import { parseFlags } from "../lib/cli.ts";
import { repoRoot } from "../spec-changeset/git.ts";
import { tally } from "./report.ts";
import { ROWS } from "./runtimes/index.ts";
import { runSuite } from "./suite.ts";

const usage = `Usage: pnpm test:consumers [options]

Publishes every package with the real \`pnpm release\` (from a temporary clone) to a loopback
Verdaccio, installs them by name with npm, pnpm and bun, runs each package's flow against Prism
mocks on every runtime, type-checks them, then runs the upgrade loop. See scripts/consumer/README.md.

  --rows ID,ID   run only these rows: ${ROWS.map((r) => r.id).join(", ")}
  --no-upgrade   leave out the upgrade loop
  --keep-temp    keep the temporary folder (clone, registry storage, consumers) and print it
  -h, --help     show this help

Environment: CI=true makes a skipped row fail; OTPKIT_TOOLS_CACHE moves the tools cache;
OTPKIT_CHROMIUM names a Chromium executable.`;

async function main(): Promise<number> {
  const values = parseFlags({ rows: { type: "string" }, "no-upgrade": { type: "boolean" }, "keep-temp": { type: "boolean" } }, usage);
  if (typeof values === "number") return values;
  const rows = values.rows?.split(",").map((r) => r.trim()).filter(Boolean) ?? [];
  const unknown = rows.filter((r) => !ROWS.some((row) => row.id === r));
  if (unknown.length) {
    console.error(`unknown row ${unknown.join(", ")}\n\n${usage}`);
    return 2;
  }
  const { verdicts } = await runSuite({
    root: repoRoot(process.cwd()),
    ci: /^(1|true)$/i.test(process.env["CI"] ?? ""),
    rows,
    upgrade: values["no-upgrade"] !== true,
    keepTemp: values["keep-temp"] === true,
    style: createStyle(),
    print: (line = "") => console.log(line),
  });
  const t = tally(verdicts);
  return t.failed || !verdicts.length ? 1 : 0;
}

process.exitCode = await main();
