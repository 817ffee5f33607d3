/**
 * `pnpm --filter @otpkit/scripts run --silent check-tarballs [--keep-temp]`
 *
 * The CI tarball check: packs every public package as it is now (run `pnpm build` first) with
 * `pnpm pack`, lists each tarball's files and checks it with publint, attw and the files-list
 * rules (see tarballs.ts). Exit codes: 0 all good, 1 a check failed or a package is not built,
 * 2 bad arguments.
 */
import { parseArgs } from "node:util";
import { checkAllTarballs } from "./release.ts";

function main(): number {
  let values: { "keep-temp"?: boolean | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2).filter((a) => a !== "--"),
      options: { "keep-temp": { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
    }));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  if (values.help) {
    console.log("Usage: pnpm --filter @otpkit/scripts run check-tarballs [--keep-temp]\n\nPacks and checks every public package's tarball (build first).");
    return 0;
  }
  return checkAllTarballs({ cwd: process.cwd(), keepTemp: values["keep-temp"] === true }).ok ? 0 : 1;
}

process.exitCode = main();
