/**
 * `@otpkit/equinix-metal/testing`: an in-process mock of the Equinix Metal OTP endpoints for your
 * own tests. The statuses, error bodies and example values come from specs/equinix-metal.yaml
 * (generated into ./generated/mock.ts); the engine is @otpkit/runtime/testing. Written here by hand
 * is only what the spec cannot say: which codes `findEnsureOtp` accepts, and that regenerating the
 * recovery codes replaces them.
 *
 * @packageDocumentation
 */
import { createMock, type Mock, type MockBehaviour, type MockOptions } from "@otpkit/runtime/testing";
import { mockSpec, type EquinixMetalMockFaults } from "./generated/mock.js";
import type { EquinixMetalOperationId } from "./generated/spec.js";

export { createMockClock, type MockClock, type MockFault, type MockRequest } from "@otpkit/runtime/testing";
export type { EquinixMetalMockFaults };

/** Options of `createEquinixMetalMock`. */
export interface EquinixMetalMockOptions extends MockOptions<EquinixMetalMockFaults> {
  /**
   * The code the user's authenticator app shows: `findEnsureOtp` accepts it at any time. Without
   * it, only the codes `receiveCodes` sent by SMS (`mock.codeFor(apiKey)`) and unused recovery codes
   * are accepted.
   */
  readonly otp?: string;
}

/** The Equinix Metal mock: `fetch`, `handle`, `requests`, `codeFor(apiKey)`, `reset()`. */
export type EquinixMetalMock = Mock<EquinixMetalOperationId>;

/** The user an API key belongs to, as far as the OTP endpoints can tell. */
interface User {
  recoveryCodes: string[];
  sms?: { readonly code: string; readonly sentAt: number };
}

/** A user's first recovery codes: the spec's example list. */
const FIRST_CODES = mockSpec.operations.findRecoveryCodes.responses[200].examples.recoveryCodes.recovery_codes;
/** Equinix documents no lifetime for an SMS code; the mock accepts it for 10 minutes. */
const SMS_LIFETIME = 10 * 60_000;
/** Like the spec's examples: ten codes of ten lower-case hex digits, and six-digit OTPs. */
const RECOVERY = { count: 10, length: 10, alphabet: "0123456789abcdef" } as const;
const OTP_LENGTH = 6;

function behaviour(options: EquinixMetalMockOptions): MockBehaviour<Map<string, User>, EquinixMetalOperationId> {
  // Every endpoint acts on the user the API key belongs to: one user per key.
  const userOf = (users: Map<string, User>, key: string) => users.get(key) ?? users.set(key, { recoveryCodes: [...FIRST_CODES] }).get(key)!;
  return {
    createState: () => new Map(),
    codeFor: (users, apiKey) => users.get(apiKey)?.sms?.code,
    handlers: {
      findEnsureOtp({ state, path, credential, now }) {
        const user = userOf(state, credential);
        const otp = path.otp!;
        if (options.otp !== undefined && otp === options.otp) return { status: 204 };
        if (user.sms?.code === otp) {
          const expired = now.getTime() >= user.sms.sentAt + SMS_LIFETIME;
          delete user.sms; // one use
          return expired ? "otpExpired" : { status: 204 };
        }
        const recovery = user.recoveryCodes.indexOf(otp);
        if (recovery < 0) return "invalidOtp";
        user.recoveryCodes.splice(recovery, 1); // a recovery code works once
        return { status: 204 };
      },
      findRecoveryCodes: ({ state, credential }) => ({ body: { recovery_codes: [...userOf(state, credential).recoveryCodes] } }),
      regenerateCodes({ state, credential, code }) {
        const user = userOf(state, credential);
        user.recoveryCodes = Array.from({ length: RECOVERY.count }, () => code(RECOVERY.length, RECOVERY.alphabet));
        return { body: { recovery_codes: [...user.recoveryCodes] } };
      },
      receiveCodes({ state, credential, now, code }) {
        userOf(state, credential).sms = { code: code(OTP_LENGTH), sentAt: now.getTime() };
        return { status: 204 };
      },
    },
  };
}

/**
 * Creates an in-process, stateful mock of the Equinix Metal OTP endpoints: pass `mock.fetch` as the
 * client's `fetch`, or route requests to `mock.handle` (msw). `receiveCodes` "sends" a six-digit
 * code (`mock.codeFor(apiKey)`: each API key is its own user); `findEnsureOtp` accepts it once within
 * 10 minutes, the configured authenticator code (`otp`) at any time, and each recovery code once;
 * `regenerateCodes` replaces the recovery codes. See the README, "Testing your app".
 *
 * @example
 * ```ts
 * const mock = createEquinixMetalMock({ otp: "246810" });
 * const metal = createEquinixMetalClient({ apiKey: "test", fetch: mock.fetch });
 * await metal.findEnsureOtp({ otp: "246810" });
 * ```
 */
export function createEquinixMetalMock(options: EquinixMetalMockOptions = {}): EquinixMetalMock {
  return createMock(mockSpec, behaviour(options), options);
}
