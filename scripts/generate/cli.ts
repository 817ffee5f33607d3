/**
 * `otpkit-generate <vendor> [--check]`: regenerates packages/<vendor>/src/generated from
 * specs/<vendor>.yaml. `--check` writes nothing and fails when the files on disk differ from what
 * the spec generates (a hand edit, or a spec changed without `pnpm build`).
 *
 * `otpkit-generate --spec FILE --out DIR --package NAME [--version V]` generates from any spec into
 * any folder (used by the regeneration test).
 *
 * `otpkit-generate --not-sent-readme FILE <vendor>... [--check]` rewrites the "not sent" tables of a
 * README (packages/verify) from those vendors' specs.
 *
 * `otpkit-generate --check-all` (`pnpm lint:generated`, the root task `//#lint:generated`) checks,
 * in one process, what every workspace package's `generate` script writes: each package's
 * generator command line, run from its folder with `--check`. One process loads the generator and
 * openapi-typescript once for all of them, where a check per package loaded them once per package.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { emit } from "./emit.ts";
import { buildModel } from "./model.ts";
import { inWords, withNotSentTables } from "./not-sent.ts";
import { withMethods } from "./readme.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface GenerateOptions {
  specPath: string;
  outDir: string;
  packageName: string;
  version: string;
  specLabel?: string;
  /** A README whose method section is regenerated too (between its markers). */
  readme?: string;
  check?: boolean;
}

/** Generates (or, with `check`, compares); returns the names of files that differ. */
export async function generate(options: GenerateOptions): Promise<string[]> {
  const model = buildModel({
    specPath: options.specPath,
    specLabel: options.specLabel ?? path.relative(root, options.specPath),
    packageName: options.packageName,
    version: options.version,
  });
  const files = await emit(model, path.resolve(options.specPath));
  const drift: string[] = [];
  const expected = new Set(files.map((f) => f.name));
  const present = existsSync(options.outDir) ? readdirSync(options.outDir) : [];
  for (const file of files) {
    const target = path.join(options.outDir, file.name);
    const current = existsSync(target) ? readFileSync(target, "utf8") : undefined;
    if (current !== file.content) drift.push(file.name);
  }
  for (const stray of present.filter((name) => !expected.has(name))) drift.push(stray);
  let readme: string | undefined;
  if (options.readme && existsSync(options.readme)) {
    const current = readFileSync(options.readme, "utf8");
    readme = withMethods(current, model);
    if (readme !== undefined && readme !== current) drift.push(path.basename(options.readme));
  }
  if (!options.check) {
    if (readme !== undefined) writeFileSync(options.readme!, readme);
    rmSync(options.outDir, { recursive: true, force: true });
    mkdirSync(options.outDir, { recursive: true });
    for (const file of files) writeFileSync(path.join(options.outDir, file.name), file.content);
  }
  return drift;
}

/** The model of `specs/<vendor>.yaml`, named as its package is. */
function vendorModel(vendor: string) {
  const pkg = JSON.parse(readFileSync(path.join(root, "packages", vendor, "package.json"), "utf8")) as { name: string; version: string };
  const specPath = path.join(root, "specs", `${vendor}.yaml`);
  return buildModel({ specPath, specLabel: path.relative(root, specPath), packageName: pkg.name, version: pkg.version });
}

/** Rewrites (or with `check`, compares) a README's not-sent tables; true when it differs. */
export function notSentReadme(readmePath: string, vendors: readonly string[], check: boolean): boolean {
  if (!vendors.length) throw new Error("--not-sent-readme needs the vendors whose specs it reads: otpkit-generate --not-sent-readme README.md smscx ding");
  const current = readFileSync(readmePath, "utf8");
  const next = withNotSentTables(current, vendors.map(vendorModel));
  if (next === undefined) throw new Error(`${readmePath} has no <!-- not-sent:start --> … <!-- not-sent:end --> markers`);
  if (!check && next !== current) writeFileSync(readmePath, next);
  return next !== current;
}

/**
 * Runs one generator command line (its arguments after `generate.mjs`) from `cwd`, as a package's
 * `generate` script does; returns false when `--check` found a difference.
 */
