/**
 * The mock engine: one request in, one answer out, in the order a real API (and Prism) applies its
 * checks: route → credential → input → fault → `Prefer` → the vendor's state machine. Every request
 * is recorded first, whatever it gets back.
 */
import { firstExample, exampleNamed, problem, respond, statusResponse, type Answer, type AnswerContext } from "./answer.js";
import { checkInput, fallback, type Verdict } from "./check.js";
import { readClock } from "./clock.js";
import { armFaults, takeFault, type ArmedFault } from "./faults.js";
import { preferred } from "./prefer.js";
import { createRandom } from "./random.js";
import { credentialOf, operationInput, readBody } from "./request.js";
import { compileRoutes, matchRoute, relativePath, type Route } from "./route.js";
import type { Mock, MockBehaviour, MockFault, MockOperationSpec, MockOptions, MockReply, MockRequest, MockSpec } from "./types.js";

const SYSTEM_CLOCK = { now: () => Date.now() };

/** The status of a success: the one the operation table names, else the lowest 2xx documented. */
const successOf = (operation: MockOperationSpec): number =>
  operation.operation.successStatus ?? Object.keys(operation.responses).map(Number).find((status) => status >= 200 && status < 300) ?? 200;

/** A network error as undici reports a reset connection: the runtime reads `code` to judge it. */
const resetError = () => new TypeError("fetch failed", { cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }) });

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
  const random = createRandom(options.random ?? Math.random);
  let faults = armFaults(spec, options.faults);
  let state = behaviour.createState();
  const requests: MockRequest<Id>[] = [];
  const hanging = new Set<(reason: unknown) => void>();
  /** Counts resets, so a request that arrived before one cannot start hanging after it. */
  let generation = 0;
  const wasReset = () => new DOMException("The mock was reset.", "AbortError");

  /** No answer until the request's signal aborts (or the mock is reset). */
  const hang = (signal: AbortSignal, born: number) =>
    new Promise<never>((_, reject) => {
      const stop = (reason: unknown) => {
        hanging.delete(stop);
        reject(reason);
      };
      hanging.add(stop);
      if (born !== generation) stop(wasReset());
      if (signal.aborted) stop(signal.reason);
      signal.addEventListener("abort", () => stop(signal.reason), { once: true });
    });

  async function handle(request: Request): Promise<Response> {
    const born = generation;
    const now = readClock(clock);
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const body = await readBody(request);
    const match = matchRoute(routes, method, relativePath(url, spec.vendor.baseUrl));
    const path = match.kind === "operation" ? match.path : {};
    const query = Object.fromEntries(url.searchParams);
    const entry = { operationId: match.kind === "operation" ? (match.route.id as Id) : undefined, method, url: request.url, headers: new Headers(request.headers), path, query, body: body.value, at: now, status: undefined as number | undefined };
    // A request that arrived before a reset() belongs to the record that reset cleared.
    if (born === generation) requests.push(entry);
    const context: AnswerContext = { vendor: spec.vendor, now, random };
    if (match.kind === "none") return (entry.status = 404), problem(404, "No such operation", `${spec.vendor.name} has no operation at ${method} ${url.pathname}.`);
    if (match.kind === "method") return methodNotAllowed(context, match.routes, method, entry);
    const response = await answer(context, match.route, request, { ...entry, malformed: body.malformed, born });
    entry.status = response.type === "error" ? undefined : response.status;
    return response;
  }

  function methodNotAllowed(context: AnswerContext, onPath: readonly Route[], method: string, entry: { status: number | undefined }): Response {
    const allow = { allow: onPath.map((r) => r.spec.operation.method).join(", ") };
    const documented = onPath.find((r) => r.spec.responses[405]);
    entry.status = 405;
    return documented
      ? statusResponse(context, documented.spec, 405, "", "", allow)
      : problem(405, "Method not allowed", `${spec.vendor.name} has no ${method} operation on this path.`, allow);
  }

  interface Received {
    readonly path: Readonly<Record<string, string>>;
    readonly query: Readonly<Record<string, string>>;
    readonly headers: Headers;
    readonly body: unknown;
    readonly malformed: boolean;
    /** The reset generation the request arrived in. */
    readonly born: number;
  }

  async function answer(context: AnswerContext, route: Route, request: Request, received: Received): Promise<Response> {
    const operation = route.spec;
    const credential = credentialOf(spec.vendor, received.headers);
    if (!credential) return statusResponse(context, operation, 401, "Unauthorized", `Send the credential ${spec.vendor.name} expects (${spec.vendor.auth.map((a) => (a.type === "apiKey" ? a.header : "Authorization: Bearer")).join(" or ")}).`);
    const verdict = received.malformed ? fallback(operation, [{ path: "body", message: "is not valid JSON" }]) : checkInput(operation, operationInput(operation.operation, received));
    if (verdict) return invalid(context, route, verdict);
    const fault = takeFault(faults, route.id);
    if (fault) return faulted(context, route, fault, request.signal, received.born);
    const prefer = preferred(operation, received.headers.get("prefer"));
    if (prefer instanceof Response) return prefer;
    if (prefer) return respond(context, operation.responses[prefer.status], prefer);
    const handler = behaviour.handlers[route.id as Id];
    const call = { state, path: received.path, query: received.query, body: (received.body ?? {}) as Record<string, unknown>, credential, now: context.now, uuid: random.uuid, code: random.code };
    const reply = handler ? handler(call) : firstExample(operation, successOf(operation));
    const result = replied(route, reply);
    return respond(context, operation.responses[result.status], result);
  }

  function invalid(context: AnswerContext, route: Route, verdict: Verdict): Response {
    if (verdict.example === undefined) {
      return problem(verdict.status, "Invalid request", `${route.id}: ${verdict.issues.map((i) => `${i.path} ${i.message}`).join("; ")}.`);
    }
    return respond(context, route.spec.responses[verdict.status], exampleNamed(route.spec, verdict.example)!);
  }

  function faulted(context: AnswerContext, route: Route, fault: ArmedFault, signal: AbortSignal, born: number): Promise<Response> | Response {
    const { answer: what, headers } = fault;
    if (what === "hang") return hang(signal, born);
    if (what === "reset") return Response.error();
    if (typeof what === "number") return statusResponse(context, route.spec, what, `HTTP ${what}`, `A fault of the mock (faults.${route.id}).`, headers as Record<string, string>);
    const found = exampleNamed(route.spec, what)!;
    return respond(context, route.spec.responses[found.status], { ...found, headers });
  }

  /** A handler's reply as an answer; a name the spec does not document is a bug in the state machine. */
  function replied(route: Route, reply: MockReply): Answer {
    if (typeof reply !== "string") return { status: reply.status ?? successOf(route.spec), body: reply.body };
    const found = exampleNamed(route.spec, reply);
    if (!found) throw new Error(`${spec.vendor.name} mock: the ${route.id} handler answered "${reply}", which is not a documented example of ${route.id}.`);
    return found;
  }

  return {
    async fetch(input, init) {
      const request = new Request(input, init);
      if (request.signal.aborted) throw request.signal.reason;
      const response = await handle(request);
      if (response.type === "error") throw resetError();
      return response;
    },
    handle,
    requests,
    codeFor: (id) => behaviour.codeFor(state, id),
    reset() {
      state = behaviour.createState();
      requests.length = 0;
      faults = armFaults(spec, options.faults);
      generation++;
      for (const stop of [...hanging]) stop(wasReset());
    },
  };
}
