/**
 * The vitest configuration of every package whose suites run against the Prism mocks (the vendor
 * packages and @otpkit/verify), kept in one place so that their files, reports and time limits
 * cannot drift apart. Each package's `vitest.config.ts` is `export default prismSuiteConfig()`;
 * its `test/global-setup.ts` names the specs it needs (./global-setup.ts).
 */
import { defineConfig } from "vitest/config";

export interface PrismSuiteOptions {
  /** Milliseconds one test may take (default 20 s; a suite whose tests chain several vendors' calls takes more). */
  readonly testTimeout?: number;
}

export function prismSuiteConfig(options: PrismSuiteOptions = {}) {
  return defineConfig({
    test: {
      include: ["test/**/*.test.ts"],
      globalSetup: ["./test/global-setup.ts"],
      // The type tests (test/**/*.test-d.ts) are checked by `pnpm typecheck` (one tsc program for the
      // workspace, ../../tsconfig.json), which fails on a broken `expectTypeOf`; vitest's own
      // typecheck would start a second tsc per package over the same files.
      testTimeout: options.testTimeout ?? 20_000,
      // The files share no module state (no module mocks, no patched globals: each builds its own
      // clients), so one worker loads the package and the harness once, not once per file.
      isolate: false,
      // Prism's start counts here; a loaded 2-core machine has taken most of a minute.
      hookTimeout: 60_000,
      reporters: ["default", ["json", { outputFile: ".vitest/report.json" }]],
    },
  });
}
