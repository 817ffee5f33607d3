import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // test/types.test-d.ts is checked by `pnpm typecheck` (../../tsconfig.json), not a second tsc here.
    testTimeout: 15_000,
    // The files share no module state (no module mocks; the files that patch a global, fake the
    // timers or stub crypto put them back in a finally or an afterEach), so a worker loads the runtime and undici once, not once per file: the
    // suite takes less than half the CPU time, with the same tests and the same coverage.
    isolate: false,
    reporters: ["default", ["json", { outputFile: ".vitest/report.json" }]],
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      reporter: ["text-summary", "text"],
      thresholds: { lines: 95, branches: 95, functions: 95, statements: 95 },
    },
  },
});
