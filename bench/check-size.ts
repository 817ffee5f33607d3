/**
 * The bundle-size gate: bundles each vendor package as a browser app uses it (the same entries
 * and esbuild settings as `pnpm bench size`), reports each against its size budget in budget.ts
 * (the ceiling), and exits 1 when any of them is over it. Needs the packages built.
 *
 * It also proves that the mocks for users' tests (`<package>/testing`) did not make the production
 * bundle grow: not one byte of it traces back to a mock's source, or the gate fails. Each mock's own
 * entry is measured and reported beside it, with no limit (no app ships it).
 *
 *   pnpm --filter @otpkit/bench run check-size
 */
import { ceilingOf } from "./budget.ts";
import { bundle } from "./lib/bundle.ts";
import { fmt } from "./lib/report.ts";
import { VENDORS, vendorInfo, verifyEntry } from "./lib/vendors.ts";
import { gateVendor } from "./size.ts";

let failed = 0;
let leaked = 0;
for (const vendor of VENDORS) {
  const { bundle: app, mockBytes, pass, testing } = await gateVendor(vendor);
  if (!pass) failed++;
  if (mockBytes) leaked++;
  console.log(
    `${pass ? "PASS" : "FAIL"}  ${vendorInfo[vendor].pkg.padEnd(22)} ${fmt(app.gzip).padStart(6)} B gzip (${fmt(app.code.length)} B min)` +
      ` ${pass ? "≤" : ">"} ceiling ${fmt(ceilingOf(vendor))} B`,
  );
  if (testing) {
    console.log(
      `${mockBytes ? "FAIL" : "PASS"}  ${`${vendorInfo[vendor].pkg}/testing`.padEnd(30)} ${fmt(testing.gzip).padStart(6)} B gzip (${fmt(testing.code.length)} B min), its own entry: ` +
        `${fmt(mockBytes)} B of it in the production bundle above`,
    );
  }
}
if (leaked) {
  console.error(`\ncheck-size: ${leaked} production bundle(s) carry code of a mock: \`testing\` must stay its own entry (see the packages' tsdown.config.ts).`);
  process.exit(1);
}
// @otpkit/verify holds two vendors, so the per-vendor limits do not apply: reported, not gated.
const verify = await bundle(verifyEntry);
console.log(`INFO  ${"@otpkit/verify + smscx + ding".padEnd(30)} ${fmt(verify.gzip).padStart(6)} B gzip (${fmt(verify.code.length)} B min); two vendors in one bundle, no budget set`);
if (failed) {
  console.error(
    `\ncheck-size: ${failed} of ${VENDORS.length} vendor bundles exceed their gzip ceiling (bench/budget.ts). ` +
      "`pnpm bench size` shows which parts the bytes come from (bench/RESULTS.md).",
  );
  process.exit(1);
}
console.log("\ncheck-size: every vendor bundle is within its gzip ceiling.");
