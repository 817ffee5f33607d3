/**
 * Prelude (Verify API v2) as a verification provider: `createVerification` sends, and sends again
 * for `resend` (Prelude has no retry endpoint: the same create inside the verification window is a
 * retry); `checkVerification` checks by phone number and code. Prelude has no cancel. Which sends
 * mean "nothing sent" comes from specs/prelude.yaml (`notSentAnswers`).
 *
 * Prelude checks by phone number, not by id, so the ref (the part of the verification id after
 * `prelude:`) is `<Prelude's verification id>:<the E.164 phone number>`.
 */
import { ConfigurationError } from "@otpkit/runtime";
import { isPreludeOutcomeError, notSentAnswers, type CreateVerificationInput, type PreludeClient } from "@otpkit/prelude";
import { documented, refusal, sendFailure } from "../outcomes.js";
import { E164 } from "../phone.js";
import type { CheckAnswer, InvalidId, Provider, ProviderCallOptions, ResendAnswer } from "../types.js";

type PreludeOptions = NonNullable<CreateVerificationInput["options"]>;

/**
 * Prelude's own settings for every code sent, named as in its API: `options` (`template_id`,
 * `code_size`, `locale`, `app_realm`, `sender_id`, `method`, `preferred_channel`, `channels`,
 * `max_auto_fallbacks`, `force_challenge`, `callback_url`, `variables`), `signals` (device and
 * session signals for Prelude's anti-fraud) and `metadata` (`correlation_id`), plus the provider's
 * `name` in ids (default `prelude`).
 *
 * Left out: `options.custom_code` (one code for every user would let anyone who knows it pass any
 * check; passing it throws a `ConfigurationError`) and `dispatch_id` (it names one front-end SDK
 * dispatch, not a provider-wide setting).
 */
export type PreludeProviderOptions = Omit<CreateVerificationInput, "target" | "dispatch_id" | "options"> & {
  readonly options?: Omit<PreludeOptions, "custom_code">;
  readonly name?: string;
};

/** What `checkVerification`'s documented answers mean: 200 statuses, and 400 codes. */
const CHECK = {
  outcomes: {
    failure: "wrong_code",
    // No open window for the number: it expired, was converted, reached its maximum of checks, or never existed.
    expired_or_not_found: "not_found",
    // PSD2 codes (template prelude:psd2) are checked with their transaction, which this API does not carry.
    transaction_missing: "undetermined",
    transaction_mismatch: "undetermined",
  },
  codes: { invalid_phone_number: "not_found" },
} as const satisfies { outcomes: Record<string, CheckAnswer["status"]>; codes: Record<string, CheckAnswer["status"]> };

/** The ref of a verification: Prelude's verification id and the number it was sent to. */
const encodePreludeRef = (verificationId: string, phoneNumber: string): string => `${verificationId}:${phoneNumber}`;

/** The verification id and phone number in a ref, or `invalid_id` (nothing is sent). */
function decodeRef(ref: string, provider: string): { verificationId: string; phoneNumber: string } | InvalidId {
  const colon = ref.lastIndexOf(":");
  const verificationId = ref.slice(0, colon);
  const phoneNumber = ref.slice(colon + 1);
  if (colon < 1 || /\s/.test(verificationId) || !E164.test(phoneNumber)) {
    return { status: "invalid_id", message: `not an id ${provider} issued (${provider}:<verification id>:<E.164 phone number>); nothing was sent.` };
  }
  return { verificationId, phoneNumber };
}

/**
 * A shadow block (a block rule in dry-run mode) is not enforced, so the code went out: the send
 * counts as a success, with Prelude's answer (`status`, `reason`, `risk_factors`) as `raw`.
 */
const shadowBlocked = (error: unknown) =>
  isPreludeOutcomeError(error) && error.operationId === "createVerification" && error.outcome === "shadow_blocked" ? error : undefined;

/**
 * A provider that sends codes with Prelude's Verify API v2 through an `@otpkit/prelude` client.
 *
 * **Its verification ids hold the phone number.** Prelude checks a code by phone number and code,
 * so the id `start` returns is `prelude:<Prelude's verification id>:<E.164 number>`
 * (`prelude:vrf_01jc0t6fwwfgfsq1md24mhyztj:+33612246400`). Treat it as personal data: do not log
 * it, and keep it on your server (in the session) rather than in a URL. `resend` sends a new code
 * to the number in the id, so an id your app accepts back from a browser lets that browser choose
 * where a billed message goes: check it against the number you started with.
 *
 * - `check` asks Prelude about the number in the id; Prelude answers for its open verification
 *   window, whichever verification id the id holds.
 * - `resend` is Prelude's retry: the same `createVerification` again, **a second billed send**
 *   (another message, billed again). Inside the window Prelude answers `retry`; after it closed,
 *   it opens a new window (`success`, a new verification id in `raw.id`), and `check` with the
 *   old id still works, since it goes by number. Never call it after an error you did not read:
 *   the client does not repeat it either.
 * - `cancel` is `not_supported`: Prelude has no cancel.
 *
 * @example
 * ```ts
 * const prelude = preludeProvider(createPreludeClient({ accessToken: process.env.PRELUDE_API_KEY! }), { options: { template_id: "template_01jc0tbxyz", code_size: 6, locale: "fr-FR" } });
 * ```
 */
export function preludeProvider(client: PreludeClient, options: PreludeProviderOptions = {}): Provider {
  const { name = "prelude", ...settings } = options;
  if (settings.options && "custom_code" in settings.options) {
    throw new ConfigurationError("preludeProvider: options.custom_code would send every user the same code; leave it out and let Prelude generate one per verification.");
  }
  /** One billed `createVerification` for `phoneNumber`, with the provider's settings. */
  const create = (phoneNumber: string, call?: ProviderCallOptions) => client.createVerification({ ...settings, target: { type: "phone_number", value: phoneNumber } }, call).withMetadata();
  return {
    name,
    async start(phoneNumber, call) {
      try {
        const { data, metadata } = await create(phoneNumber, call);
        return { outcome: "sent", ref: encodePreludeRef(data.id, phoneNumber), raw: data, metadata };
      } catch (error) {
        const shadow = shadowBlocked(error);
        if (shadow) return { outcome: "sent", ref: encodePreludeRef(shadow.body.id, phoneNumber), raw: shadow.body, metadata: shadow.metadata };
        return sendFailure(error, notSentAnswers.createVerification);
      }
    },
    async check(ref, code, call) {
      const target = decodeRef(ref, name);
      if ("status" in target) return target;
      try {
        const { data, metadata } = await client.checkVerification({ target: { type: "phone_number", value: target.phoneNumber }, code }, { ...call, validate: true }).withMetadata();
        return { status: "verified", raw: data, metadata };
      } catch (error) {
        const answer = documented(error, CHECK);
        if (answer) return answer;
        throw error;
      }
    },
    async resend(ref, call): Promise<ResendAnswer | InvalidId> {
      const target = decodeRef(ref, name);
      if ("status" in target) return target;
      try {
        const { data, metadata } = await create(target.phoneNumber, call);
        return { status: "sent", raw: data, metadata };
      } catch (error) {
        const shadow = shadowBlocked(error);
        if (shadow) return { status: "sent", raw: shadow.body, metadata: shadow.metadata };
        const refused = refusal(error, notSentAnswers.createVerification);
        if (refused) return { ...refused, status: "not_sent" };
        throw error;
      }
    },
  };
}
