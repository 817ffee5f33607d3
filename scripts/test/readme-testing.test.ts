/**
 * The "Testing your app" examples of every vendor README run, as written: each ```ts block of that
 * section is a test file of its own (the vitest example and the msw example), copied to a scratch
 * folder and loaded inside a describe block here, so its tests and hooks run as a user's would,
 * against the built packages, with msw 2.x for the msw examples. The examples also typecheck, with
 * the repository's strict settings.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const scratch = path.join(root, "scripts/.tmp/readme-testing");
rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });

/** The ```ts blocks between `## Testing your app` and the next `## ` heading. */
function testingExamples(readme: string): string[] {
  const start = readme.indexOf("\n## Testing your app\n");
  if (start < 0) return [];
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

for (const vendor of ["smscx", "ding", "equinix-metal", "prelude"]) {
  const examples = testingExamples(readFileSync(path.join(root, "packages", vendor, "README.md"), "utf8"));

  test(`packages/${vendor}/README.md has a "Testing your app" section with a vitest and an msw example`, () => {
    expect(examples.some((code) => code.includes("mock.fetch"))).toBe(true);
    expect(examples.some((code) => code.includes('from "msw"') && code.includes("mock.handle"))).toBe(true);
  });

  examples.forEach((code, i) => {
    const file = path.join(scratch, `${vendor}-${i + 1}.ts`);
    writeFileSync(file, code);
    // Loaded while this block is collected, so the example's tests and hooks belong to it alone.
    describe(`packages/${vendor}/README.md, "Testing your app", example ${i + 1}`, async () => {
      await import(file);
    });
  });
}

test("every example typechecks (strict, as the repository's own code)", () => {
  writeFileSync(path.join(scratch, "tsconfig.json"), JSON.stringify({ extends: "../../../tsconfig.base.json", compilerOptions: { types: ["node"] }, include: ["*.ts"] }));
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  let errors = "";
  try {
    execFileSync(process.execPath, [tsc, "-p", path.join(scratch, "tsconfig.json")], { encoding: "utf8", stdio: "pipe" });
  } catch (error) {
    errors = String((error as { stdout?: string }).stdout || error);
  }
  expect(errors).toBe("");
}, 60_000);
