/**
 * Bundles an entry the way a browser app would (esbuild: bundle, minify, ESM, platform browser),
 * gzips it at level 9, and attributes every byte of the minified output to the source it came
 * from, through the output source map. esbuild follows the input source maps of the packages'
 * dist files (tsdown writes them), so bytes are traced back to the original modules:
 * `packages/runtime/src/validate.ts`, `packages/smscx/src/generated/spec.ts`, openapi-fetch's
 * `src/index.js`. Bytes with no mapping (esbuild's glue between modules) are "unmapped".
 */
import { build, type Metafile } from "esbuild";
import type ts from "typescript";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { benchDir, repoRoot } from "./report.ts";

export interface Bundle {
  /** The minified output. */
  readonly code: Buffer;
  readonly gzip: number;
  /** esbuild's own per-input-file count (dist files), a cross-check of the source-map numbers. */
  readonly metafileInputs: ReadonlyMap<string, number>;
  /** For each output byte, the index into `owners` of what produced it. */
  readonly owner: Uint16Array;
  /** What produced the bytes: `{ source, line, column }` from the source map, or unmapped. */
  readonly owners: readonly Origin[];
}

export interface Origin {
  /** Repository-relative path of the original source, or "" when unmapped. */
  readonly source: string;
  readonly line: number;
  readonly column: number;
  /** The original file's text, when the map carries it. */
  readonly content: string | undefined;
}

export const gzipSize = (bytes: Uint8Array): number => gzipSync(bytes, { level: 9 }).length;

/** Bundles one entry module (its text; imports resolve from bench/, or from `resolveDir`). */
export async function bundle(entry: string, resolveDir = benchDir): Promise<Bundle> {
  const result = await build({
    stdin: { contents: entry, resolveDir, sourcefile: "entry.js", loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
    sourcemap: "external",
    sourcesContent: true,
    outfile: path.join(benchDir, "out", "entry.js"),
    logLevel: "silent",
    legalComments: "none",
  });
  const js = result.outputFiles.find((f) => f.path.endsWith(".js"))!;
  const map = JSON.parse(result.outputFiles.find((f) => f.path.endsWith(".map"))!.text) as RawMap;
  const code = Buffer.from(js.contents);
  const { owner, owners } = attribute(code, map, path.dirname(js.path));
  return { code, gzip: gzipSize(code), metafileInputs: inputsOf(result.metafile), owner, owners };
}

function inputsOf(metafile: Metafile): Map<string, number> {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined || Object.keys(o.inputs).length)!;
  return new Map(Object.entries(output.inputs).map(([file, { bytesInOutput }]) => [file, bytesInOutput]));
}

