/**
 * Verification ids: `<provider>:<ref>`, where `ref` is what the provider's `start` returned (the
 * vendor's id, and for Prelude the phone number too). The id says which provider to ask, so
 * `check` needs no store; it is not a secret and not signed: whoever changes it can only point a
 * check at another verification, whose code they still need (but a changed Prelude id points a
 * billed `resend` at another number: see `preludeProvider`).
 */
import type { InvalidId, Provider } from "./types.js";

/** A provider name: it becomes the prefix of every id, so it cannot hold `:` or spaces. */
export const PROVIDER_NAME = /^[a-z][a-z0-9-]*$/;

export const encodeId = (provider: string, ref: string): string => `${provider}:${ref}`;

/** The provider an id names and its ref, or why the id is not one this verifier issued. */
export function decodeId(id: unknown, providers: ReadonlyMap<string, Provider>): { provider: Provider; ref: string } | InvalidId {
  const invalid = (message: string): InvalidId => ({ status: "invalid_id", message: `${message}; nothing was sent.` });
  if (typeof id !== "string") return invalid(`the id must be the string start() returned, got ${id === null ? "null" : typeof id}`);
  const colon = id.indexOf(":");
  const name = id.slice(0, colon);
  const ref = id.slice(colon + 1);
  if (colon < 0 || !PROVIDER_NAME.test(name) || !ref) return invalid(`${JSON.stringify(id.slice(0, 80))} is not a verification id (<provider>:<id>, as start() returns it)`);
  const provider = providers.get(name);
  if (!provider) return invalid(`the id names the provider "${name}", which this verifier does not have (it has ${[...providers.keys()].join(", ")})`);
  return { provider, ref };
}