async function run(args: string[], cwd: string): Promise<boolean> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      check: { type: "boolean", default: false },
      spec: { type: "string" },
      out: { type: "string" },
      package: { type: "string" },
      version: { type: "string" },
      "not-sent-readme": { type: "string" },
    },
  });
  const notSentTarget = values["not-sent-readme"];
  if (notSentTarget) {
    const target = path.relative(process.cwd(), path.resolve(cwd, notSentTarget));
    const differs = notSentReadme(path.resolve(cwd, notSentTarget), positionals, values.check);
    if (values.check && differs) {
      console.error(`${target}: its not-sent tables differ from ${inWords(positionals.map((v) => `specs/${v}.yaml`))}; run \`pnpm build\`.`);
      return false;
    }
    console.log(`${target}: not-sent tables ${values.check ? "match" : differs ? "rewritten from" : "unchanged, from"} ${inWords(positionals.map((v) => `specs/${v}.yaml`))}`);
    return true;
  }
  let options: GenerateOptions;
  if (values.spec) {
    if (!values.out || !values.package) throw new Error("--spec needs --out and --package");
    options = { specPath: path.resolve(cwd, values.spec), outDir: path.resolve(cwd, values.out), packageName: values.package, version: values.version ?? "0.0.0", check: values.check };
  } else {
    const vendor = positionals[0];
    if (!vendor || positionals.length !== 1) throw new Error("usage: otpkit-generate <vendor> [--check] | --spec FILE --out DIR --package NAME [--version V] | --check-all");
    const packageDir = path.join(root, "packages", vendor);
    const pkg = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as { name: string; version: string };
    options = {
      specPath: path.join(root, "specs", `${vendor}.yaml`),
      outDir: path.join(packageDir, "src", "generated"),
      packageName: pkg.name,
      version: pkg.version,
      readme: path.join(packageDir, "README.md"),
      check: values.check,
    };
  }
  const drift = await generate(options);
  const where = path.relative(process.cwd(), options.outDir) || ".";
  if (values.check) {
    if (drift.length) {
      console.error(`${where} differs from ${path.relative(root, options.specPath)}: ${drift.join(", ")}.`);
      console.error("Generated files are never edited by hand: change the spec and run `pnpm build` (or `pnpm generate`).");
      return false;
    }
    console.log(`${where} matches ${path.relative(root, options.specPath)}.`);
  } else {
    console.log(`generated ${where} from ${path.relative(root, options.specPath)}${drift.length ? ` (${drift.length} file(s) changed)` : " (unchanged)"}`);
  }
  return true;
}

/** The generator command line of each workspace package whose `generate` script runs this generator. */
function generateScripts(): { dir: string; args: string[] }[] {
  const packagesDir = path.join(root, "packages");
  return readdirSync(packagesDir)
    .filter((name) => existsSync(path.join(packagesDir, name, "package.json")))
    .flatMap((name) => {
      const dir = path.join(packagesDir, name);
      const script = (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { scripts?: Record<string, string> }).scripts?.generate ?? "";
      if (!script.includes("generate.mjs")) return [];
      // Exactly one generator command and its plain arguments: anything else could hide a step this check would skip.
      const command = /^node \S*\bgenerate\.mjs((?: [\w./-]+)+)$/.exec(script);
      if (!command) throw new Error(`packages/${name}: its generate script is not one generator command (\`node …/generate.mjs <args>\`), so --check-all cannot check it: ${script}`);
      return [{ dir, args: command[1]!.trim().split(" ") }];
    });
}

/** `--check-all`: every package's generator command line with `--check`; false when any differs. */
async function checkAll(): Promise<boolean> {
  const scripts = generateScripts();
  if (!scripts.length) throw new Error("--check-all found no package whose generate script runs scripts/bin/generate.mjs");
  let ok = true;
  for (const { dir, args } of scripts) ok = (await run([...args, "--check"], dir)) && ok;
  return ok;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const ok = args.length === 1 && args[0] === "--check-all" ? await checkAll() : await run(args, process.cwd());
  if (!ok) process.exit(1);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
