/** Checks an incoming webhook body against its schema from the spec, before anyone trusts it. */
import { ValidationError } from "./errors.js";
import type { Schema } from "./validate.js";
import { validate } from "./validate.js";

/**
 * Parses a webhook request body (the raw text, bytes, or an already parsed object) and checks it
 * against the spec's schema. Returns the body typed as `T`, or throws a `ValidationError` that
 * lists every problem.
 */
export function parseWebhook<T>(vendor: string, event: string, schema: Schema, body: unknown): T {
  let value = body;
  if (typeof body === "string" || body instanceof Uint8Array || body instanceof ArrayBuffer) {
    const text = typeof body === "string" ? body : new TextDecoder().decode(body);
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw new ValidationError(
        `${vendor} ${event} webhook: the body is not valid JSON (${(cause as Error).message}). Pass the raw request body or the parsed object.`,
        { vendor, issues: [{ path: "(root)", message: "is not valid JSON" }] },
      );
    }
  }
  const issues = validate(schema, value);
  if (issues.length) {
    throw new ValidationError(
      `${vendor} ${event} webhook: the payload does not match the spec, so it was not accepted.\n${issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}\nAnswer the sender with an error status, or log and drop the event.`,
      { vendor, issues },
    );
  }
  return value as T;
}
