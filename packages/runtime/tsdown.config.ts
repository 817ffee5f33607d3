import { defineConfig, type UserConfig } from "tsdown";

const common: UserConfig = { format: ["esm", "cjs"], platform: "neutral", target: "es2022", dts: true, sourcemap: true };

// Two builds, not two entries of one: shared modules would then move into a chunk that the main
// entry imports, and the production bundle must stay exactly what it is without the mock engine.
export default defineConfig([
  { ...common, entry: ["src/index.ts"], clean: true },
  { ...common, entry: { testing: "src/testing/index.ts" }, clean: false },
]);
