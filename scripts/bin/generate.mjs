#!/usr/bin/env node
// Runs the TypeScript generator without a build step: tsx is resolved from this package, so any
// workspace package can call `node ../../scripts/bin/generate.mjs <vendor>`.
import { register } from "tsx/esm/api";

register();
process.argv.splice(1, 1, new URL("../generate/cli.ts", import.meta.url).pathname);
await import("../generate/cli.ts");
