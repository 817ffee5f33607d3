import { defineConfig, type UserConfig } from "tsdown";

const common: UserConfig = { format: ["esm", "cjs"], platform: "neutral", target: "es2022", dts: true, sourcemap: true };

// Two builds, not two entries of one: the mock would otherwise share chunks with the client, and
// the production entry must stay exactly what it is without it (bench/check-size.ts checks).
export default defineConfig([
  { ...common, entry: ["src/index.ts"], clean: true },
  { ...common, entry: ["src/testing.ts"], clean: false },
]);
