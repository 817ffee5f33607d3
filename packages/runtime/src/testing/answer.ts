/**
 * Turns an answer (a status and a body, or a documented example) into a `Response` with the
 * headers the spec declares for it. Header values are the spec's examples, except the ones whose
 * role the spec names: a fresh request id per answer, and a rate-limit reset one second after the
 * mock clock's now (a client that honours it retries soon, and never waits on a date in the past).
 */
import type { VendorSpec } from "../types.js";
import type { MockRandom } from "./random.js";
import type { MockOperationSpec, MockResponseSpec } from "./types.js";

/** What an answer is made of before it becomes a Response. */
export interface Answer {
  readonly status: number;
  /** The JSON body; undefined for none. */
  readonly body?: unknown;
  /** Headers that replace or add to the declared ones (a fault's). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface AnswerContext {
  readonly vendor: VendorSpec;
  readonly now: Date;
  readonly random: MockRandom;
}

function headerValue(context: AnswerContext, name: string, example: string | number): string {
  const roles = context.vendor.headers ?? {};
  const lower = name.toLowerCase();
  if (lower === roles.requestId) return context.random.uuid();
  if (lower === roles.reset) return String(Math.floor(context.now.getTime() / 1000) + 1);
  return String(example);
}

export function respond(context: AnswerContext, declared: MockResponseSpec | undefined, answer: Answer): Response {
  const headers = new Headers();
  for (const [name, example] of Object.entries(declared?.headers ?? {})) headers.set(name, headerValue(context, name, example));
  for (const [name, value] of Object.entries(answer.headers ?? {})) headers.set(name, value);
  if (answer.body === undefined) return new Response(null, { status: answer.status, headers });
  headers.set("content-type", "application/json");
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers });
}

/** An RFC 9457 problem, for answers the spec documents no body for (the kind Prism gives). */
export function problem(status: number, title: string, detail: string, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify({ type: "about:blank", title, status, detail }), {
    status,
    headers: { "content-type": "application/problem+json", ...headers },
  });
}

/** The documented example of that name, under whichever status documents it. */
export function exampleNamed(spec: MockOperationSpec, name: string): Answer | undefined {
  for (const [status, response] of Object.entries(spec.responses)) {
    const examples = response.examples ?? {};
    if (Object.prototype.hasOwnProperty.call(examples, name)) return { status: Number(status), body: examples[name] };
  }
  return undefined;
}

/** The first documented example of a status, or no body when the status documents none. */
export function firstExample(spec: MockOperationSpec, status: number): Answer {
  const examples = spec.responses[status]?.examples ?? {};
  const [name] = Object.keys(examples);
  return name === undefined ? { status } : { status, body: examples[name] };
}

/** A status as a `Response`: its first documented example, or a problem when the spec documents none. */
export function statusResponse(context: AnswerContext, spec: MockOperationSpec, status: number, title: string, detail: string, headers?: Record<string, string>): Response {
  const declared = spec.responses[status];
  return declared ? respond(context, declared, { ...firstExample(spec, status), headers }) : problem(status, title, detail, headers);
}
