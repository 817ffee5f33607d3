#!/usr/bin/env node
// `pnpm lint` for one published package (run from its folder): the tarball users would install
// holds only what users need (dist, README, LICENSE, CHANGELOG, package.json). publint and
// @arethetypeswrong/cli judge the same tarballs in the release dry run (`pnpm release:dry-run`, part
// of `pnpm lint` and `pnpm test`: every public package, with the same options as their command
// lines, in one process: ./release/tarballs.ts), so they do not run a second time here. That the
// generated code and READMEs match the specs is checked for every package at once by the root task
// `//#lint:generated` (`otpkit-generate --check-all`, ./generate/cli.ts).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const cwd = process.cwd();
const pkg = JSON.parse(readFileSync(path.join(cwd, "package.json"), "utf8"));
const run = (cmd, args, options = {}) => execFileSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", ...options });
const failures = [];

// The tarball.
if (!existsSync(path.join(cwd, "dist"))) {
  failures.push("dist/ is missing: run `pnpm build` first (turbo's lint task depends on build).");
} else {
  const out = mkdtempSync(path.join(tmpdir(), "otpkit-pack-"));
  try {
    run("pnpm", ["pack", "--pack-destination", out]);
    const tarball = path.join(out, readdirSync(out).find((f) => f.endsWith(".tgz")));
    const files = run("tar", ["-tzf", tarball]).trim().split("\n").map((f) => f.replace(/^package\//, ""));
    const allowed = /^(dist\/.+\.(js|cjs|d\.ts|d\.cts|js\.map|cjs\.map)|README\.md|LICENSE|CHANGELOG\.md|package\.json)$/;
    const unwanted = files.filter((f) => !allowed.test(f));
    if (unwanted.length) failures.push(`the tarball holds files users do not need: ${unwanted.join(", ")}`);
    for (const needed of ["package.json", "README.md", "LICENSE", "dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts"]) {
      if (!files.includes(needed)) failures.push(`the tarball lacks ${needed}`);
    }
    console.log(`${pkg.name}@${pkg.version} tarball: ${files.length} files (${files.join(", ")})`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (failures.length) {
  console.error(`${pkg.name}: ${failures.length} problem(s)\n- ${failures.join("\n- ")}`);
  process.exit(1);
}
console.log(`${pkg.name}: package checks passed`);
