import { describe, expectTypeOf, it } from "vitest";
import {
  ApiError,
  createVendorClient,
  OutcomeError,
  type ApiPromise,
  type ResponseMetadata,
  type RetryEvent,
  type VendorClient,
} from "../src/index.js";
import { type AcmePaths, vendor } from "./helpers/vendor.js";

describe("public types", () => {
  it("types the raw client from the vendor's paths", () => {
    const client = createVendorClient<AcmePaths>(vendor, { apiKey: "k" });
    expectTypeOf(client).toEqualTypeOf<VendorClient<AcmePaths>>();
    expectTypeOf(client.raw.GET("/status/{id}", { params: { path: { id: "x" } } })).resolves.toHaveProperty("data");
    // @ts-expect-error an unknown path does not compile
    void client.raw.GET("/nope");
  });

  it("gives withMetadata() the data and the metadata", () => {
    const promise = {} as ApiPromise<{ state: string }>;
    expectTypeOf(promise).resolves.toEqualTypeOf<{ state: string }>();
    expectTypeOf(promise.withMetadata()).resolves.toEqualTypeOf<{ data: { state: string }; metadata: ResponseMetadata }>();
  });

  it("narrows errors by their type parameters", () => {
    type VerifyError = ApiError<"VerifyPin", { error: { code: number } }, 2029 | 2025, "invalid_pin" | "otp_expired">;
    const error = {} as VerifyError;
    expectTypeOf(error.operationId).toEqualTypeOf<"VerifyPin">();
    expectTypeOf(error.code).toEqualTypeOf<2029 | 2025 | undefined>();
    expectTypeOf(error.type).toEqualTypeOf<"invalid_pin" | "otp_expired" | undefined>();
    expectTypeOf(error.body).toEqualTypeOf<{ error: { code: number } } | undefined>();
    expectTypeOf(error.status).toEqualTypeOf<number>();
    const outcome = {} as OutcomeError<"check", { status?: string }, "invalid" | "expired_auth">;
    expectTypeOf(outcome.outcome).toEqualTypeOf<"invalid" | "expired_auth">();
  });

  it("hands onRetry a typed event", () => {
    createVendorClient(vendor, { apiKey: "k", retry: { onRetry: (event) => expectTypeOf(event).toEqualTypeOf<RetryEvent>() } });
  });

  it("refuses options of the wrong type at compile time", () => {
    // @ts-expect-error timeout is a number of milliseconds
    createVendorClient(vendor, { apiKey: "k", timeout: "5s" });
  });
});
