/**
 * The bundle-size gate: bundles each vendor package as a browser app uses it (the same entries
 * and esbuild settings as `pnpm bench size`), reports each against the size budget in budget.ts
 * (the ceiling), and exits 1 when any of them is over it. Needs the packages built.
 *
 *   pnpm --filter @otpkit/bench run check-size
 */
import { BUNDLE_GZIP_CEILING } from "./budget.ts";
import { fmt } from "./lib/report.ts";
import { VENDORS, vendorInfo } from "./lib/vendors.ts";
import { measureVendor } from "./size.ts";

let failed = 0;
for (const vendor of VENDORS) {
  const { bundle } = await measureVendor(vendor, false);
  const pass = bundle.gzip <= BUNDLE_GZIP_CEILING;
  if (!pass) failed++;
  console.log(
    `${pass ? "PASS" : "FAIL"}  ${vendorInfo[vendor].pkg.padEnd(22)} ${fmt(bundle.gzip).padStart(6)} B gzip (${fmt(bundle.code.length)} B min)` +
      ` ${pass ? "≤" : ">"} ceiling ${fmt(BUNDLE_GZIP_CEILING)} B`,
  );
}
if (failed) {
  console.error(
    `\ncheck-size: ${failed} of ${VENDORS.length} vendor bundles exceed the ${fmt(BUNDLE_GZIP_CEILING)} B gzip ceiling (bench/budget.ts). ` +
      "`pnpm bench size` shows which parts the bytes come from (bench/RESULTS.md).",
  );
  process.exit(1);
}
console.log(`\ncheck-size: every vendor bundle is within the ${fmt(BUNDLE_GZIP_CEILING)} B gzip ceiling.`);
