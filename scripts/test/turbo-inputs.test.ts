/**
 * turbo replays a cached task when none of its inputs changed, so a task's inputs must name every
 * file it runs. A vendor package's `test` task runs code from outside the package: the contract
 * harness (scripts/contract), the Prism harness and its watchdog (scripts/prism), the spec reader
 * (scripts/lib) and the generator's naming rules (scripts/generate/model.ts). If one of those is not
 * an input, a change to the harness replays yesterday's green run instead of testing.
 *
 * This follows the relative imports from each vendor package's test files and vitest config, and
 * checks that every file reached outside the package matches one of the `test` task's inputs in
 * packages/<vendor>/turbo.json. It also checks the one dependency turbo cannot infer: the root
 * tasks `release:dry-run` and `typecheck:all` wait for the build of every public package.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { vendors, type Vendor } from "../prism/index.ts";
import { listWorkspacePackages } from "../release/workspace.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const rel = (file: string) => path.relative(root, file).split(path.sep).join("/");

/** Static, side-effect and dynamic imports with a relative specifier. */
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm;

function resolveImport(from: string, specifier: string): string | undefined {
  const target = path.resolve(path.dirname(from), specifier);
  const candidates = [target, target.replace(/\.js$/, ".ts"), target.replace(/\.mjs$/, ".mts"), `${target}.ts`, path.join(target, "index.ts")];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** Every file reachable from `entries` through relative imports (generated-code templates that do not resolve are skipped). */
function importGraph(entries: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!/\.[cm]?[jt]s$/.test(file) || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    for (const [, specifier] of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const target = resolveImport(file, specifier!);
      if (target) queue.push(target);
    }
  }
  return seen;
}

/** A turbo input glob as a RegExp over repository-relative paths (`**` any depth, `*` one segment). */
function globRegExp(glob: string, packageDir: string): RegExp {
  const full = glob.startsWith("$TURBO_ROOT$/") ? glob.slice("$TURBO_ROOT$/".length) : `${rel(packageDir)}/${glob}`;
  const source = full
    .split(/(\*\*\/?|\*)/)
    .map((part) => (part === "**" || part === "**/" ? ".*" : part === "*" ? "[^/]*" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`);
}

function taskInputs(vendor: Vendor, task: string): string[] {
  const config = JSON.parse(readFileSync(path.join(root, "packages", vendor, "turbo.json"), "utf8")) as { tasks: Record<string, { inputs?: string[] }> };
  return config.tasks[task]?.inputs ?? [];
}

/** The files outside `packageDir` reached from `entries` that no input glob of the task matches. */
function uncovered(entries: readonly string[], inputs: readonly string[], packageDir: string): string[] {
  const globs = inputs.filter((i) => !i.startsWith("!") && !i.startsWith("$TURBO_DEFAULT$")).map((i) => globRegExp(i, packageDir));
  return [...importGraph(entries)]
    .filter((file) => !file.startsWith(packageDir + path.sep))
    .map(rel)
    .filter((file) => !globs.some((glob) => glob.test(file)))
    .sort();
}

describe.each(vendors)("packages/%s/turbo.json", (vendor) => {
  const packageDir = path.join(root, "packages", vendor);

  test("the test task's inputs cover every file outside the package that its tests import", () => {
    const testDir = path.join(packageDir, "test");
    const entries = [
      ...readdirSync(testDir, { recursive: true, encoding: "utf8" }).filter((f) => /\.[cm]?ts$/.test(f)).map((f) => path.join(testDir, f)),
      path.join(packageDir, "vitest.config.ts"),
    ];
    const reached = [...importGraph(entries)].map(rel);
    // The harness really is reached, so the check below is not vacuous.
    expect(reached).toEqual(expect.arrayContaining(["scripts/contract/suite.ts", "scripts/prism/global-setup.ts", "scripts/prism/index.ts", "scripts/lib/specs.ts"]));
    expect(uncovered(entries, taskInputs(vendor, "test"), packageDir)).toEqual([]);
  });

  test("the generate task's inputs cover every file the generator imports", () => {
    const entries = [path.join(root, "scripts", "bin", "generate.mjs")];
    expect([...importGraph(entries)].map(rel)).toEqual(expect.arrayContaining(["scripts/generate/cli.ts", "scripts/lib/specs.ts"]));
    expect(uncovered(entries, taskInputs(vendor, "generate"), packageDir)).toEqual([]);
  });
});

test("//#lint:generated's inputs cover every file the generator imports", () => {
  const config = JSON.parse(readFileSync(path.join(root, "turbo.json"), "utf8")) as { tasks: Record<string, { inputs?: string[] }> };
  const globs = (config.tasks["//#lint:generated"]?.inputs ?? []).filter((i) => !i.startsWith("!")).map((i) => globRegExp(`$TURBO_ROOT$/${i}`, root));
  const reached = [...importGraph([path.join(root, "scripts", "bin", "generate.mjs")])].map(rel);
  expect(reached).toEqual(expect.arrayContaining(["scripts/generate/cli.ts", "scripts/lib/specs.ts"]));
  expect(reached.filter((file) => !globs.some((glob) => glob.test(file)))).toEqual([]);
});

test("the glob matcher reads turbo's globs", () => {
  const dir = path.join(root, "packages", "smscx");
  expect(globRegExp("$TURBO_ROOT$/scripts/prism/**", dir).test("scripts/prism/index.ts")).toBe(true);
  expect(globRegExp("$TURBO_ROOT$/scripts/prism/**", dir).test("scripts/prismatic.ts")).toBe(false);
  expect(globRegExp("$TURBO_ROOT$/specs/smscx.yaml", dir).test("specs/smscx.yaml")).toBe(true);
  expect(globRegExp("$TURBO_ROOT$/specs/smscx.yaml", dir).test("specs/smscxayaml")).toBe(false);
  expect(globRegExp("src/*.ts", dir).test("packages/smscx/src/index.ts")).toBe(true);
  expect(globRegExp("src/*.ts", dir).test("packages/smscx/src/generated/client.ts")).toBe(false);
});

// `pnpm test` runs every task in one turbo run. The release dry run packs every public package
// from its dist/, and the workspace type check reads every package's declarations from its dist/
// (and its generated sources); a root task cannot say "after every build" (`^build` means the
// root's own dependencies, and it has none), so turbo.json lists the builds; a package missing from
// the list would be packed or checked while it builds, or before.
test.each(["//#release:dry-run", "//#typecheck:all"])("%s (a root task of `pnpm test`) runs after the build of every public package", (task) => {
  const config = JSON.parse(readFileSync(path.join(root, "turbo.json"), "utf8")) as { tasks: Record<string, { dependsOn?: string[] }> };
  const builds = (config.tasks[task]?.dependsOn ?? []).sort();
  const publicPackages = listWorkspacePackages(root).filter((p) => !p.private);
  expect(publicPackages.length).toBeGreaterThan(0);
  expect(builds).toEqual(publicPackages.map((p) => `${p.name}#build`).sort());
});
