/**
 * Parsed specs kept on disk between processes, for ./specs.ts.
 *
 * The first YAML parse in a process costs 0.3–0.5 s of CPU (the parser is not yet optimised by the
 * JIT), and one `pnpm test` starts a dozen processes that read the same four specs: every vendor's
 * contract suite, every scripts test worker, the generators and the drift check. So the parsed document is
 * stored in node_modules/.cache/otpkit-specs under the SHA-256 of the text together with the yaml
 * and V8 versions: a changed spec, another yaml release or another Node reads a new entry, never a
 * stale one. Only documents that passed the checks of ./specs.ts are stored. Any problem reading or
 * writing the cache means a parse, exactly as without it.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deserialize, serialize } from "node:v8";

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../node_modules/.cache/otpkit-specs");
/** Entries kept: the four specs, and room for the texts a spec edit or a test makes. */
const KEPT = 32;
const versions = `yaml ${(createRequire(import.meta.url)("yaml/package.json") as { version: string }).version}, v8 ${process.versions.v8}`;

const entry = (text: string) => path.join(dir, `${createHash("sha256").update(`${versions}\n${text}`).digest("hex")}.v8`);

/** The document stored for `text`, or undefined. */
export function cachedParse(text: string): unknown {
  try {
    const file = entry(text);
    const value: unknown = deserialize(readFileSync(file));
    const now = new Date();
    utimesSync(file, now, now); // recently used: kept by prune()
    return value;
  } catch {
    return undefined;
  }
}

/** Stores the parsed `value` of `text` (written whole, then renamed, so no reader sees half of it). */
export function storeParse(text: string, value: unknown): void {
  try {
    mkdirSync(dir, { recursive: true });
    const file = entry(text);
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, serialize(value));
    renameSync(partial, file);
    prune();
  } catch {
    // A cache that cannot be written only costs the next process a parse.
  }
}

/** Drops the entries least recently used beyond KEPT. */
function prune(): void {
  const entries = readdirSync(dir).filter((name) => name.endsWith(".v8"));
  if (entries.length <= KEPT) return;
  const byAge = entries.map((name) => ({ name, used: statSync(path.join(dir, name)).mtimeMs })).sort((a, b) => a.used - b.used);
  for (const { name } of byAge.slice(0, entries.length - KEPT)) rmSync(path.join(dir, name), { force: true });
}
