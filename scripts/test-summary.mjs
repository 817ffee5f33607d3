#!/usr/bin/env node
// The last lines of `pnpm test`: one summary over every package's vitest run, read from the JSON
// reports the runs wrote (turbo restores them on a cache hit, so a cached run still reports).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const folders = [...readdirSync(path.join(root, "packages")).map((p) => path.join("packages", p)), "scripts", "bench"];
const rows = [];
for (const folder of folders) {
  const file = path.join(root, folder, ".vitest", "report.json");
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, "utf8"));
  const name = JSON.parse(readFileSync(path.join(root, folder, "package.json"), "utf8")).name;
  const files = report.testResults?.length ?? report.numTotalTestSuites;
  rows.push({ name, files, tests: report.numTotalTests, passed: report.numPassedTests, failed: report.numFailedTests, skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0) });
}
if (!rows.length) {
  console.error("test summary: no vitest report found (.vitest/report.json); did the tests run?");
  process.exit(1);
}
const total = rows.reduce((t, r) => ({ files: t.files + r.files, tests: t.tests + r.tests, passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }), { files: 0, tests: 0, passed: 0, failed: 0, skipped: 0 });
const width = Math.max(...rows.map((r) => r.name.length), 5);
console.log("\notpkit test summary");
for (const r of rows) console.log(`  ${r.name.padEnd(width)}  ${String(r.files).padStart(3)} files  ${String(r.passed).padStart(4)} passed  ${r.failed ? `${r.failed} FAILED` : "0 failed"}${r.skipped ? `  ${r.skipped} skipped` : ""}`);
console.log(`  ${"total".padEnd(width)}  ${String(total.files).padStart(3)} files  ${String(total.passed).padStart(4)} passed  ${total.failed ? `${total.failed} FAILED` : "0 failed"}${total.skipped ? `  ${total.skipped} skipped` : ""}`);
console.log(total.failed ? "\nTests failed." : `\nAll ${total.tests} tests passed in ${rows.length} packages.`);
process.exit(total.failed ? 1 : 0);
