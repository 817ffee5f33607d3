/**
 * `pnpm --filter @otpkit/scripts check-examples [vendor…]`: serves each spec with Prism
 * (`--errors`) and requests every named example; prints each mismatch and exits non-zero on any.
 * The same check runs in CI as scripts/test/examples.test.ts.
 */
import { exampleCases, runExampleCase } from "./lib/example-check.ts";
import { loadSpec } from "./lib/specs.ts";
import { specPath, startPrism, vendors, type Vendor } from "./prism/index.ts";

const requested = process.argv.slice(2);
const unknown = requested.filter((v) => !(vendors as readonly string[]).includes(v));
if (unknown.length) {
  console.error(`unknown vendor ${unknown.join(", ")}; expected one of ${vendors.join(", ")}`);
  process.exit(2);
}
const selected = (requested.length ? requested : vendors) as Vendor[];
let failures = 0;
for (const vendor of selected) {
  const spec = specPath(vendor);
  const cases = exampleCases(loadSpec(spec));
  const prism = await startPrism({ spec });
  try {
    for (const c of cases) {
      const result = await runExampleCase(prism.url, c);
      const mark = result.problems.length ? "FAIL" : "ok  ";
      console.log(`${mark} ${vendor} ${c.operationId} ${c.label}`);
      for (const p of result.problems) console.log(`       ${p}`);
      failures += result.problems.length ? 1 : 0;
    }
  } finally {
    await prism.stop();
  }
}
console.log(failures ? `\n${failures} example case(s) failed` : "\nall example cases passed");
process.exit(failures ? 1 : 0);
