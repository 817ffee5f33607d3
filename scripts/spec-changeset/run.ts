/**
 * `pnpm spec:changeset [--base REF] [--dry-run]`: compares each `specs/*.yaml` with its version at
 * the base ref, classifies every change, and writes one changeset per affected vendor package
 * into `.changeset/`. See ./README.md.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isObject, parseSpec, type OpenApiDocument } from "../lib/specs.ts";
import { classifyNewSpec, classifyRemovedSpec, classifySpecChange, type Classification } from "./classify.ts";
import { changesetsSince } from "./changesets.ts";
import { listFilesAt, repoRoot, resolveBase, showFile, short, type BaseRef } from "./git.ts";
import { isSpecChangesetFor, renderChangeset, type RenderedChangeset } from "./render.ts";

export const SPECS_DIR = "specs";
export const CHANGESET_DIR = ".changeset";

export interface SpecPackage {
  name: string;
  version: string;
  dir: string;
  private: boolean;
}

/** `specs/<vendor>.yaml` is generated into `packages/<vendor>`; returns that package, if any. */
export function packageForSpec(root: string, vendor: string): SpecPackage | undefined {
  const dir = path.join(root, "packages", vendor);
  const file = path.join(dir, "package.json");
  if (!existsSync(file)) return undefined;
  const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string; private?: boolean };
  if (!pkg.name) return undefined;
  return { name: pkg.name, version: pkg.version ?? "0.0.0", dir, private: pkg.private === true };
}

export type SpecStatus = "unchanged" | "no-api-change" | "changed" | "new" | "removed";

export interface SpecResult {
  vendor: string;
  specFile: string;
  status: SpecStatus;
  classification?: Classification;
  packageName?: string;
  changeset?: RenderedChangeset;
  /** What happened in `.changeset/`. */
  action: "written" | "up-to-date" | "none" | "skipped" | "would-write" | "covered";
  /** Older changesets of this tool for the same spec that this run deleted (superseded). */
  removed: string[];
  note?: string;
}

export interface SpecDiff {
  vendor: string;
  specFile: string;
  status: SpecStatus;
  classification?: Classification;
  oldDoc?: OpenApiDocument;
  newDoc?: OpenApiDocument;
}

/** The spec files at the base and in the working tree, classified. */
export function diffSpecs(root: string, base: string): SpecDiff[] {
  const specsNow = existsSync(path.join(root, SPECS_DIR))
    ? readdirSync(path.join(root, SPECS_DIR)).filter((f) => /\.ya?ml$/.test(f)).map((f) => `${SPECS_DIR}/${f}`)
    : [];
  const specsThen = listFilesAt(root, base, SPECS_DIR).filter((f) => /^specs\/[^/]+\.ya?ml$/.test(f));
  const files = [...new Set([...specsNow, ...specsThen])].sort();
  return files.map((specFile) => {
    const vendor = path.basename(specFile).replace(/\.ya?ml$/, "");
    const before = showFile(root, base, specFile);
    const afterPath = path.join(root, specFile);
    const after = existsSync(afterPath) ? readFileSync(afterPath, "utf8") : undefined;
    if (before === after) return { vendor, specFile, status: "unchanged" };
    const oldDoc = before === undefined ? undefined : parseSpec(before, `${specFile} at ${short(base)}`);
    const newDoc = after === undefined ? undefined : parseSpec(after, specFile);
    if (!oldDoc) return { vendor, specFile, status: "new", classification: classifyNewSpec(newDoc!), newDoc };
    if (!newDoc) return { vendor, specFile, status: "removed", classification: classifyRemovedSpec(oldDoc), oldDoc };
    const classification = classifySpecChange(oldDoc, newDoc);
    return { vendor, specFile, status: classification.changes.length ? "changed" : "no-api-change", classification, oldDoc, newDoc };
  });
}

/** The changeset `spec:changeset` would write for one spec diff (undefined when none is needed). */
export function changesetForDiff(root: string, diff: SpecDiff): RenderedChangeset | undefined {
  if (!diff.classification || !["changed", "new", "removed"].includes(diff.status)) return undefined;
  const pkg = packageForSpec(root, diff.vendor);
  if (!pkg || pkg.private) return undefined;
  const doc = diff.newDoc ?? diff.oldDoc!;
  const info = isObject(doc.info) ? doc.info : {};
  return renderChangeset({
    vendor: diff.vendor,
    specFile: diff.specFile,
    packageName: pkg.name,
    packageVersion: pkg.version,
    title: typeof info.title === "string" ? info.title : diff.vendor,
    apiVersion: typeof info.version === "string" ? info.version : undefined,
    classification: diff.classification,
    status: diff.status as "changed" | "new" | "removed",
  });
}

export interface RunOptions {
  cwd: string;
  base?: string | undefined;
  /** Print what would be written, write nothing. */
  dryRun?: boolean;
  log?: (line: string) => void;
}

export interface RunResult {
  base: BaseRef;
  specs: SpecResult[];
  written: string[];
  removed: string[];
}

