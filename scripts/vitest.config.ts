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
    // The files share nothing through module state (each makes its own temporary repositories,
    // servers and clients; the msw file closes its server), so a worker need not load the tools
    // anew for every file: the suite passes either way, and this takes about 14% less CPU (162 s
    // instead of 188 s for the whole suite, run on its own).
    isolate: false,
    reporters: ["default", ["json", { outputFile: ".vitest/report.json" }]],
  },
});
