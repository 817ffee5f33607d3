import { describe, expectTypeOf, it } from "vitest";
import { createEquinixMetalClient, isEquinixMetalApiError, type RecoveryCodeList } from "../src/index.js";

const metal = createEquinixMetalClient({ apiKey: "k" });

describe("@otpkit/equinix-metal types", () => {
  it("takes no input where the API takes none", () => {
    expectTypeOf(metal.receiveCodes()).resolves.toEqualTypeOf<void>();
    expectTypeOf(metal.findRecoveryCodes()).resolves.toEqualTypeOf<RecoveryCodeList>();
    expectTypeOf(metal.regenerateCodes({ timeout: 5000 })).resolves.toEqualTypeOf<RecoveryCodeList>();
  });

  it("requires the OTP to verify", () => {
    expectTypeOf(metal.findEnsureOtp({ otp: "123456" })).resolves.toEqualTypeOf<void>();
    // @ts-expect-error otp is required
    void metal.findEnsureOtp({});
    // @ts-expect-error otp is a string
    void metal.findEnsureOtp({ otp: 123456 });
  });

  it("types error bodies, which carry no code", () => {
    const error: unknown = undefined;
    if (isEquinixMetalApiError(error)) {
      expectTypeOf(error.code).toEqualTypeOf<undefined>();
      expectTypeOf(error.body).toEqualTypeOf<{ error?: string; errors?: string[] } | undefined>();
    }
  });
});
