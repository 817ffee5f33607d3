import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const src = join(import.meta.dirname, "../src");
const files = readdirSync(src).filter((f) => f.endsWith(".ts"));
const imports = (text: string) => [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s*["']([^"']+)["']/gm)].map((m) => m[1]!);

describe("portability: runs wherever WHATWG fetch exists", () => {
  it("imports nothing but its own modules and openapi-fetch", () => {
    const external = new Set(files.flatMap((f) => imports(readFileSync(join(src, f), "utf8"))).filter((i) => !i.startsWith("./")));
    expect([...external]).toEqual(["openapi-fetch"]);
  });

  it("uses no Node-only globals", () => {
    for (const file of files) {
      const code = readFileSync(join(src, file), "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      expect(code, file).not.toMatch(/\b(process\.|Buffer\.|require\(|__dirname|__filename|global\.)/);
    }
  });

  it("depends on an openapi-fetch whose own code imports no Node built-in", () => {
    const entry = readFileSync(join(import.meta.dirname, "../node_modules/openapi-fetch/dist/index.mjs"), "utf8");
    expect(imports(entry)).toEqual([]);
  });
});
