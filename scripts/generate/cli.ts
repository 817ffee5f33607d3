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

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
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
    const differs = notSentReadme(path.resolve(notSentTarget), positionals, values.check);
    if (values.check && differs) {
      console.error(`${notSentTarget}: its not-sent tables differ from ${inWords(positionals.map((v) => `specs/${v}.yaml`))}; run \`pnpm build\`.`);
      process.exit(1);
    }
    console.log(`${notSentTarget}: not-sent tables ${values.check ? "match" : differs ? "rewritten from" : "unchanged, from"} ${inWords(positionals.map((v) => `specs/${v}.yaml`))}`);
    return;
  }
  let options: GenerateOptions;
  if (values.spec) {
    if (!values.out || !values.package) throw new Error("--spec needs --out and --package");
    options = { specPath: path.resolve(values.spec), outDir: path.resolve(values.out), packageName: values.package, version: values.version ?? "0.0.0", check: values.check };
  } else {
    const vendor = positionals[0];
    if (!vendor || positionals.length !== 1) throw new Error("usage: otpkit-generate <vendor> [--check] | --spec FILE --out DIR --package NAME [--version V]");
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
      process.exit(1);
    }
    console.log(`${where} matches ${path.relative(root, options.specPath)}.`);
  } else {
    console.log(`generated ${where} from ${path.relative(root, options.specPath)}${drift.length ? ` (${drift.length} file(s) changed)` : " (unchanged)"}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
