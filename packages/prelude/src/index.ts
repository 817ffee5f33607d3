// The whole package is generated from its spec (see src/generated, produced by `pnpm build`).
// Nothing vendor-specific is written by hand here: what the spec cannot say lives in its
// x-otpkit-* extensions (specs/README.md).
export * from "./generated/index.js";
