import { prismSuiteConfig } from "../../scripts/prism/vitest-config.ts";

export default prismSuiteConfig();
