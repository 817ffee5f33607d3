/**
 * Keeps credentials out of everything otpkit hands back: error messages, bodies, URLs, logs.
 * The client knows its own secrets, so it can scrub them from text the server sent, too (a
 * server that echoes the API key in an error body must not put it into a log line).
 */

export const REDACTED = "[REDACTED]";

/** Replaces every occurrence of a secret in a JSON-compatible value. */
export function scrub<T>(value: T, secrets: readonly string[]): T {
  if (value === undefined || !secrets.length) return value;
  let text = JSON.stringify(value);
  // Compare against each secret as it appears inside a JSON string (quotes and backslashes escaped).
  for (const secret of secrets) text = text.split(JSON.stringify(secret).slice(1, -1)).join(REDACTED);
  return JSON.parse(text) as T;
}

/** A URL fit for messages: no user info, and no value of a query parameter that looks secret. */
export function safeUrl(url: string, secrets: readonly string[]): string {
  try {
    const parsed = new URL(url);
    parsed.username = parsed.password = "";
    for (const key of [...parsed.searchParams.keys()]) {
      if (/key|token|secret|pass|auth|sig/i.test(key)) parsed.searchParams.set(key, REDACTED);
    }
    return scrub(parsed.href, secrets);
  } catch {
    return scrub(url, secrets);
  }
}
