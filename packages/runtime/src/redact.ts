/**
 * Keeps credentials out of everything otpkit hands back: error messages, bodies, URLs, logs.
 * The client knows its own secrets, so it can scrub them from text the server sent, too (a
 * server that echoes the API key in an error body must not put it into a log line).
 */

export const REDACTED = "[REDACTED]";

/** Secrets shorter than this (an OTP such as `1234`) are only replaced where they stand alone. */
const SHORT = 8;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Each secret as written, URL-encoded, and escaped inside a JSON string; computed once per list. */
const formsCache = new WeakMap<readonly string[], readonly string[]>();
function formsOf(secrets: readonly string[]): readonly string[] {
  let forms = formsCache.get(secrets);
  if (!forms) {
    forms = [...new Set(secrets.flatMap((secret) => (secret ? [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)] : [])))];
    formsCache.set(secrets, forms);
  }
  return forms;
}

/** True when `text` may contain one of the secrets (cheap: most texts contain none). */
export const mentions = (text: string, secrets: readonly string[]): boolean => formsOf(secrets).some((form) => text.includes(form));

/**
 * Replaces every occurrence of a secret in a text. A short secret is replaced only where it is not
 * part of a longer word or number, so `1234` does not turn `12345` into `[REDACTED]5`; a long one is
 * replaced everywhere, even inside a longer token.
 */
export function scrubText(text: string, secrets: readonly string[]): string {
  for (const form of formsOf(secrets)) {
    if (!text.includes(form)) continue;
    text =
      form.length < SHORT
        ? // No lookbehind: older Safari (< 16.4) cannot parse one.
          text.replace(RegExp(`(^|[^\\w-])${escapeRegExp(form)}(?![\\w-])`, "g"), `$1${REDACTED}`)
        : text.split(form).join(REDACTED);
  }
  return text;
}

/** Replaces secrets in every string (keys included) of a JSON-like value; numbers are left alone. */
export function scrub<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === "string") return scrubText(value, secrets) as T;
  if (!value || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item: unknown) => scrub(item, secrets)) as T;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[scrubText(key, secrets)] = scrub(item, secrets);
  return copy as T;
}

/** A URL fit for messages: no user info, and no value of a query parameter that looks secret. */
export function safeUrl(url: string, secrets: readonly string[]): string {
  // The common case (no query, no user info, no secret in the path) needs no parsing.
  if (!/[?@]/.test(url) && !mentions(url, secrets)) return url;
  try {
    const parsed = new URL(url);
    parsed.username = parsed.password = "";
    for (const key of [...parsed.searchParams.keys()]) {
      if (/key|token|secret|pass|auth|sig/i.test(key)) parsed.searchParams.set(key, REDACTED);
    }
    return scrubText(parsed.href, secrets);
  } catch {
    return scrubText(url, secrets);
  }
}

/** The headers as they are, or a copy with the secrets scrubbed from their values if any holds one. */
export function scrubHeaders(headers: Headers, secrets: readonly string[]): Headers {
  let values = "";
  for (const value of headers.values()) values += value + "\n";
  if (!mentions(values, secrets)) return headers;
  const scrubbed = new Headers();
  headers.forEach((value, name) => scrubbed.append(name, scrubText(value, secrets)));
  return scrubbed;
}
