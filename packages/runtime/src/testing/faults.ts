/**
 * Faults: what a test asks the mock to do instead of its normal answer, per operation. They are
 * checked when the mock is created (a misspelt example name fails there, naming the choices) and
 * counted down as requests arrive.
 */
import { exampleNamed } from "./answer.js";
import type { MockFault, MockFaultAnswer, MockSpec } from "./types.js";

export interface ArmedFault {
  readonly answer: MockFaultAnswer;
  readonly headers?: Readonly<Record<string, string>>;
  /** Requests it still applies to. */
  left: number;
}

function arm(spec: MockSpec, id: string, fault: MockFault): ArmedFault {
  const where = `mock faults.${id}`;
  const operation = spec.operations[id];
  if (!operation) throw new TypeError(`${where}: ${spec.vendor.name} has no operation ${id}; the operations are ${Object.keys(spec.operations).join(", ")}.`);
  const { answer, times = Infinity, headers } = typeof fault === "object" ? fault : { answer: fault };
  if (!(times >= 1 && (times === Infinity || Number.isInteger(times)))) throw new RangeError(`${where}.times must be a whole number ≥ 1, got ${String(times)}.`);
  if (typeof answer === "number") {
    if (!(Number.isInteger(answer) && answer >= 200 && answer <= 599)) throw new RangeError(`${where}: an HTTP status from 200 to 599, got ${answer}.`);
  } else if (answer !== "hang" && answer !== "reset" && !exampleNamed(operation, answer)) {
    const names = Object.values(operation.responses).flatMap((r) => Object.keys(r.examples ?? {}));
    throw new TypeError(`${where}: "${String(answer)}" is not a documented example of ${id}. Choose one of ${names.map((n) => `"${n}"`).join(", ")}, an HTTP status, "hang" or "reset".`);
  }
  return { answer, headers, left: times };
}

export function armFaults(spec: MockSpec, faults: object | undefined): Map<string, ArmedFault> {
  const armed = new Map<string, ArmedFault>();
  for (const [id, fault] of Object.entries(faults ?? {})) if (fault !== undefined) armed.set(id, arm(spec, id, fault as MockFault));
  return armed;
}

/** The fault for this request, if one is still armed; counts it down. */
export function takeFault(armed: Map<string, ArmedFault>, id: string): ArmedFault | undefined {
  const fault = armed.get(id);
  if (!fault || fault.left < 1) return undefined;
  fault.left--;
  return fault;
}
