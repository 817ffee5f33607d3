/**
 * Ding as a verification provider: `create-authentication` sends, `check` checks, `retry` resends.
 * Ding has no cancel. Which sends and resends mean "nothing sent" comes from specs/ding.yaml
 * (`notSentAnswers`).
 */
import { notSentAnswers, type CreateAuthenticationInput, type DingClient } from "@otpkit/ding";
import { dateOf, documented, invalidRef, refusal, sendFailure } from "../outcomes.js";
import type { CheckAnswer, Provider, ResendAnswer } from "../types.js";

/**
 * Ding's own settings for every code sent (`app_realm`, `device_type`, `template_id`, `sender_id`,
 * `locale`, `callback_url`, device signals…), plus the provider's `name` in ids (default `ding`).
 * `customer_uuid` comes from the client.
 */
export type DingProviderOptions = Omit<CreateAuthenticationInput, "phone_number" | "customer_uuid"> & { readonly name?: string };

/** What `check`'s documented answers mean: 200 statuses, and 400 codes. */
const CHECK = {
  outcomes: {
    invalid: "wrong_code",
    expired_auth: "expired",
    rate_limited: "too_many_attempts",
    already_validated: "already_verified",
    without_attempt: "undetermined",
    unknown: "undetermined",
  },
  codes: { impossible_code: "wrong_code", no_associated_auth_found: "not_found", invalid_auth_uuid: "not_found" },
} as const satisfies { outcomes: Record<string, CheckAnswer["status"]>; codes: Record<string, CheckAnswer["status"]> };

/** What `retry`'s documented answers mean, besides the refusals its spec lists as "not sent". */
const RESEND = {
  outcomes: { expired_auth: "expired", already_validated: "already_verified" },
  codes: { no_associated_auth_found: "not_found", invalid_auth_uuid: "not_found" },
} as const satisfies { outcomes: Record<string, ResendAnswer["status"]>; codes: Record<string, ResendAnswer["status"]> };

/** `body.authentication_uuid`: where the client's validation reports a malformed ref. */
const REF = "body.authentication_uuid";

/**
 * A provider that sends codes with Ding through an `@otpkit/ding` client.
 *
 * @example
 * ```ts
 * const ding = dingProvider(createDingClient({ apiKey, customerUuid }), { device_type: "ANDROID", app_realm: "FA+9qCX9VSu" });
 * ```
 */
export function dingProvider(client: DingClient, options: DingProviderOptions = {}): Provider {
  const { name = "ding", ...settings } = options;
  return {
    name,
    async start(phoneNumber, call) {
      try {
        const { data, metadata } = await client.createAuthentication({ ...settings, phone_number: phoneNumber }, call).withMetadata();
        if (!data.authentication_uuid) throw new Error("Ding answered pending without an authentication_uuid: the code may be on its way, but it cannot be checked.");
        const expiresAt = dateOf(data.expires_at);
        return { outcome: "sent", ref: data.authentication_uuid, ...(expiresAt && { expiresAt }), raw: data, metadata };
      } catch (error) {
        return sendFailure(error, notSentAnswers["create-authentication"]);
      }
    },
    async check(ref, code, call) {
      try {
        const { data, metadata } = await client.check({ authentication_uuid: ref, check_code: code }, { ...call, validate: true }).withMetadata();
        return { status: "verified", raw: data, metadata };
      } catch (error) {
        const answer = invalidRef(error, REF, name) ?? documented(error, CHECK);
        if (answer) return answer;
        throw error;
      }
    },
    async resend(ref, call) {
      try {
        const { data, metadata } = await client.retry({ authentication_uuid: ref }, { ...call, validate: true }).withMetadata();
        const nextRetryAt = dateOf(data.next_retry_at);
        return { status: "sent", ...(data.remaining_retry !== undefined && { retriesLeft: data.remaining_retry }), ...(nextRetryAt && { nextRetryAt }), raw: data, metadata };
      } catch (error) {
        const refused = refusal(error, notSentAnswers.retry);
        if (refused) {
          // A denied retry says when the next one may go out.
          const nextRetryAt = dateOf((refused.raw as { next_retry_at?: string } | undefined)?.next_retry_at);
          return { ...refused, status: "not_sent", ...(nextRetryAt && { nextRetryAt }) };
        }
        const answer = invalidRef(error, REF, name) ?? documented(error, RESEND);
        if (answer) return answer;
        throw error;
      }
    },
  };
}
