/**
 * SMS.cx as a verification provider: `NewOtp` sends, `VerifyPin` checks, `CancelOtp` cancels.
 * SMS.cx has no resend. Which `NewOtp` failures mean "nothing sent" comes from specs/smscx.yaml
 * (`notSentAnswers`).
 */
import { notSentAnswers, type NewOtpInput, type SmscxClient } from "@otpkit/smscx";
import { dateOf, documented, invalidRef, sendFailure } from "../outcomes.js";
import type { CancelAnswer, CheckAnswer, Provider } from "../types.js";

/**
 * SMS.cx's own OTP settings for every code sent (`template`, `ttl`, `pinLength`, `pinType`,
 * `maxAttempts`, `from`, `trackId`, `otpCallbackUrl`), plus the provider's `name` in ids
 * (default `smscx`; give another to use two SMS.cx accounts).
 */
export type SmscxProviderOptions = Omit<NewOtpInput, "phoneNumber" | "countryIso"> & { readonly name?: string };

/** What `VerifyPin`'s documented error codes mean for a check. */
const CHECK_CODES: Readonly<Record<string, Exclude<CheckAnswer["status"], "verified">>> = {
  2021: "not_found",
  2022: "wrong_code", // no PIN given
  2023: "already_verified",
  2024: "cancelled",
  2025: "expired",
  2026: "too_many_attempts",
  2027: "too_many_attempts",
  2028: "expired",
  2029: "wrong_code",
};

/** What `CancelOtp`'s documented error codes mean. */
const CANCEL_CODES: Readonly<Record<string, CancelAnswer["status"]>> = { 2021: "not_found", 2030: "already_cancelled", 2031: "not_pending" };

/** `path.otpId`: where the client's validation reports a malformed ref. */
const REF = "path.otpId";

/**
 * A provider that sends codes with SMS.cx through an `@otpkit/smscx` client.
 *
 * @example
 * ```ts
 * const smscx = smscxProvider(createSmscxClient({ apiKey }), { ttl: 300, pinLength: 6 });
 * ```
 */
export function smscxProvider(client: SmscxClient, options: SmscxProviderOptions = {}): Provider {
  const { name = "smscx", ...settings } = options;
  return {
    name,
    async start(phoneNumber, call) {
      try {
        const { data, metadata } = await client.newOtp({ ...settings, phoneNumber }, call).withMetadata();
        const expiresAt = dateOf(data.dateExpires);
        return { outcome: "sent", ref: data.otpId, ...(expiresAt && { expiresAt }), attemptsLeft: data.maxAttempts - data.attempts, raw: data, metadata };
      } catch (error) {
        return sendFailure(error, notSentAnswers.NewOtp);
      }
    },
    async check(ref, code, call) {
      try {
        const { data, metadata } = await client.verifyPin({ otpId: ref, pin: code }, { ...call, validate: true }).withMetadata();
        return { status: "verified", raw: data, metadata };
      } catch (error) {
        const answer = invalidRef(error, REF, name) ?? documented(error, { codes: CHECK_CODES });
        if (answer) return answer;
        throw error;
      }
    },
    async cancel(ref, call) {
      try {
        const { data, metadata } = await client.cancelOtp({ otpId: ref }, { ...call, validate: true }).withMetadata();
        return { status: "cancelled", raw: data, metadata };
      } catch (error) {
        const answer = invalidRef(error, REF, name) ?? documented(error, { codes: CANCEL_CODES });
        if (answer) return answer;
        throw error;
      }
    },
  };
}
