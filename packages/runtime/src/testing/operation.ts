/**
 * The answer to a request routed to an operation, in the order a real API (and Prism) applies its
 * checks: credential → input → the test's fault → `Prefer` → the vendor's state machine.
 */
import { exampleNamed, firstExample, problem, respond, statusResponse, type Answer, type AnswerContext } from "./answer.js";
import { checkInput, fallback, type Verdict } from "./check.js";
import { takeFault, type ArmedFault } from "./faults.js";
import type { Hangs } from "./hangs.js";
import { preferred } from "./prefer.js";
import type { MockRandom } from "./random.js";
import { credentialOf, operationInput, type Parts } from "./request.js";
import type { Route } from "./route.js";
import type { MockBehaviour, MockOperationSpec, MockReply, MockSpec } from "./types.js";

/** What the mock holds between requests, as the answer to one request needs it. */
export interface Engine<State> {
  readonly spec: MockSpec;
  readonly behaviour: MockBehaviour<State>;
  readonly random: MockRandom;
  readonly hangs: Hangs;
  /** These change on reset(): read them when a request needs them. */
  state(): State;
  faults(): Map<string, ArmedFault>;
}

/** What arrived, read once by the caller. */
export interface Received extends Parts {
  /** The body was there but was not JSON. */
  readonly malformed: boolean;
  /** The reset generation it arrived in. */
  readonly born: number;
  readonly signal: AbortSignal;
}

/** The status of a success: the one the operation table names, else the lowest 2xx documented. */
const successOf = (operation: MockOperationSpec): number =>
  operation.operation.successStatus ?? Object.keys(operation.responses).map(Number).find((status) => status >= 200 && status < 300) ?? 200;

export function answerOperation<State>(engine: Engine<State>, context: AnswerContext, route: Route, received: Received): Response | Promise<Response> {
  const { spec, behaviour, random } = engine;
  const operation = route.spec;
  const credential = credentialOf(spec.vendor, received.headers);
  if (!credential) return statusResponse(context, operation, 401, "Unauthorized", `Send the credential ${spec.vendor.name} expects (${spec.vendor.auth.map((a) => (a.type === "apiKey" ? a.header : "Authorization: Bearer")).join(" or ")}).`);
  const input = operationInput(operation.operation, received);
  const verdict = received.malformed ? fallback(operation, [{ path: "body", message: "is not valid JSON" }]) : checkInput(operation, input);
  if (verdict) return invalid(context, route, verdict);
  const fault = takeFault(engine.faults(), route.id);
  if (fault) return faulted(engine, context, route, fault, received);
  const prefer = preferred(operation, received.headers.get("prefer"));
  if (prefer instanceof Response) return prefer;
  if (prefer) return respond(context, operation.responses[prefer.status], prefer);
  const handler = behaviour.handlers[route.id];
  const call = { state: engine.state(), path: received.path, query: received.query, input, body: (received.body ?? {}) as Record<string, unknown>, credential, now: context.now, uuid: random.uuid, code: random.code };
  const result = replied(spec, route, handler ? handler(call) : firstExample(operation, successOf(operation)));
  return respond(context, operation.responses[result.status], result);
}

function invalid(context: AnswerContext, route: Route, verdict: Verdict): Response {
  if (verdict.example === undefined) {
    return problem(verdict.status, "Invalid request", `${route.id}: ${verdict.issues.map((i) => `${i.path} ${i.message}`).join("; ")}.`);
  }
  return respond(context, route.spec.responses[verdict.status], exampleNamed(route.spec, verdict.example)!);
}

function faulted<State>(engine: Engine<State>, context: AnswerContext, route: Route, fault: ArmedFault, received: Received): Response | Promise<Response> {
  const { answer: what, headers } = fault;
  if (what === "hang") return engine.hangs.hold(received.signal, received.born);
  if (what === "reset") return Response.error();
  if (typeof what === "number") return statusResponse(context, route.spec, what, `HTTP ${what}`, `A fault of the mock (faults.${route.id}).`, headers as Record<string, string>);
  const found = exampleNamed(route.spec, what)!;
  return respond(context, route.spec.responses[found.status], { ...found, headers });
}

/** A handler's reply as an answer; a name the spec does not document is a bug in the state machine. */
function replied(spec: MockSpec, route: Route, reply: MockReply): Answer {
  if (typeof reply !== "string") return { status: reply.status ?? successOf(route.spec), body: reply.body };
  const found = exampleNamed(route.spec, reply);
  if (!found) throw new Error(`${spec.vendor.name} mock: the ${route.id} handler answered "${reply}", which is not a documented example of ${route.id}.`);
  return found;
}
