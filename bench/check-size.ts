/**
 * The bundle-size gate: bundles each vendor package as a browser app uses it (the same entries
 * and esbuild settings as `pnpm bench size`) and exits 1 when any of them is over the gzip budget
 * in budget.ts. Needs the packages built (`pnpm build`; the bench package's turbo tasks depend on
 * `^build`).
 *
 *   pnpm --filter @otpkit/bench run check-size
 */
import { BUNDLE_GZIP_BUDGET } from "./budget.ts";
import { fmt } from "./lib/report.ts";
import { VENDORS, vendorInfo } from "./lib/vendors.ts";
import { measureVendor } from "./size.ts";

let failed = 0;
for (const vendor of VENDORS) {
  const { bundle, pass, withoutValidation } = await measureVendor(vendor, false);
  if (!pass) failed++;
  console.log(
    `${pass ? "PASS" : "FAIL"}  ${vendorInfo[vendor].pkg.padEnd(22)} ${fmt(bundle.gzip).padStart(6)} B gzip (${fmt(bundle.code.length)} B min)` +
      ` ${pass ? "≤" : ">"} budget ${fmt(BUNDLE_GZIP_BUDGET)} B` +
      (pass ? "" : `: over by ${fmt(bundle.gzip - BUNDLE_GZIP_BUDGET)} B; ${fmt(withoutValidation.gzip)} B gzip without validation`),
  );
}
if (failed) {
  console.error(
    `\ncheck-size: ${failed} of ${VENDORS.length} vendor bundles exceed the ${fmt(BUNDLE_GZIP_BUDGET)} B gzip budget (bench/budget.ts). ` +
      "`pnpm bench size` shows which parts the bytes come from (bench/RESULTS.md).",
  );
  process.exit(1);
}
console.log(`\ncheck-size: every vendor bundle is within ${fmt(BUNDLE_GZIP_BUDGET)} B gzip.`);
