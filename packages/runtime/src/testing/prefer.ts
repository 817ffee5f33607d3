/**
 * Prism's `Prefer` request header (`Prefer: code=400, example=wrongPin`): picks a documented
 * response statically, so tests written against Prism run unchanged against the mock. Like Prism,
 * it applies only to a request that passed the credential and input checks.
 */
import { problem, type Answer } from "./answer.js";
import type { MockOperationSpec } from "./types.js";

/** The answer `Prefer` asks for; a Response when it names nothing documented; undefined without one. */
export function preferred(spec: MockOperationSpec, header: string | null): Answer | Response | undefined {
  const code = header && /(?:^|[,;\s])code=(\d+)/.exec(header)?.[1];
  const example = header && /(?:^|[,;\s])example=([^,;\s]+)/.exec(header)?.[1];
  if (!code && !example) return undefined;
  const statuses = code ? [Number(code)] : Object.keys(spec.responses).map(Number);
  for (const status of statuses) {
    const response = spec.responses[status];
    if (!response) continue;
    const examples = response.examples ?? {};
    const name = example ?? Object.keys(examples)[0];
    if (name === undefined) return { status };
    if (Object.prototype.hasOwnProperty.call(examples, name)) return { status, body: examples[name] };
  }
  const what = code && !spec.responses[Number(code)] ? `status code ${code} is not defined` : `example ${String(example)} does not exist${code ? ` for status ${code}` : ""}`;
  return problem(404, "The requested response is not documented", `Prefer: ${header}: ${spec.operation.id}'s ${what}.`);
}
