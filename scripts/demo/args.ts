/** The demo's command line: `pnpm demo [--vendor <name>] [--live [--yes]] [--mock-server <vendor>=<url>]`. */
import { isLoopbackHost } from "../lib/loopback.ts";
import { vendorIds, type VendorId } from "./flow.ts";

export interface DemoArgs {
  readonly vendors: readonly VendorId[];
  readonly live: boolean;
  readonly yes: boolean;
  /** Mock mode: the Prism servers already running, by vendor, that the demo uses instead of starting its own. */
  readonly mockServers: Readonly<Partial<Record<VendorId, string>>>;
}

export type ParsedArgs =
  | { readonly kind: "run"; readonly args: DemoArgs }
  | { readonly kind: "help" }
  | { readonly kind: "error"; readonly message: string };

export const usage = `Usage: pnpm demo [--vendor <name>] [--live [--yes]] [--mock-server <vendor>=<url>]

Runs otpkit's one-time-password flows for SMS.cx, Ding, Equinix Metal and Prelude through the
packages' public API, step by step, and ends with a summary. By default every call goes to
Prism mock servers built from specs/*.yaml on loopback: no account or key needed. With both
SMS.cx and Ding, mock mode adds a verification section: @otpkit/verify's failover.

Options:
  --vendor <name>  run one vendor: smscx, ding, equinix-metal or prelude (repeat the option,
                   or separate names with commas, for several)
  --mock-server <vendor>=<url>
                   use a Prism mock of that vendor that is already running on loopback (the
                   way the demo starts its own: prism mock --errors specs/<vendor>.yaml)
                   instead of starting one; the demo does not stop it. Repeat for several.
  --live           call the real APIs, with credentials from the environment (below)
  --yes, -y        with --live: do not ask before steps that cost money
  --help, -h       show this help

Environment for --live (values are never printed):
  SMSCX_API_KEY or SMSCX_ACCESS_TOKEN   SMS.cx API key, or OAuth2 access token (scope otp)
  DING_API_KEY and DING_CUSTOMER_UUID   Ding API key and customer UUID
  METAL_AUTH_TOKEN                      Equinix Metal user API key (codes go to its user's phone)
  PRELUDE_API_KEY                       Prelude v2 API key
  OTPKIT_DEMO_PHONE                     E.164 number that gets the SMS.cx, Ding and Prelude codes
  SMSCX_BASE_URL, DING_BASE_URL, METAL_BASE_URL, PRELUDE_BASE_URL
                                        optional: another base URL (https, or loopback)
With --live, steps marked $ cost money: the demo asks before each one (y/N), and without a
terminal to ask on it skips them unless --yes is given. You type the codes you receive.

To test your own app without Prism or a key, use the in-process mocks the packages ship:
import { createSmscxMock } from "@otpkit/smscx/testing" (createDingMock, createEquinixMetalMock, createPreludeMock),
and pass mock.fetch to the client; each package README's "Testing your app" has the details.

Colour is on in a terminal; NO_COLOR=1 turns it off, FORCE_COLOR=1 forces it on.
Exit status: 0 every step did what it expects, 1 a step did not (or a mock server did not start
or answer), 2 usage or configuration error, 130 interrupted (Ctrl-C). Every mock server the demo
starts is stopped, also on Ctrl-C.`;

/** Accepted spellings of each vendor. */
const aliases: Readonly<Record<string, VendorId>> = {
  smscx: "smscx",
  "sms.cx": "smscx",
  ding: "ding",
  "equinix-metal": "equinix-metal",
  equinix: "equinix-metal",
  metal: "equinix-metal",
  prelude: "prelude",
};

const fail = (message: string): ParsedArgs => ({ kind: "error", message });

/** `--mock-server <vendor>=<url>` → [vendor, url], or what is wrong with it. */
function parseMockServer(value: string | undefined): [VendorId, string] | string {
  const at = value?.indexOf("=") ?? -1;
  if (value === undefined || value.startsWith("-") || at < 1) return "--mock-server needs <vendor>=<url>, such as smscx=http://127.0.0.1:4010.";
  const name = value.slice(0, at).trim().toLowerCase();
  const id = aliases[name];
  if (!id) return `Unknown vendor "${name}" in --mock-server. Choose ${vendorIds.slice(0, -1).join(", ")} or ${vendorIds.at(-1)}.`;
  let url: URL | undefined;
  try {
    url = new URL(value.slice(at + 1).trim());
  } catch {
    // reported below
  }
  if (!url || !/^https?:$/.test(url.protocol) || !isLoopbackHost(url.hostname) || url.username || url.password || url.search || url.hash) {
    return `--mock-server ${name}= needs an http(s) URL on loopback (127.x.x.x, [::1] or localhost), such as http://127.0.0.1:4010; got "${value.slice(at + 1)}".`;
  }
  return [id, url.href.replace(/\/$/, "")];
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const vendors = new Set<VendorId>();
  let live = false;
  let yes: string | undefined; // the spelling used (--yes or -y), for the message
  let help = false;
  const mockServers: Partial<Record<VendorId, string>> = {};
  const args = [...argv];
  while (args.length) {
    const arg = args.shift()!;
    if (arg === "--") continue; // `pnpm demo -- --vendor smscx`
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (inline !== undefined && ["--help", "--live", "--yes"].includes(flag)) return fail(`${flag} takes no value.`);
    switch (flag) {
      case "--help":
      case "-h":
        help = true;
        break;
      case "--live":
        live = true;
        break;
      case "--yes":
      case "-y":
        yes = flag;
        break;
      case "--vendor": {
        const value = inline ?? args.shift();
        const names = (value ?? "").split(",").map((n) => n.trim().toLowerCase()).filter(Boolean);
        if (value === undefined || value.startsWith("-") || !names.length) {
          return fail(`--vendor needs a name: ${vendorIds.slice(0, -1).join(", ")} or ${vendorIds.at(-1)}.`);
        }
        for (const name of names) {
          const id = aliases[name];
          if (!id) return fail(`Unknown vendor "${name}". Choose ${vendorIds.slice(0, -1).join(", ")} or ${vendorIds.at(-1)}.`);
          vendors.add(id);
        }
        break;
      }
      case "--mock-server": {
        const parsed = parseMockServer(inline ?? args.shift());
        if (typeof parsed === "string") return fail(parsed);
        const [id, url] = parsed;
        if (mockServers[id] !== undefined && mockServers[id] !== url) return fail(`--mock-server names two servers for ${id}: ${mockServers[id]} and ${url}.`);
        mockServers[id] = url;
        break;
      }
      default:
        return fail(arg.startsWith("-") ? `Unknown option "${arg}".` : `Unexpected argument "${arg}" (to pick a vendor, write --vendor ${arg}).`);
    }
  }
  if (help) return { kind: "help" };
  // --yes answers the y/N question --live asks before a billed step; the mocks bill nothing and
  // ask nothing, so without --live it would be silently ignored.
  if (yes !== undefined && !live) {
    return fail(`${yes} only works with --live: it skips the y/N question before steps that cost money, and mock mode asks none. Add --live, or drop ${yes}.`);
  }
  const given = Object.keys(mockServers) as VendorId[];
  if (given.length && live) return fail("--mock-server only works in mock mode: --live calls the real APIs. Drop one of them.");
  const selected = vendorIds.filter((id) => vendors.size === 0 || vendors.has(id));
  const unused = given.filter((id) => !selected.includes(id));
  if (unused.length) return fail(`--mock-server names ${unused.join(", ")}, which --vendor does not select.`);
  return { kind: "run", args: { vendors: selected, live, yes: yes !== undefined, mockServers } };
}