interface RawMap {
  readonly sources: readonly string[];
  readonly sourcesContent?: readonly (string | null)[];
  readonly mappings: string;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** Decodes one segment's base64 VLQ fields. */
function decodeSegment(segment: string): number[] {
  const fields: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = DIGIT.get(char);
    if (digit === undefined) throw new Error(`bad source map character ${char}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = shift = 0;
    }
  }
  return fields;
}

/**
 * Gives every output byte an owner: the mapping segment it falls in (from the segment's column to
 * the next segment's). Columns count UTF-16 units; they are converted to byte offsets per line.
 */
function attribute(code: Buffer, map: RawMap, outDir: string): { owner: Uint16Array; owners: Origin[] } {
  const owners: Origin[] = [{ source: "", line: 0, column: 0, content: undefined }];
  const ownerIndex = new Map<string, number>();
  const owner = new Uint16Array(code.length);
  const sources = map.sources.map((s) => path.relative(repoRoot, path.resolve(outDir, s)).split(path.sep).join("/"));
  const text = code.toString("utf8");
  const lines = text.split("\n");
  let byteOffset = 0;
  let src = 0;
  let origLine = 0;
  let origCol = 0;
  const mappingLines = map.mappings.split(";");
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l]!;
    const segments: { col: number; who: number }[] = [];
    let col = 0;
    for (const raw of (mappingLines[l] ?? "").split(",")) {
      if (!raw) continue;
      const f = decodeSegment(raw);
      col += f[0]!;
      let who = 0;
      if (f.length >= 4) {
        src += f[1]!;
        origLine += f[2]!;
        origCol += f[3]!;
        const key = `${src}:${origLine}:${origCol}`;
        who = ownerIndex.get(key) ?? 0;
        if (!who) {
          who = owners.push({ source: sources[src]!, line: origLine, column: origCol, content: map.sourcesContent?.[src] ?? undefined }) - 1;
          if (who > 0xffff) throw new Error("too many source positions for a Uint16Array");
          ownerIndex.set(key, who);
        }
      }
      segments.push({ col, who });
    }
    // Fill the line's bytes: before the first segment unmapped, then each segment up to the next.
    let unit = 0;
    let byte = byteOffset;
    let current = 0;
    for (let s = 0; s <= segments.length; s++) {
      const nextCol = s < segments.length ? segments[s]!.col : line.length;
      const bytes = Buffer.byteLength(line.slice(unit, nextCol));
      owner.fill(current, byte, byte + bytes);
      byte += bytes;
      unit = nextCol;
      if (s < segments.length) current = segments[s]!.who;
    }
    byteOffset = byte + 1; // the newline stays unmapped (0)
  }
  return { owner, owners };
}

/** Sums bytes per label; `label` sees each owner once. */
export function bytesBy<L extends string>(bundle: Bundle, label: (origin: Origin) => L): Map<L, number> {
  const labels = bundle.owners.map(label);
  const totals = new Map<L, number>();
  for (const index of bundle.owner) {
    const l = labels[index]!;
    totals.set(l, (totals.get(l) ?? 0) + 1);
  }
  return totals;
}

/** The output with the bytes of the given labels cut out, gzipped: what the bundle would weigh without them. */
export function gzipWithout<L extends string>(bundle: Bundle, label: (origin: Origin) => L, removed: ReadonlySet<L>): { min: number; gzip: number } {
  const labels = bundle.owners.map(label);
  return gzipCut(bundle, (i) => removed.has(labels[bundle.owner[i]!]!));
}

/**
 * Marks (1) every byte of text inside a string or template literal of the minified output (the
 * quotes, backticks and `${…}` delimiters stay unmarked): messages, hints, header names, property
 * keys. Found by parsing the output with TypeScript, so a quote inside a regular expression is
 * never mistaken for one.
 */
export async function literalText(bundle: Bundle): Promise<Uint8Array> {
  // Loaded here, not at the top: TypeScript takes most of a second to load, and the size gate
  // (check-size.ts) bundles without it.
  const { default: typescript } = await import("typescript");
  const file = typescript.createSourceFile("bundle.js", bundle.code.toString("latin1"), typescript.ScriptTarget.Latest, true, typescript.ScriptKind.JS);
  const inside = new Uint8Array(bundle.code.length);
  const mark = (from: number, to: number) => inside.fill(1, from, Math.max(from, to));
  const visit = (node: ts.Node): void => {
    const start = node.getStart(file);
    switch (node.kind) {
      case typescript.SyntaxKind.StringLiteral:
      case typescript.SyntaxKind.NoSubstitutionTemplateLiteral:
      case typescript.SyntaxKind.TemplateTail:
        mark(start + 1, node.end - 1);
        break;
      case typescript.SyntaxKind.TemplateHead:
      case typescript.SyntaxKind.TemplateMiddle:
        mark(start + 1, node.end - 2);
        break;
    }
    typescript.forEachChild(node, visit);
  };
  visit(file);
  return inside;
}

/** The output with the bytes `cut` picks (by index) cut out, gzipped. */
export function gzipCut(bundle: Bundle, cut: (index: number) => boolean): { min: number; gzip: number } {
  const kept: number[] = [];
  for (let i = 0; i < bundle.code.length; i++) if (!cut(i)) kept.push(bundle.code[i]!);
  const rest = Buffer.from(kept);
  return { min: rest.length, gzip: gzipSize(rest) };
}
