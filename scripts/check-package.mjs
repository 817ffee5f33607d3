#!/usr/bin/env node
// `pnpm lint` for one published package (run from its folder): the generated code matches the
// spec. The tarball users would install is not packed here: the release dry run
// (`pnpm release:dry-run`, part of `pnpm lint` and `pnpm test`) packs every public package once
// and checks each tarball's files (only what users need: the build's dist/ files, README.md,
// LICENSE, CHANGELOG.md, package.json; and README.md, LICENSE and the four dist/index entry
// files present), publint and attw, in one process: ./release/tarballs.ts.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const cwd = process.cwd();
const pkg = JSON.parse(readFileSync(path.join(cwd, "package.json"), "utf8"));
const run = (cmd, args, options = {}) => execFileSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", ...options });
const failures = [];

// 1. Generated code is derived, never edited.
const vendor = path.basename(cwd);
if (existsSync(path.join(here, "..", "specs", `${vendor}.yaml`))) {
  try {
    console.log(run(process.execPath, [path.join(here, "bin", "generate.mjs"), vendor, "--check"]).trim());
  } catch (error) {
    failures.push(`generated code drifted from specs/${vendor}.yaml:\n${error.stderr || error.message}`);
  }
}

if (failures.length) {
  console.error(`${pkg.name}: ${failures.length} problem(s)\n- ${failures.join("\n- ")}`);
  process.exit(1);
}
console.log(`${pkg.name}: package checks passed`);
