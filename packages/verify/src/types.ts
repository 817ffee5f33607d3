/**
 * The public shapes of @otpkit/verify: what `start`, `check`, `resend` and `cancel` resolve to (a
 * discriminated union on `status` each), and the small `Provider` interface an adapter implements.
 */
import type { ResponseMetadata } from "@otpkit/runtime";

/**
 * Why a provider certainly sent nothing. The vendor's own refusals are the `reason`s its spec
 * lists (`x-otpkit-not-sent`, the vendor package's `notSentAnswers`); the last two involve no
 * answer at all.
 */
export type NotSentReason =
  | "invalid_number"
  | "unsupported_number"
  | "no_coverage"
  | "insufficient_credit"
  | "blocked_number"
  | "rate_limited"
  | "spam_detected"
  | "bad_credentials"
  | "account_suspended"
  | "retry_denied"
  /** The vendor client refused the input before sending (a `ValidationError`). */
  | "input_refused"
  /** The connection failed before the request left (a `ConnectionError` with `requestSent: false`). */
  | "connection_refused";

/** One answer of a billed operation that means "refused before sending" (a vendor package's `notSentAnswers` entry). */
export interface NotSentAnswer {
  readonly status: number;
  readonly code?: number | string;
  readonly type?: string;
  readonly outcome?: string;
  readonly reason: Exclude<NotSentReason, "input_refused" | "connection_refused">;
}

/** How one provider's attempt to send a code ended. */
export type SendOutcome =
  /** The provider sent the code. */
  | { readonly outcome: "sent"; readonly metadata: ResponseMetadata }
  /** The provider certainly sent nothing: the next provider is tried. */
  | { readonly outcome: "not_sent"; readonly reason: NotSentReason; readonly error: Error; readonly metadata?: ResponseMetadata }
  /** The code may have gone out (a timeout or a reset after sending, a 5xx, an unreadable answer): nothing more is tried. */
  | { readonly outcome: "unknown"; readonly error: Error; readonly metadata?: ResponseMetadata }
  /** The provider refused with an answer its spec does not list as "not sent" (often a setting it rejects): nothing more is tried. */
  | { readonly outcome: "failed"; readonly error: Error; readonly metadata?: ResponseMetadata };

/** One entry of a `start` result's `tried` list: a provider and how its attempt ended. */
export type Tried = SendOutcome & { readonly provider: string };

/** A `start` that ended without a code on its way: every outcome but `sent`. */
export type SendFailure = Exclude<SendOutcome, { readonly outcome: "sent" }>;

interface StartBase {
  /** Every provider tried, in order, and how each attempt ended. */
  readonly tried: readonly Tried[];
}

/** What `start` resolves to; it never throws for anything a provider answers. */
export type StartResult =
  /** A code is on its way. Keep `id`: `check`, `resend` and `cancel` take it. */
  | (StartBase & {
      readonly status: "sent";
      /**
       * `<provider>:<the vendor's id>`: it says which provider to ask, so no store is needed. A
       * Prelude id also holds the phone number (`prelude:<verification id>:<E.164 number>`): treat
       * it as personal data, and do not log it.
       */
      readonly id: string;
      readonly provider: string;
      /** When the code stops working, where the vendor says. */
      readonly expiresAt?: Date;
      /** Wrong codes the user may still enter, where the vendor says. */
      readonly attemptsLeft?: number;
      /** The vendor's answer, as its client returned it. */
      readonly raw: unknown;
      readonly metadata: ResponseMetadata;
    })
  /** Every provider refused before sending (see `tried` for each reason): nothing was sent or billed. */
  | (StartBase & { readonly status: "not_sent" })
  /**
   * `provider` may have sent a code, so no other provider was tried (that could send a second SMS).
   * Tell the user a code may be on its way; a `check` is not possible without the vendor's id.
   */
  | (StartBase & { readonly status: "unknown"; readonly provider: string; readonly error: Error })
  /** `provider` refused with an answer its spec does not list as "not sent"; nothing more was tried. */
  | (StartBase & { readonly status: "failed"; readonly provider: string; readonly error: Error })
  /** `phoneNumber` is not an E.164 number (`+` and up to 15 digits); nothing was sent. */
  | (StartBase & { readonly status: "invalid_phone_number"; readonly message: string });

/** What a vendor answered, with its client's metadata (request id, attempts, duration). */
interface Answered {
  /** The vendor's answer: the success body, or the error body or 2xx body that says why not. */
  readonly raw: unknown;
  readonly metadata: ResponseMetadata;
}

/** The id was not one this verifier issued: malformed, or naming a provider it does not have. Nothing was sent. */
export interface InvalidId {
  readonly status: "invalid_id";
  readonly message: string;
}

/** The provider has no such call (SMS.cx cannot resend, Ding and Prelude cannot cancel). Nothing was sent. */
export interface NotSupported {
  readonly status: "not_supported";
  readonly provider: string;
  readonly operation: "resend" | "cancel";
  readonly message: string;
}

/** What a provider says about a code. */
export type CheckAnswer =
  /** The code is wrong; the user may try again (`attemptsLeft`, where the vendor says). */
  | (Answered & { readonly status: "wrong_code"; readonly attemptsLeft?: number })
  | (Answered & {
      /**
       * `verified`: the code is right. `expired`: too late, start again. `too_many_attempts`: no
       * more tries. `already_verified`: an earlier check succeeded. `cancelled`, `not_found`: there
       * is nothing to check. `undetermined`: the vendor could not say (Ding `unknown`, `without_attempt`;
       * Prelude's PSD2 answers, for a code that needs its payment to be checked).
       */
      readonly status: "verified" | "expired" | "too_many_attempts" | "already_verified" | "cancelled" | "not_found" | "undetermined";
    });

