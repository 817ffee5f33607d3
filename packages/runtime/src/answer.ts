/**
 * The answer becomes a result: the parsed body, or the typed error that says what the answer
 * means. A non-2xx status is an `ApiError`; an answer that is not the JSON the spec documents is a
 * `ResponseParseError`; a 2xx whose body says the operation did not happen is an `OutcomeError`.
 * Each carries the response metadata, and nothing in it holds a secret.
 */
import { ApiError, OutcomeError, ResponseParseError } from "./errors.js";
import { describe, notRepeated } from "./messages.js";
import { answered } from "./metadata.js";
import { mentions, scrub, scrubText } from "./redact.js";
import type { OperationSpec, ResponseMetadata, VendorSpec } from "./types.js";

/** An answer as openapi-fetch hands it over (read as text), with what the call knows about it. */
export interface Answer {
  readonly vendor: VendorSpec;
  readonly operation: OperationSpec;
  readonly metadata: ResponseMetadata;
  /** The body of a 2xx answer, as text (undefined when there is none). */
  readonly data: string | undefined;
  /** The body of any other answer: parsed JSON, or the text when it is not JSON. */
  readonly error: unknown;
  readonly secrets: readonly string[];
}

const FIX = "Resent unchanged, it fails again; error.code and error.body say why.";

/** What to do next, by status. */
const HINTS: Record<number, string> = {
  400: FIX,
  422: FIX,
  401: "Check the credentials.",
  403: "The credentials are not allowed to do this.",
  404: "Check the identifiers in the request.",
  429: "Too many requests: slow down.",
};

/** The call's result: the parsed body (undefined for an operation that returns none), or a typed error thrown. */
export function readAnswer(answer: Answer): unknown {
  const { status } = answer.metadata;
  if (status < 200 || status > 299) throw apiError(answer);
  if (!answer.operation.returnsBody) return undefined;
  const body = parseBody(answer);
  const outcome = answer.operation.outcome;
  const value = outcome && (body as Record<string, unknown> | null)?.[outcome.field];
  if (outcome && !outcome.success.includes(value as string)) {
    throw new OutcomeError(
      `${heading(answer)}, but ${outcome.field} is ${JSON.stringify(value) ?? "missing"}, not ${outcome.success.join(" or ")}: the operation did not happen (error.outcome says why).`,
      { ...fields(answer), outcome: value, body },
    );
  }
  return body;
}

/** `SMS.cx NewOtp (POST https://api.sms.cx/otp): HTTP 400`: how every message about an answer starts. */
const heading = (answer: Answer): string => `${describe(fields(answer))}: HTTP ${answer.metadata.status}`;

/** The fields every error about an answer carries. */
const fields = (answer: Answer) => answered(answer.metadata, answer.vendor.name);

/** A non-2xx answer: its body, the vendor's error code, type and message from it, and what to do next. */
function apiError(answer: Answer): ApiError {
  const { metadata, error, secrets, vendor } = answer;
  const { status, requestId } = metadata;
  const next =
    (HINTS[status] ?? (status < 500 ? "See error.body." : notRepeated(answer.operation, metadata.method).trim() || `${vendor.name} had a problem; try again later.`)) +
    (requestId ? ` (request id ${requestId})` : "");
  // openapi-fetch hands back the raw text when an error body is not JSON.
  if (typeof error === "string" && error) return unusable(answer, scrubText(error, secrets), "came with a body that is not JSON, probably from a proxy", next);
  const body = error === "" ? undefined : scrub(error, secrets);
  const { code: codeAt, type: typeAt, message: messageAt = [] } = vendor.errorFields ?? {};
  const code = valueAt(body, codeAt);
  const type = valueAt(body, typeAt);
  const message = messageAt.map((pointer) => valueAt(body, pointer)).find((found) => found !== undefined);
  const labels = [type, code].filter((value) => value !== undefined).map((value) => ` ${value}`).join("");
  const said = message === undefined ? "" : `: ${String(Array.isArray(message) ? message.join("; ") : message).replace(/[.\s]+$/, "")}`;
  return new ApiError(`${heading(answer)}${labels}${said}. ${next}`, { ...fields(answer), body, code, type });
}

/** The value at a JSON pointer such as `/error/code`; undefined when any step is missing. */
export function valueAt(body: unknown, pointer: string | undefined): unknown {
  if (!pointer) return undefined;
  let node = body;
  for (const key of pointer.split("/").slice(1)) node = (node as Record<string, unknown> | undefined)?.[key];
  return node;
}

/** The 2xx body, parsed; then scrubbed string by string, so a short secret never breaks a JSON number. */
function parseBody(answer: Answer): unknown {
  const { secrets, operation } = answer;
  const text = answer.data ?? "";
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    const shown = scrubText(text, secrets);
    const why = shown
      ? `body is not valid JSON (${scrubText((cause as Error).message, secrets)}): cut off, or not from the API`
      : `body is empty, but the API documents a JSON body${operation.successStatus ? ` (HTTP ${operation.successStatus})` : ""}`;
    throw unusable(answer, shown, why, "The request may have taken effect; check before repeating it.");
  }
  return mentions(text, secrets) ? scrub(parsed, secrets) : parsed;
}

/** An answer that cannot be used: `text` is what arrived (scrubbed), `why` what is wrong with it. */
function unusable(answer: Answer, text: string, why: string, next: string): ResponseParseError {
  const contentType = answer.metadata.headers.get("content-type");
  return new ResponseParseError(`${heading(answer)} ${why} (${contentType}): ${JSON.stringify(text.slice(0, 120))}. ${next}`, {
    ...fields(answer),
    text: text.slice(0, 500),
  });
}
