/**
 * @otpkit/runtime/testing: the engine behind every vendor package's in-process mock
 * (`@otpkit/<vendor>/testing`). It routes a request to an operation, checks its credential and its
 * input against the spec, applies the faults a test asked for, records the request, and answers
 * with the vendor's documented bodies and headers; the vendor's small state machine decides the
 * rest. No server, no port, no Node built-in: it runs wherever `fetch` does.
 *
 * @packageDocumentation
 */
export { createMockClock } from "./clock.js";
export { createMock } from "./mock.js";
export type {
  Mock,
  MockBehaviour,
  MockCall,
  MockClock,
  MockFault,
  MockFaultAnswer,
  MockHandler,
  MockInputRule,
  MockOperationSpec,
  MockOptions,
  MockReply,
  MockRequest,
  MockResponseSpec,
  MockSpec,
  MockTimeSource,
} from "./types.js";