/** What `check` resolves to. Failures the vendor does not document as an outcome throw its client's typed error. */
export type CheckResult = (CheckAnswer & { readonly provider: string }) | InvalidId;

/** What a provider says about a resend. */
export type ResendAnswer =
  /** A new code is on its way. */
  | (Answered & { readonly status: "sent"; readonly retriesLeft?: number; readonly nextRetryAt?: Date })
  /** The vendor refused before sending a new code (its spec's `x-otpkit-not-sent`). */
  | (Answered & { readonly status: "not_sent"; readonly reason: NotSentReason; readonly nextRetryAt?: Date })
  | (Answered & { readonly status: "expired" | "already_verified" | "not_found" });

/** What `resend` resolves to. */
export type ResendResult = (ResendAnswer & { readonly provider: string }) | NotSupported | InvalidId;

/** What a provider says about a cancel. */
export type CancelAnswer = Answered & {
  /** `cancelled`: done. `already_cancelled`, `not_pending` (verified, expired or failed): nothing to cancel. */
  readonly status: "cancelled" | "already_cancelled" | "not_pending" | "not_found";
};

/** What `cancel` resolves to. */
export type CancelResult = (CancelAnswer & { readonly provider: string }) | NotSupported | InvalidId;

/** A provider's successful send. */
export interface Sent {
  readonly outcome: "sent";
  /**
   * The provider's part of the verification id (the vendor's id, and whatever else its check needs:
   * Prelude's holds the phone number too, since Prelude checks by number).
   */
  readonly ref: string;
  readonly expiresAt?: Date;
  readonly attemptsLeft?: number;
  readonly raw: unknown;
  readonly metadata: ResponseMetadata;
}

/** Per-call options a provider passes to its client. */
export interface ProviderCallOptions {
  readonly signal?: AbortSignal;
}

/**
 * A verification provider: an adapter around one vendor client. `smscxProvider`, `dingProvider`
 * and `preludeProvider` are the ones shipped; a new vendor is one more file implementing this.
 *
 * - `start` never throws: it returns `sent`, or classifies the failure with `sendFailure` (which
 *   reads the vendor package's `notSentAnswers`), so the verifier knows whether it may fail over.
 * - `check`, `resend` and `cancel` get the `ref` that `start` returned. They return `invalid_id`
 *   when the vendor client's validation refuses the ref (nothing is sent), the vendor's documented
 *   outcomes as values, and throw the client's typed error for anything else.
 * - Leave out `resend` or `cancel` when the vendor has no such call: the verifier answers `not_supported`.
 */
export interface Provider {
  /** The provider's name in ids and results: lower-case letters, digits and hyphens (`smscx`, `ding-eu`). */
  readonly name: string;
  start(phoneNumber: string, options?: ProviderCallOptions): Promise<Sent | SendFailure>;
  check(ref: string, code: string, options?: ProviderCallOptions): Promise<CheckAnswer | InvalidId>;
  resend?(ref: string, options?: ProviderCallOptions): Promise<ResendAnswer | InvalidId>;
  cancel?(ref: string, options?: ProviderCallOptions): Promise<CancelAnswer | InvalidId>;
}

/** Passed to `onFailover` each time `start` moves on to the next provider. */
export interface FailoverEvent {
  /** The provider that refused before sending. */
  readonly from: string;
  /** The provider tried next. */
  readonly to: string;
  readonly reason: NotSentReason;
  readonly error: Error;
  /** Everything tried so far. */
  readonly tried: readonly Tried[];
}

export interface VerifierOptions {
  /** The providers `start` tries, in order. Names must be unique. */
  readonly providers: readonly Provider[];
  /** Called before `start` tries the next provider, for logging. */
  readonly onFailover?: (event: FailoverEvent) => void;
}

/** Input of `start`. */
export interface StartInput {
  /** An E.164 number: `+`, the country code and the number, up to 15 digits. */
  readonly phoneNumber: string;
  readonly signal?: AbortSignal;
}

/** Input of `check`. */
export interface CheckInput {
  /** The id `start` returned. */
  readonly id: string;
  /** The code the user entered. */
  readonly code: string;
  readonly signal?: AbortSignal;
}

/** Input of `resend` and `cancel`. */
export interface IdInput {
  readonly id: string;
  readonly signal?: AbortSignal;
}

/** One phone-verification API over several providers. */
export interface Verifier {
  /**
   * Sends a code through the first provider that takes it. Moves to the next provider only when
   * the current one certainly sent nothing; stops as soon as a code may have gone out.
   */
  start(input: StartInput): Promise<StartResult>;
  /** Checks a code with the provider that sent it (the id names it). */
  check(input: CheckInput): Promise<CheckResult>;
  /** Sends the code again, where the provider can (Ding, Prelude). Billed like `start`: a second billed send. */
  resend(input: IdInput): Promise<ResendResult>;
  /** Cancels the verification, where the provider can (SMS.cx). */
  cancel(input: IdInput): Promise<CancelResult>;
}
