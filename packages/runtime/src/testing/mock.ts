/**
 * The mock engine: one request in, one answer out. A request is routed to an operation and recorded
 * first, whatever it gets back; ./operation.ts then answers it as the real API would.
 */
import { problem, statusResponse, type AnswerContext } from "./answer.js";
import { readClock } from "./clock.js";
import { armFaults } from "./faults.js";
import { createHangs } from "./hangs.js";
import { answerOperation, type Engine } from "./operation.js";
import { createRandom } from "./random.js";
import { readBody } from "./request.js";
import { compileRoutes, matchRoute, relativePath, type Route } from "./route.js";
import type { Mock, MockBehaviour, MockFault, MockOptions, MockRequest, MockSpec } from "./types.js";

const SYSTEM_CLOCK = { now: () => Date.now() };

/** A network error as undici reports a reset connection: the runtime reads `code` to judge it. */
const resetError = () => new TypeError("fetch failed", { cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }) });

/** A request's record, whose status is filled in once it is answered. */
type Entry<Id extends string> = { -readonly [K in keyof MockRequest<Id>]: MockRequest<Id>[K] };

function methodNotAllowed(context: AnswerContext, onPath: readonly Route[], method: string): Response {
  const allow = { allow: onPath.map((r) => r.spec.operation.method).join(", ") };
  const documented = onPath.find((r) => r.spec.responses[405]);
  return documented
    ? statusResponse(context, documented.spec, 405, "", "", allow)
    : problem(405, "Method not allowed", `${context.vendor.name} has no ${method} operation on this path.`, allow);
}

/**
 * The signal the caller gave `fetch`, rather than the copy inside the Request made from it. undici's
 * copy follows the caller's through a weak reference, and a request that nothing answers (a hang)
 * is garbage with its Request, since only its own promises point to it: after a garbage collection
 * the caller's timeout no longer reached the hang, which then never ended.
 */
function callerSignal(input: Request | string | URL, init: RequestInit | undefined, request: Request): AbortSignal {
  return init?.signal ?? (input instanceof Request ? input.signal : request.signal);
}

/**
 * Creates an in-process mock of a vendor API from its generated `MockSpec` and its hand-written
 * state machine. Vendor packages wrap it (`createSmscxMock`); see the runtime README, "Testing".
 */
export function createMock<Id extends string, State>(
  spec: MockSpec<Id>,
  behaviour: MockBehaviour<State, Id>,
  options: MockOptions<{ readonly [K in Id]?: MockFault }> = {},
): Mock<Id> {
  const routes = compileRoutes(spec);
  const clock = options.clock ?? SYSTEM_CLOCK;
  let faults = armFaults(spec, options.faults);
  let state = behaviour.createState();
  const requests: MockRequest<Id>[] = [];
  const engine: Engine<State> = { spec, behaviour: behaviour as MockBehaviour<State>, random: createRandom(options.random ?? Math.random), hangs: createHangs(), state: () => state, faults: () => faults };

  /** Answers `request`; `signal` is the one a hang waits on (see `callerSignal`). */
  async function answer(request: Request, signal: AbortSignal): Promise<Response> {
    const born = engine.hangs.generation();
    const context: AnswerContext = { vendor: spec.vendor, now: readClock(clock), random: engine.random };
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const body = await readBody(request);
    const match = matchRoute(routes, method, relativePath(url, spec.vendor.baseUrl));
    const path = match.kind === "operation" ? match.path : {};
    const query = Object.fromEntries(url.searchParams);
    const entry: Entry<Id> = { operationId: match.kind === "operation" ? (match.route.id as Id) : undefined, method, url: request.url, headers: new Headers(request.headers), path, query, body: body.value, at: context.now, status: undefined };
    // A request that arrived before a reset() belongs to the record that reset cleared.
    if (born === engine.hangs.generation()) requests.push(entry);
    const response =
      match.kind === "none"
        ? problem(404, "No such operation", `${spec.vendor.name} has no operation at ${method} ${url.pathname}.`)
        : match.kind === "method"
          ? methodNotAllowed(context, match.routes, method)
          : await answerOperation(engine, context, match.route, { path, query, search: url.searchParams, headers: entry.headers, body: body.value, malformed: body.malformed, born, signal });
    entry.status = response.type === "error" ? undefined : response.status;
    return response;
  }

  return {
    async fetch(input, init) {
      const request = new Request(input, init);
      const signal = callerSignal(input, init, request);
      if (signal.aborted) throw signal.reason;
      const response = await answer(request, signal);
      // A network error: the caller gave up (fetch rejects with the signal's reason), or the
      // connection was reset (a fault, or a hang ended by reset()).
      if (response.type === "error") throw signal.aborted ? signal.reason : resetError();
      return response;
    },
    handle: (request) => answer(request, request.signal),
    requests,
    codeFor: (id) => behaviour.codeFor(state, id),
    reset() {
      state = behaviour.createState();
      requests.length = 0;
      faults = armFaults(spec, options.faults);
      engine.hangs.reset();
    },
  };
}
