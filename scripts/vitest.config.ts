import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Generous: these tests run git, pnpm and Prism as child processes, and on a 2-core machine
    // shared with other work one such step has taken over 40 s. A hang still fails, only later.
    testTimeout: 150_000,
    hookTimeout: 150_000,
    // vitest's default is one worker less than the cores: a single worker on a 2-core CI runner, so
    // these files ran one after the other. Most of their time is spent waiting on child processes
    // (git, changesets, pnpm pack, attw, tsx, Prism), so three files at a time keep both cores busy.
    maxWorkers: 3,
    reporters: ["default", ["json", { outputFile: ".vitest/report.json" }]],
  },
});