export function runSpecChangeset(options: RunOptions): RunResult {
  const log = options.log ?? ((line: string) => console.log(line));
  const root = repoRoot(options.cwd);
  const base = resolveBase(root, { base: options.base, onMainWithoutTag: "first-commit" })!;
  log(`Comparing specs/*.yaml with ${base.label} (${short(base.commit)}): ${base.reason}`);

  const changesetDir = path.join(root, CHANGESET_DIR);
  const existing = existsSync(changesetDir) ? readdirSync(changesetDir) : [];
  const atBase = new Set(listFilesAt(root, base.commit, CHANGESET_DIR).map((f) => path.basename(f)));
  const pending = changesetsSince(root, base.commit);
  const results: SpecResult[] = [];
  const written: string[] = [];
  const removedAll: string[] = [];

  for (const diff of diffSpecs(root, base.commit)) {
    const result: SpecResult = { vendor: diff.vendor, specFile: diff.specFile, status: diff.status, action: "none", removed: [] };
    if (diff.classification) result.classification = diff.classification;
    results.push(result);
    // Changesets this tool wrote for this spec since the base: superseded by what this run finds.
    const ours = existing.filter((f) => isSpecChangesetFor(diff.vendor, f) && !atBase.has(f));
    const pkg = packageForSpec(root, diff.vendor);
    if (pkg) result.packageName = pkg.name;

    const changeset = changesetForDiff(root, diff);
    if (!changeset) {
      if (diff.status === "unchanged") log(`- ${diff.specFile}: unchanged.`);
      else if (diff.status === "no-api-change") {
        log(`- ${diff.specFile}: the file changed, but nothing the API or the SDK depends on (formatting, comments, $ref layout): no changeset needed.`);
      } else if (!pkg) {
        result.action = "skipped";
        result.note = `no package at packages/${diff.vendor}/package.json`;
        log(`- ${diff.specFile}: ${diff.status}, but ${result.note}: no changeset written.`);
      } else if (pkg.private) {
        result.action = "skipped";
        result.note = `${pkg.name} is private (not released)`;
        log(`- ${diff.specFile}: ${diff.status}, but ${result.note}: no changeset written.`);
      }
      result.removed = removeFiles(changesetDir, ours, options.dryRun, log);
      removedAll.push(...result.removed);
      continue;
    }

    // A new package whose first release a changeset (a hand-written one, usually) already
    // announces as minor or major needs no second "new package" entry.
    if (diff.status === "new") {
      const covering = pending.filter((c) => !isSpecChangesetFor(diff.vendor, path.basename(c.file)) && c.releases.some((r) => r.name === pkg!.name && (r.type === "minor" || r.type === "major")));
      if (covering.length) {
        result.action = "covered";
        log(`- ${diff.specFile}: new spec, so a new package; its first release is already announced by ${covering.map((c) => c.file).join(", ")}: no changeset written.`);
        result.removed = removeFiles(changesetDir, ours, options.dryRun, log);
        removedAll.push(...result.removed);
        continue;
      }
    }

    result.changeset = changeset;
    const counts = { major: 0, minor: 0, patch: 0 };
    for (const e of changeset.entries) counts[e.bump]++;
    const what =
      diff.status === "new"
        ? "new spec, so a new package"
        : diff.status === "removed"
          ? "spec deleted"
          : `${counts.major} breaking, ${counts.minor} non-breaking, ${counts.patch} documentation`;
    const mapped = diff.classification!.bump === "major" && changeset.releaseType !== "major" ? ` (breaking, released as minor while ${pkg!.name} is 0.x)` : "";
    log(`- ${diff.specFile}: ${what} → ${pkg!.name}: ${changeset.releaseType}${mapped}`);
    for (const entry of changeset.entries) log(`    - [${entry.bump}] ${entry.line}`);

    const target = path.join(changesetDir, changeset.fileName);
    const relTarget = `${CHANGESET_DIR}/${changeset.fileName}`;
    result.removed = removeFiles(changesetDir, ours.filter((f) => f !== changeset.fileName), options.dryRun, log);
    removedAll.push(...result.removed);
    if (existsSync(target)) {
      result.action = "up-to-date";
      log(`  ${relTarget} already describes this change: nothing written.`);
    } else if (options.dryRun) {
      result.action = "would-write";
      log(`  would write ${relTarget}:\n\n${indent(changeset.content)}`);
    } else {
      mkdirSync(changesetDir, { recursive: true });
      writeFileSync(target, changeset.content);
      result.action = "written";
      written.push(relTarget);
      log(`  wrote ${relTarget}`);
    }
  }

  if (results.every((r) => r.status === "unchanged")) {
    log(`No spec changed since ${base.label}: nothing to write.`);
  } else if (!written.length && !removedAll.length) {
    log(options.dryRun ? "Dry run: nothing written." : "Nothing to write: .changeset/ is up to date.");
  }
  return { base, specs: results, written, removed: removedAll };
}

function removeFiles(dir: string, files: string[], dryRun: boolean | undefined, log: (line: string) => void): string[] {
  for (const file of files) {
    if (dryRun) {
      log(`  would remove ${CHANGESET_DIR}/${file} (written for an older state of the spec)`);
    } else {
      rmSync(path.join(dir, file));
      log(`  removed ${CHANGESET_DIR}/${file} (written for an older state of the spec)`);
    }
  }
  return files.map((f) => `${CHANGESET_DIR}/${f}`);
}

const indent = (text: string) =>
  text
    .split("\n")
    .map((l) => (l ? `    ${l}` : l))
    .join("\n");
