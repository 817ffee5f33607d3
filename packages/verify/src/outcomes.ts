/**
 * Turns what a vendor client threw into a verification outcome. The one decision that matters most,
 * whether a failed send certainly sent nothing, is read from the vendor's spec (its package's
 * `notSentAnswers`, from `x-otpkit-not-sent`), never decided here per vendor.
 */
import { ApiError, ConfigurationError, ConnectionError, OutcomeError, ResponseParseError, ValidationError, type ResponseMetadata } from "@otpkit/runtime";
import type { InvalidId, NotSentAnswer, NotSentReason, SendFailure } from "./types.js";

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(`a provider threw a non-error value: ${String(error)}`));

/** An error that carries an HTTP answer: the vendor's error status, or a 2xx that says it did not happen. */
const answerOf = (error: unknown): ApiError | OutcomeError | undefined =>
  error instanceof OutcomeError || (error instanceof ApiError && !(error instanceof ResponseParseError)) ? error : undefined;

const metadataOf = (error: unknown): { metadata?: ResponseMetadata } => {
  const metadata = (error as { metadata?: ResponseMetadata } | null)?.metadata;
  return metadata ? { metadata } : {};
};

/**
 * The spec's reason when `error` is one of its "refused before sending" answers, with the vendor's
 * raw answer and metadata; undefined for any other error.
 */
export function refusal(error: unknown, answers: readonly NotSentAnswer[]): { reason: NotSentReason; raw: unknown; metadata: ResponseMetadata } | undefined {
  const answer = answerOf(error);
  if (!answer) return undefined;
  const matches = (a: NotSentAnswer) =>
    answer instanceof OutcomeError
      ? a.status === answer.status && a.outcome === answer.outcome
      : a.status === answer.status && a.outcome === undefined && (a.code === undefined || a.code === answer.code) && (a.type === undefined || a.type === answer.type);
  const reason = answers.find(matches)?.reason;
  return reason && { reason, raw: answer.body, metadata: answer.metadata };
}

/**
 * How a failed send ended. `not_sent` only when nothing can have gone out: the input was refused
 * before sending, the connection failed before the request left, or the vendor gave an answer its
 * spec lists as a refusal. Any other error answer is `failed`; everything else (timeouts, resets
 * after sending, 5xx, unreadable answers, aborts) is `unknown`: the message may be on its way.
 */
export function sendFailure(error: unknown, answers: readonly NotSentAnswer[]): SendFailure {
  const base = { error: asError(error), ...metadataOf(error) };
  if (error instanceof ValidationError) return { ...base, outcome: "not_sent", reason: "input_refused" };
  if (error instanceof ConnectionError && !error.requestSent) return { ...base, outcome: "not_sent", reason: "connection_refused" };
  const refused = refusal(error, answers);
  if (refused) return { ...base, outcome: "not_sent", reason: refused.reason };
  const answer = answerOf(error);
  if (error instanceof ConfigurationError || (answer && (answer instanceof OutcomeError || answer.status < 500))) return { ...base, outcome: "failed" };
  return { ...base, outcome: "unknown" };
}

/** What a vendor's documented error or outcome stands for, by its code or outcome value. */
export interface AnswerMap<S extends string> {
  /** By the vendor error's `code` (an `ApiError`). */
  readonly codes?: Readonly<Record<string, S>>;
  /** By the 2xx body's outcome value (an `OutcomeError`). */
  readonly outcomes?: Readonly<Record<string, S>>;
}

/** The documented outcome `error` stands for, with the vendor's raw answer and metadata; undefined when it is not one. */
export function documented<S extends string>(error: unknown, map: AnswerMap<S>): { status: S; raw: unknown; metadata: ResponseMetadata } | undefined {
  const answer = answerOf(error);
  if (!answer) return undefined;
  const status = answer instanceof OutcomeError ? map.outcomes?.[String(answer.outcome)] : map.codes?.[String(answer.code)];
  return status === undefined ? undefined : { status, raw: answer.body, metadata: answer.metadata };
}

/**
 * `invalid_id` when the vendor client refused the ref (the input at `path`, e.g. `path.otpId`)
 * before sending anything.
 */
export function invalidRef(error: unknown, path: string, provider: string): InvalidId | undefined {
  if (!(error instanceof ValidationError)) return undefined;
  const issue = error.issues.find((i) => i.path === path);
  return issue && { status: "invalid_id", message: `not an id ${provider} issued: ${issue.message}; nothing was sent.` };
}

/**
 * A vendor's date as a `Date`: RFC 3339, or `YYYY-MM-DD HH:MM:SS` without an offset, which SMS.cx
 * documents as UTC. Undefined when absent or unreadable.
 */
export function dateOf(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const date = new Date(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? `${text.replace(" ", "T")}Z` : text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
