/**
 * `pnpm --filter @otpkit/scripts run --silent check-tarballs [--keep-temp]`
 *
 * The CI tarball check: packs every public package as it is now (run `pnpm build` first) with
 * `pnpm pack`, lists each tarball's files and checks it with publint, attw and the files-list
 * rules (see tarballs.ts). Exit codes: 0 all good, 1 a check failed or a package is not built,
 * 2 bad arguments.
 */
import { parseFlags } from "../lib/cli.ts";
import { checkAllTarballs } from "./release.ts";

const usage = "Usage: pnpm --filter @otpkit/scripts run check-tarballs [--keep-temp]\n\nPacks and checks every public package's tarball (build first).";

async function main(): Promise<number> {
  const values = parseFlags({ "keep-temp": { type: "boolean" } }, usage);
  if (typeof values === "number") return values;
  return (await checkAllTarballs({ cwd: process.cwd(), keepTemp: values["keep-temp"] === true })).ok ? 0 : 1;
}

process.exitCode = await main();
