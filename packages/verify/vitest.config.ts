import { prismSuiteConfig } from "../../scripts/prism/vitest-config.ts";

// Its failover tests chain calls to two or three vendors, each with its own Prism.
export default prismSuiteConfig({ testTimeout: 60_000 });
