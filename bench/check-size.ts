/**
 * The bundle-size gate: bundles each vendor package as a browser app uses it (the same entries
 * and esbuild settings as `pnpm bench size`), reports each against the budget in budget.ts, and
 * exits 1 when any of them is over the limit it enforces: the ceiling by default (what CI runs,
 * while the budget is not met), the budget itself with `--budget`. Needs the packages built.
 *
 *   pnpm --filter @otpkit/bench run check-size [--budget]
 */
import { BUNDLE_GZIP_BUDGET, BUNDLE_GZIP_CEILING } from "./budget.ts";
import { fmt } from "./lib/report.ts";
import { VENDORS, vendorInfo } from "./lib/vendors.ts";
import { measureVendor, measureVerify } from "./size.ts";

const strict = process.argv.includes("--budget");
const limit = strict ? BUNDLE_GZIP_BUDGET : BUNDLE_GZIP_CEILING;
const name = strict ? "budget" : "ceiling";
let failed = 0;
let overBudget = 0;
for (const vendor of VENDORS) {
  const { bundle, withoutValidation } = await measureVendor(vendor, false);
  const pass = bundle.gzip <= limit;
  if (!pass) failed++;
  if (bundle.gzip > BUNDLE_GZIP_BUDGET) overBudget++;
  console.log(
    `${pass ? "PASS" : "FAIL"}  ${vendorInfo[vendor].pkg.padEnd(22)} ${fmt(bundle.gzip).padStart(6)} B gzip (${fmt(bundle.code.length)} B min)` +
      ` ${pass ? "≤" : ">"} ${name} ${fmt(limit)} B` +
      (bundle.gzip > BUNDLE_GZIP_BUDGET ? `; budget ${fmt(BUNDLE_GZIP_BUDGET)} B not met (over by ${fmt(bundle.gzip - BUNDLE_GZIP_BUDGET)} B, ${fmt(withoutValidation.gzip)} B without validation)` : ""),
  );
}
// @otpkit/verify holds two vendors, so the per-vendor limits do not apply: reported, not gated.
const verify = await measureVerify(false);
console.log(`INFO  ${"@otpkit/verify + smscx + ding".padEnd(30)} ${fmt(verify.bundle.gzip).padStart(6)} B gzip (${fmt(verify.bundle.code.length)} B min); two vendors in one bundle, no budget set`);
if (failed) {
  console.error(
    `\ncheck-size: ${failed} of ${VENDORS.length} vendor bundles exceed the ${fmt(limit)} B gzip ${name} (bench/budget.ts). ` +
      "`pnpm bench size` shows which parts the bytes come from (bench/RESULTS.md).",
  );
  process.exit(1);
}
console.log(
  `\ncheck-size: every vendor bundle is within the ${fmt(limit)} B gzip ${name}` +
    (overBudget ? `; ${overBudget} of ${VENDORS.length} are over the ${fmt(BUNDLE_GZIP_BUDGET)} B budget (issue 9, open).` : "."),
);
