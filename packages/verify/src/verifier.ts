/**
 * `createVerifier`: one verification API over several providers. `start` tries them in order and
 * moves on only after a refusal that certainly sent nothing; `check`, `resend` and `cancel` go to
 * the provider the id names.
 */
import { ConfigurationError } from "@otpkit/runtime";
import { decodeId, encodeId, PROVIDER_NAME } from "./id.js";
import { E164 } from "./phone.js";
import type { CancelAnswer, FailoverEvent, IdInput, InvalidId, NotSupported, ResendAnswer, Provider, StartInput, StartResult, Tried, Verifier, VerifierOptions } from "./types.js";

function checkProviders(options: VerifierOptions | undefined): ReadonlyMap<string, Provider> {
  const providers = options?.providers;
  if (!Array.isArray(providers) || !providers.length) throw new ConfigurationError("createVerifier: pass providers, a non-empty list such as [smscxProvider(smscx), dingProvider(ding)].");
  const byName = new Map<string, Provider>();
  for (const provider of providers as readonly Provider[]) {
    const name = provider?.name;
    if (typeof name !== "string" || !PROVIDER_NAME.test(name)) throw new ConfigurationError(`createVerifier: a provider's name must be lower-case letters, digits and hyphens, got ${JSON.stringify(name)}.`);
    if (byName.has(name)) throw new ConfigurationError(`createVerifier: two providers are named "${name}"; give one another name (the name option) so ids stay unambiguous.`);
    byName.set(name, provider);
  }
  return byName;
}

async function start(providers: readonly Provider[], input: StartInput, onFailover?: (event: FailoverEvent) => void): Promise<StartResult> {
  const tried: Tried[] = [];
  const phoneNumber: unknown = input?.phoneNumber;
  if (typeof phoneNumber !== "string" || !E164.test(phoneNumber)) {
    return { status: "invalid_phone_number", message: "phoneNumber must be an E.164 number: +, the country code and the number, up to 15 digits (+33612246400); nothing was sent.", tried };
  }
  for (const [i, provider] of providers.entries()) {
    const result = await provider.start(phoneNumber, { signal: input.signal });
    if (result.outcome === "sent") {
      const { outcome, ref, metadata, ...rest } = result;
      tried.push({ provider: provider.name, outcome, metadata });
      return { status: "sent", id: encodeId(provider.name, ref), provider: provider.name, ...rest, metadata, tried };
    }
    tried.push({ ...result, provider: provider.name });
    // Maybe sent, or refused for a reason the spec does not list: another provider could send a second code.
    if (result.outcome !== "not_sent") return { status: result.outcome, provider: provider.name, error: result.error, tried };
    const next = providers[i + 1];
    if (next) onFailover?.({ from: provider.name, to: next.name, reason: result.reason, error: result.error, tried: [...tried] });
  }
  return { status: "not_sent", tried };
}

const notSupported = (provider: Provider, operation: NotSupported["operation"]): NotSupported => ({
  status: "not_supported",
  provider: provider.name,
  operation,
  message: `${provider.name} cannot ${operation} a verification; nothing was sent.`,
});

/**
 * Creates a verifier over `providers`, tried in this order by `start`.
 *
 * @throws {@link ConfigurationError} when `providers` is empty or two providers share a name.
 * @example
 * ```ts
 * const verifier = createVerifier({ providers: [smscxProvider(smscx), dingProvider(ding)] });
 * const started = await verifier.start({ phoneNumber: "+33612246400" });
 * if (started.status === "sent") await verifier.check({ id: started.id, code: "1544" });
 * ```
 */
export function createVerifier(options: VerifierOptions): Verifier {
  const byName = checkProviders(options);
  const providers = [...byName.values()];
  return {
    start: (input) => start(providers, input, options.onFailover),
    check: async (input) => {
      if (typeof input?.code !== "string") throw new TypeError("check: code must be the string the user entered.");
      return routed(byName, input, (p, ref) => p.check(ref, input.code, { signal: input.signal }));
    },
    resend: (input) => routed<ResendAnswer | NotSupported>(byName, input, (p, ref) => (p.resend ? p.resend(ref, { signal: input.signal }) : notSupported(p, "resend"))),
    cancel: (input) => routed<CancelAnswer | NotSupported>(byName, input, (p, ref) => (p.cancel ? p.cancel(ref, { signal: input.signal }) : notSupported(p, "cancel"))),
  };
}

const isInvalidId = (answer: { readonly status: string }): answer is InvalidId => answer.status === "invalid_id";

/** Runs `call` on the provider the id names, and says which provider answered; `invalid_id` when the id names none. */
async function routed<A extends { readonly status: string }>(
  byName: ReadonlyMap<string, Provider>,
  input: IdInput,
  call: (provider: Provider, ref: string) => Promise<A | InvalidId> | A,
): Promise<(A & { readonly provider: string }) | InvalidId> {
  const found = decodeId(input?.id, byName);
  if ("status" in found) return found;
  const answer = await call(found.provider, found.ref);
  return isInvalidId(answer) ? answer : { ...answer, provider: found.provider.name };
}
