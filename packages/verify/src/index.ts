/**
 * @otpkit/verify: one phone-verification API over the otpkit vendor clients, with a failover that
 * moves to the next provider only when the current one certainly sent nothing.
 *
 * @packageDocumentation
 */
export { createVerifier } from "./verifier.js";
export { smscxProvider, type SmscxProviderOptions } from "./providers/smscx.js";
export { dingProvider, type DingProviderOptions } from "./providers/ding.js";
export { preludeProvider, type PreludeProviderOptions } from "./providers/prelude.js";
export type * from "./types.js";
