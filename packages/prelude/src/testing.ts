/**
 * `@otpkit/prelude/testing`: an in-process mock of Prelude's Verify API v2 for your own tests. The
 * statuses, error bodies and example values come from specs/prelude.yaml (generated into
 * ./generated/mock.ts); the engine is @otpkit/runtime/testing.
 *
 * @packageDocumentation
 */
import { createMock, type Mock, type MockOptions } from "@otpkit/runtime/testing";
import { mockSpec, type PreludeMockFaults } from "./generated/mock.js";
import type { PreludeOperationId } from "./generated/spec.js";

export { createMockClock, type MockClock, type MockFault, type MockRequest } from "@otpkit/runtime/testing";
export type { PreludeMockFaults };

/** Options of `createPreludeMock`: a clock, faults per operation, a random source. */
export type PreludeMockOptions = MockOptions<PreludeMockFaults>;

/** The Prelude mock: `fetch`, `handle`, `requests`, `codeFor(id)`, `reset()`. */
export type PreludeMock = Mock<PreludeOperationId>;

/** Creates an in-process mock of Prelude's Verify API v2 that answers each operation's documented examples, as Prism does. */
export function createPreludeMock(options?: PreludeMockOptions): PreludeMock {
  return createMock(mockSpec, { createState: () => undefined, handlers: {}, codeFor: () => undefined }, options);
}
