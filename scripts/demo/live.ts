/**
 * What --live needs: credentials from the environment (checked before anything starts, never
 * printed), the phone number, and a terminal to ask on (y/N before billed steps, the codes the user
 * receives).
 */
import { createInterface, type Interface } from "node:readline";
import type { AnyFlow, Env } from "./flow.ts";

export const PHONE_ENV = "OTPKIT_DEMO_PHONE";

/** E.164: a plus sign, then up to 15 digits, the first one not 0. */
const E164 = /^\+[1-9]\d{6,14}$/;

export interface LiveConfig {
  readonly phone: string;
  /** Values that must never reach the output: every credential the selected flows read. */
  readonly secrets: readonly string[];
}

/**
 * Checks the environment for the selected flows. Returns the problems (naming variables, never
 * their values) or what the run needs.
 */
export function checkLiveEnv(flows: readonly AnyFlow[], env: Env): { problems: string[] } | { config: LiveConfig } {
  const missing: string[] = [];
  const problems: string[] = [];
  const secrets: string[] = [];
  const seen = new Set<string>();
  for (const flow of flows) {
    for (const need of flow.live.env) {
      const key = need.oneOf.join("|");
      if (seen.has(key)) continue;
      seen.add(key);
      const set = need.oneOf.filter((name) => env[name]?.trim());
      if (set.length === 0) missing.push(`${need.oneOf.join(" or ")} (${need.what})`);
      else if (set.length > 1) problems.push(`Set only one of ${need.oneOf.join(" and ")}, not both.`);
      if (!need.oneOf.includes(PHONE_ENV)) for (const name of set) secrets.push(env[name]!);
    }
  }
  const phone = env[PHONE_ENV]?.trim() ?? "";
  if (phone && flows.some((flow) => flow.live.usesPhone) && !E164.test(phone)) {
    problems.push(`${PHONE_ENV} must be an E.164 number: a plus sign and the country code, then the number, digits only (like +33612246400).`);
  }
  if (missing.length) {
    problems.unshift(`${missing.length === 1 ? "this environment variable is" : "these environment variables are"} not set:\n${missing.map((m) => `  ${m}`).join("\n")}`);
  }
  return problems.length ? { problems } : { config: { phone, secrets } };
}

/** `+33•••••••400`: enough to recognise your own number, not enough to copy it. */
export const maskPhone = (phone: string): string => (phone.length > 6 ? phone.slice(0, 3) + "•".repeat(phone.length - 6) + phone.slice(-3) : "•".repeat(phone.length));

/** Replaces every secret (and the phone number) in `text`; the last line of defence before output. */
export function scrubber(secrets: readonly string[], phone?: string): (text: string) => string {
  const replacements: [string, string][] = secrets.filter((s) => s.length >= 4).map((s) => [s, "[REDACTED]"]);
  if (phone) replacements.push([phone, maskPhone(phone)]);
  return (text) => replacements.reduce((out, [from, to]) => out.split(from).join(to), text);
}

/** Questions on the terminal: y/N before billed steps, and the codes the user receives. */
export interface Prompter {
  /** Whether a person can answer (stdin is a terminal). */
  readonly interactive: boolean;
  /** One line from stdin (a terminal or a pipe); `undefined` at end of input. */
  ask(question: string): Promise<string | undefined>;
  /** y/N; anything but y or yes is no. */
  confirm(question: string): Promise<boolean>;
  close(): void;
}

export function createPrompter(
  onInterrupt: () => void,
  input: NodeJS.ReadableStream & { readonly isTTY?: boolean },
  output: NodeJS.WritableStream,
): Prompter {
  let rl: Interface | undefined;
  const lines: string[] = [];
  let waiting: ((line: string | undefined) => void) | undefined;
  let ended = false;

  const open = (): void => {
    if (rl) return;
    rl = createInterface({ input, output, terminal: input.isTTY === true });
    rl.on("line", (line) => {
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve(line);
      } else lines.push(line);
    });
    rl.on("close", () => {
      ended = true;
      waiting?.(undefined);
      waiting = undefined;
    });
    // In a terminal readline reads Ctrl-C as a key: treat it like the signal.
    rl.on("SIGINT", onInterrupt);
  };

  const ask = (question: string): Promise<string | undefined> => {
    open();
    output.write(question);
    if (lines.length) return Promise.resolve(lines.shift());
    if (ended) return Promise.resolve(undefined);
    return new Promise((resolve) => (waiting = resolve));
  };

  return {
    interactive: input.isTTY === true,
    ask: async (question) => {
      const answer = await ask(question);
      // A piped answer is not echoed: end the question's line.
      if (input.isTTY !== true) output.write("\n");
      return answer?.trim() || undefined;
    },
    confirm: async (question) => /^(y|yes)$/i.test((await ask(`${question} [y/N] `))?.trim() ?? ""),
    close: () => rl?.close(),
  };
}
