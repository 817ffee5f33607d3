import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // vitest's default is one worker less than the cores: a single worker on a 2-core CI runner, so
    // these files ran one after the other. Most of their time is spent waiting on child processes
    // (git, changesets, pnpm pack, attw, tsx, Prism), so three files at a time keep both cores busy.
    maxWorkers: 3,
    reporters: ["default", ["json", { outputFile: ".vitest/report.json" }]],
  },
});
