/**
 * `pnpm demo` (scripts/demo/cli.ts): mock mode for every vendor (then the @otpkit/verify section over
 * SMS.cx and Ding) and for one, the usage errors, --live's refusals (no network here: --live is only
 * run where it must stop before any request, and its base URL points at a closed loopback port),
 * and Ctrl-C. Every run checks afterwards which Prism processes the demo started.
 *
 * Two runs are child processes, the way a newcomer runs `pnpm demo`: `--vendor smscx` (the CLI's
 * exit status and output, and the demo starting its own Prism and leaving none behind) and Ctrl-C
 * (SIGINT → 130, every Prism it started stopped, the ones it was given left running). Each spawn
 * costs about a second of CPU (node, tsx, the modules) and each Prism start about as much; the
 * other runs call the module's `main` in this process with the same arguments and environment and
 * captured stdout and stderr, and use the file's Prism servers through `--mock-server` (under
 * `pnpm test` the test run's shared ones, ../prism/shared.ts), as the --live run does.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { PassThrough, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseArgs } from "../demo/args.ts";
import { main } from "../demo/cli.ts";
import { wrongCode } from "../demo/flow.ts";
import { maskPhone, scrubber } from "../demo/live.ts";
import { colourWanted, wrapFields } from "../demo/style.ts";
import { freePort, vendors } from "../prism/index.ts";
import { acquirePrisms, releaseAll, type PrismHandle } from "../prism/shared.ts";
import { children, isPrism } from "./fixtures/processes.ts";

const scriptsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Prism takes 1.5 s to start on an idle machine, and much longer on a busy CI runner. */
const PRISM_TIMEOUT = 120_000;

const LIVE_VARIABLES = ["SMSCX_API_KEY", "SMSCX_ACCESS_TOKEN", "DING_API_KEY", "DING_CUSTOMER_UUID", "METAL_AUTH_TOKEN", "PRELUDE_API_KEY", "OTPKIT_DEMO_PHONE"];

interface DemoRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Every Prism process the demo started, seen while it ran. */
  prismPids: number[];
}

interface RunOptions {
  env?: Record<string, string>;
  /** Piped to stdin (which is then not a terminal); otherwise stdin is closed. */
  stdin?: string;
}

interface SpawnOptions extends RunOptions {
  /** Called with the output so far, until it returns true (e.g. to send SIGINT at the right moment). */
  until?: (stdout: string, pid: number, prismPids: readonly number[]) => boolean;
}

/** The demo's environment: this one without colour, step delay or --live credentials, plus `extra`. */
function demoEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", ...extra };
  delete env["FORCE_COLOR"];
  delete env["OTPKIT_DEMO_STEP_DELAY_MS"];
  for (const name of LIVE_VARIABLES) if (!extra[name]) delete env[name];
  return Object.assign(env, extra);
}

/**
 * Records in `run.prismPids` every Prism process whose parent is `parent` (but those in `known`),
 * then calls `then`: every 100 ms and whenever `look` is called, until `stop`.
 */
function watchPrisms(parent: number, run: DemoRun, known: readonly number[], then = () => {}): { look: () => void; stop: () => void } {
  const look = () => {
    for (const pid of children(parent).filter(isPrism)) if (!known.includes(pid) && !run.prismPids.includes(pid)) run.prismPids.push(pid);
    then();
  };
  const poll = setInterval(look, 100);
  return { look, stop: () => clearInterval(poll) };
}

/** `pnpm demo <args>` as its own process: `node --import tsx demo/cli.ts`, as `tsx` runs it. */
function spawnDemo(args: readonly string[], options: SpawnOptions = {}): Promise<DemoRun> {
  const child = spawn(process.execPath, ["--import", "tsx", "demo/cli.ts", ...args], { cwd: scriptsDir, env: demoEnv(options.env), stdio: ["pipe", "pipe", "pipe"] });
  child.stdin.end(options.stdin ?? "");
  const run: DemoRun = { code: null, signal: null, stdout: "", stderr: "", prismPids: [] };
  let waiting = options.until !== undefined;
  const watch = watchPrisms(child.pid!, run, [], () => {
    if (waiting && options.until!(run.stdout, child.pid!, run.prismPids)) waiting = false;
  });
  child.stdout.on("data", (chunk: Buffer) => {
    run.stdout += chunk.toString();
    watch.look();
  });
  child.stderr.on("data", (chunk: Buffer) => (run.stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      watch.stop();
      run.code = code;
      run.signal = signal;
      resolve(run);
    });
  });
}

/** A stream that appends what is written to it to `run[into]`. */
const capture = (run: DemoRun, into: "stdout" | "stderr") =>
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      run[into] += chunk.toString();
      done();
    },
  });

/**
 * `pnpm demo <args>` in this process: the CLI's `main` with the environment `spawnDemo` gives the
 * child and captured stdout and stderr; `code` is the exit status it returns. A Prism it started
 * would be this process's child (the file's own servers, when there is no shared broker, are not
 * counted).
 */
async function runDemo(args: readonly string[], options: RunOptions = {}): Promise<DemoRun> {
  const run: DemoRun = { code: null, signal: null, stdout: "", stderr: "", prismPids: [] };
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? "");
  const watch = watchPrisms(process.pid, run, prisms ? Object.values(prisms).map((prism) => prism.pid) : []);
  try {
    run.code = await main(args, { stdin, stdout: capture(run, "stdout"), stderr: capture(run, "stderr"), env: demoEnv(options.env) });
  } finally {
    watch.look();
    watch.stop();
  }
  return run;
}

/** Waits (up to 2 s) for the pids to be gone, then says which are not. */
async function leftOver(pids: readonly number[]): Promise<number[]> {
  for (let i = 0; i < 20 && pids.some(isPrism); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  return pids.filter(isPrism);
}

/** One step row: `  <op>  <expected>  <HTTP>  <ms>  <retries>  <result>`. */
const row = (op: string, expected: string, status: string, retries: number, result = "ok") =>
  new RegExp(`^  ${op.replace("$", "\\$")}\\s+${expected.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s+${status}\\s+\\d+\\s+${retries}  ${result}$`, "m");

const smscxRows = [
  row("newOtp", "ttl 5000 → ValidationError", "–", 0),
  row("newOtp $", "201, OTP PENDING", "201", 0),
  row("getOtpStatus", "500, retried → PENDING", "200", 1),
  row("verifyPin", "wrong PIN → ApiError 2029", "400", 0),
  row("verifyPin", "right PIN → VERIFIED", "200", 0),
  row("getOtpStatus", "VERIFIED, 1 failed attempt", "200", 0),
  row("cancelOtp", "verified → ApiError 2031", "403", 0),
  row("newOtp $", "201, another OTP PENDING", "201", 0),
  row("cancelOtp", "pending → cancelled", "200", 0),
];
const dingRows = [
  row("createAuthentication $", "code sent: pending", "200", 0),
  row("check", "wrong code → OutcomeError", "200", 0),
  row("retry $", "resend → approved", "200", 0),
  row("check", "right code → valid", "200", 0),
  row("getAuthenticationStatus", "the authentication's events", "200", 0),
  row("feedback", "onboarded → recorded", "200", 0),
  row("createAuthentication $", "OutcomeError rate_limited", "200", 0),
];
const preludeRows = [
  row("lookup", "a mobile line", "200", 0),
  row("createVerification $", "not E.164 → ValidationError", "–", 0),
  row("createVerification $", "code sent: success", "200", 0),
  row("checkVerification", "wrong code → OutcomeError", "200", 0),
  row("createVerification $", "again in the window → retry", "200", 0),
  row("checkVerification", "right code → success", "200", 0),
  row("getPhoneVerification", "the verification's timeline", "200", 0),
  row("listPhoneVerificationsAll", "every page of the history", "200", 0),
  row("sendFeedbacks", "completed → recorded", "200", 0),
  row("createVerification $", "OutcomeError blocked", "200", 0),
  row("checkVerification", "PSD2 mismatch → OutcomeError", "200", 0),
];
const verifyRows = [
  row("start $", "SMS.cx sends", "201", 0),
  row("check", "right code → verified", "200", 0),
  row("start $", "no credit at SMS.cx → Ding", "200", 0),
  row("check", "the id names Ding → verified", "200", 0),
  row("start $", "SMS.cx 500 → unknown, stop", "500", 0),
];
/** The Prism servers this file's runs are pointed at (--mock-server, --live's base URL). */
let prisms: Record<(typeof vendors)[number], PrismHandle>;
beforeAll(async () => {
  prisms = await acquirePrisms(vendors);
}, PRISM_TIMEOUT);
afterAll(async () => {
  if (prisms) await releaseAll(Object.values(prisms));
});

const metalRows = [
  row("receiveCodes $", "SMS sent: 204", "204", 0),
  row("findEnsureOtp", "wrong code → ApiError 400", "400", 0),
  row("findEnsureOtp", "right code → 204", "204", 0),
  row("findRecoveryCodes", "the recovery codes", "200", 0),
  row("regenerateCodes", "a new set of codes", "200", 0),
];

describe("pnpm demo (mock mode)", () => {
  test("runs every vendor's flow against Prism (--mock-server), prints each step and a summary, exits 0, leaves the servers running", async () => {
    const run = await runDemo(vendors.flatMap((vendor) => ["--mock-server", `${vendor}=${prisms[vendor].url}`]));
    expect(run.stderr).toBe("");
    expect(run.code, run.stdout).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/^otpkit demo · mock mode$/m);
    expect(out).toMatch(/^Using 4 running mock servers \(SMS\.cx, Ding, Equinix Metal and Prelude\)… answering; not started or stopped here\.$/m);
    expect(out).not.toMatch(/^Starting /m);
    expect(out).toContain(`\nSMS.cx  @otpkit/smscx · mock ${prisms.smscx.url}\n`);
    expect(out).toContain(`\nDing  @otpkit/ding · mock ${prisms.ding.url}\n`);
    expect(out).toContain(`\nEquinix Metal  @otpkit/equinix-metal · mock ${prisms["equinix-metal"].url}\n`);
    expect(out).toContain(`\nPrelude  @otpkit/prelude · mock ${prisms.prelude.url}\n`);
    expect(out).toContain(`\nVerification  @otpkit/verify · mock SMS.cx ${prisms.smscx.url}, Ding ${prisms.ding.url}\n`);
    for (const expected of [...smscxRows, ...dingRows, ...metalRows, ...preludeRows, ...verifyRows]) expect(out).toMatch(expected);

    // What each step shows: validation before sending, typed errors and outcomes, metadata, redaction.
    expect(out).toContain("body.ttl: must be ≤ 1800, got 5000 · 0 requests sent");
    expect(out).toContain("ApiError: HTTP 400 invalid_pin 2029: The PIN provided does not verify");
    expect(out).toContain("ApiError: HTTP 403 access_denied 2031: You cannot cancel a non-pending Otp");
    expect(out).toMatch(/request id 5d8a7c2e… · rate limit 99\/100 left/);
    expect(out).toMatch(/retried after HTTP 500 \(waited \d+ ms\)/);
    expect(out).toContain('OutcomeError: HTTP 200, but status is "invalid", not valid');
    expect(out).toContain('OutcomeError: HTTP 200, but status is "rate_limited", not pending');
    expect(out).toContain("4 events: balance_update, attempt delivered, delivery_status delivered, check valid");
    expect(out).toContain("POST /user/otp/verify/[REDACTED]");
    expect(out).toContain("10 recovery codes (secrets: not printed)");
    expect(out).not.toContain("7c4d9e2a1f"); // a recovery code of the spec's example
    expect(out).toContain("body.target.value: must be an E.164 phone number such as +14155550123, got \"0612345678\"");
    expect(out).toContain("3 events: create, attempt sms delivered, check valid");
    // Two pages, walked by listPhoneVerificationsAll: the first page's two verifications, then the last page's one.
    expect(out).toMatch(/3 verifications: vrf_01jc… converted, vrf_01jc… not_converted, vrf_01jc… suspected_fraud/);
    expect(out).toContain('OutcomeError: HTTP 200, but status is "blocked", not success or retry or challenged');

    // The verification section: what each vendor received, the failover, and the stop on an unknown outcome.
    const section = out.slice(out.indexOf("\nVerification  @otpkit/verify"), out.indexOf("\nSummary"));
    expect(section).toContain("    SMS.cx received POST /otp → 201 · Ding received nothing\n");
    expect(section).toContain("    tried smscx: not sent (insufficient_credit) → ding: sent\n    onFailover: smscx → ding (insufficient_credit)\n");
    expect(section).toContain("    SMS.cx received POST /otp → 400 · Ding received POST /authentication → 200\n");
    expect(section).toContain("Ding received POST /check → 200\n");
    expect(section).toContain("    tried smscx: may have sent, so no other provider is tried\n    ApiError: HTTP 500 server_error 1005: Internal server error\n");
    expect(section).toContain("    SMS.cx received POST /otp → 500 · Ding received nothing\n");

    // The summary, the verdict, and the cleanup.
    expect(out).toMatch(/^ {2}vendor\s+steps\s+ok\s+unexpected\s+skipped\s+requests\s+retries\s+ms$/m);
    expect(out).toMatch(/^ {2}SMS\.cx\s+9\s+9\s+0\s+0\s+9\s+1\s+\d+$/m);
    expect(out).toMatch(/^ {2}Ding\s+7\s+7\s+0\s+0\s+7\s+0\s+\d+$/m);
    expect(out).toMatch(/^ {2}Equinix Metal\s+5\s+5\s+0\s+0\s+5\s+0\s+\d+$/m);
    expect(out).toMatch(/^ {2}Prelude\s+11\s+11\s+0\s+0\s+11\s+0\s+\d+$/m);
    expect(out).toMatch(/^ {2}Verification\s+5\s+5\s+0\s+0\s+6\s+0\s+\d+$/m);
    expect(out).toMatch(/^ {2}total\s+37\s+37\s+0\s+0\s+38\s+1\s+\d+$/m);
    expect(out).toMatch(/^All 37 steps behaved as expected \(38 HTTP requests, 1 retry, [\d.]+ m?s\)\.$/m);
    expect(out).toMatch(/^Whole run [\d.]+ m?s\.$/m); // no "Stopped …", no "… of it starting Prism"
    expect(out).not.toMatch(/ (unexpected|skipped)$/m);
    expect(out).not.toContain("\x1b["); // NO_COLOR

    // It started no Prism and stopped none of the servers it was given.
    expect(run.prismPids).toEqual([]);
    for (const prism of Object.values(prisms)) expect((await fetch(`${prism.url}/`)).status, prism.url).toBeGreaterThan(0);
  }, PRISM_TIMEOUT);

  test("--mock-server that nothing answers on: exit 1, naming the server, nothing started", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const run = await runDemo(["--vendor", "ding,smscx", "--mock-server", `ding=${closed}`, "--mock-server", `smscx=${prisms.smscx.url}`]);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^Using 2 running mock servers \(SMS\.cx and Ding\)… not answering\.$/m);
    expect(run.stderr).toBe(`pnpm demo: the mock server given for Ding (--mock-server ding=${closed}) did not answer: connect ECONNREFUSED ${closed.slice(7)}\n`);
    expect(run.stdout).not.toMatch(/^Starting /m);
    expect(run.prismPids).toEqual([]);
  });

  test("--vendor smscx runs SMS.cx only (as its own process: exit 0, its own Prism, stopped)", async () => {
    const run = await spawnDemo(["--vendor", "smscx"]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    for (const expected of smscxRows) expect(run.stdout).toMatch(expected);
    expect(run.stdout).toMatch(/^Starting 1 mock server… ready in/m);
    expect(run.stdout).not.toMatch(/^(Ding|Equinix Metal|Verification) {2}@otpkit/m);
    expect(run.stdout).not.toMatch(/^ {2}total/m);
    expect(run.stdout).toMatch(/^All 9 steps behaved as expected \(9 HTTP requests, 1 retry, /m);
    expect(run.stdout).toMatch(/^Stopped 1 mock server\. Whole run [\d.]+ m?s, [\d.]+ m?s of it starting Prism\.$/m);
    expect(run.prismPids).toHaveLength(1);
    expect(await leftOver(run.prismPids)).toEqual([]);

    // Cancelling: the verified OTP cannot be (2031), then a second OTP, with its own otpId, is
    // cancelled while pending, and the answer names that OTP. The rows come in that order.
    const lines = run.stdout.split("\n");
    const at = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
    const first = at(/^ {2}newOtp \$\s+201, OTP PENDING\s/);
    const refused = at(/^ {2}cancelOtp\s+verified → ApiError 2031\s/);
    const second = at(/^ {2}newOtp \$\s+201, another OTP PENDING\s/);
    const cancelled = at(/^ {2}cancelOtp\s+pending → cancelled\s/);
    expect([first, refused, second, cancelled].every((i) => i >= 0)).toBe(true);
    expect(first < refused && refused < second && second < cancelled, run.stdout).toBe(true);
    expect(lines[first + 1]).toMatch(/^ {4}otpId a17fb13d… · status PENDING · /);
    expect(lines[refused + 1]).toBe("    ApiError: HTTP 403 access_denied 2031: You cannot cancel a non-pending Otp");
    expect(lines[second + 1]).toMatch(/^ {4}otpId c2a7e5d9… · status PENDING · cost 0\.052 \(1 part\) · up to 3 attempts/);
    expect(lines[cancelled + 1]).toBe("    otpId c2a7e5d9… cancelled · its PIN can no longer be verified");
  }, PRISM_TIMEOUT);

  test("Ctrl-C (SIGINT) during the run stops every Prism server the demo started, leaves the ones it was given, exits 130", async () => {
    // The demo stops what it started in one loop over its servers (DemoRun.interrupt), the same for
    // one as for four: two of its own prove "every" for half the Prism starts of all four. The
    // other two vendors use the file's servers, which Ctrl-C must leave running.
    const given = ["equinix-metal", "prelude"] as const;
    let sent = false;
    const run = await spawnDemo(
      given.flatMap((vendor) => ["--mock-server", `${vendor}=${prisms[vendor].url}`]),
      {
        // A pause after each step leaves time to interrupt in the middle of the run.
        env: { OTPKIT_DEMO_STEP_DELAY_MS: "500" },
        until: (stdout, pid, prismPids) => {
          if (!/ ok$/m.test(stdout) || prismPids.length < 2) return false;
          process.kill(pid, "SIGINT");
          return (sent = true);
        },
      },
    );
    expect(sent, run.stdout + run.stderr).toBe(true);
    expect(run.code).toBe(130);
    expect(run.stdout).toMatch(/^Using 2 running mock servers \(Equinix Metal and Prelude\)… answering; not started or stopped here\.$/m);
    expect(run.stdout).toMatch(/^Starting 2 mock servers… ready in [\d.]+ m?s\.$/m);
    expect(run.stdout).toMatch(/^Interrupted: stopping 2 mock servers…$/m);
    expect(run.stdout).toMatch(/^Stopped 2 mock servers\.$/m);
    expect(run.stdout).not.toMatch(/^Summary$/m);
    expect(run.prismPids).toHaveLength(2);
    expect(await leftOver(run.prismPids)).toEqual([]);
    for (const vendor of given) expect((await fetch(`${prisms[vendor].url}/`)).status, prisms[vendor].url).toBeGreaterThan(0);
  }, PRISM_TIMEOUT);
});

describe("pnpm demo: usage", () => {
  test("--help prints the usage and exits 0", async () => {
    const run = await runDemo(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: pnpm demo \[--vendor <name>\] \[--live \[--yes\]\] \[--mock-server <vendor>=<url>\]\n/);
    expect(run.stdout).toContain("  --mock-server <vendor>=<url>\n");
    for (const name of LIVE_VARIABLES) expect(run.stdout).toContain(name);
    // Testing an app needs neither the demo nor Prism: the help points at the packages' mocks.
    for (const factory of ["createSmscxMock", "createDingMock", "createEquinixMetalMock", "createPreludeMock"]) expect(run.stdout).toContain(factory);
    expect(run.stdout).toContain('"@otpkit/smscx/testing"');
    expect(run.prismPids).toEqual([]);
  });

  test("an unknown option gets a clear message and the usage on stderr, exit 2", async () => {
    const run = await runDemo(["--frobnicate"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^pnpm demo: Unknown option "--frobnicate"\.\n\nUsage: pnpm demo /);
    expect(run.prismPids).toEqual([]);
  });

  test("--yes (or -y) without --live is a usage error: a clear message and the usage on stderr, exit 2", async () => {
    const run = await runDemo(["--yes"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /^pnpm demo: --yes only works with --live: it skips the y\/N question before steps that cost money, and mock mode asks none\. Add --live, or drop --yes\.\n\nUsage: pnpm demo /,
    );
    expect(run.prismPids).toEqual([]);
    const short = await runDemo(["--vendor", "smscx", "-y"]);
    expect(short.code).toBe(2);
    expect(short.stdout).toBe("");
    expect(short.stderr).toMatch(/^pnpm demo: -y only works with --live: .* Add --live, or drop -y\.\n\nUsage: pnpm demo /);
    expect(short.prismPids).toEqual([]);
  });

  test("an unknown vendor gets a clear message and the usage on stderr, exit 2", async () => {
    const run = await runDemo(["--vendor", "acme"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^pnpm demo: Unknown vendor "acme"\. Choose smscx, ding, equinix-metal or prelude\.\n\nUsage: pnpm demo /);
    const missing = await runDemo(["--vendor"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^pnpm demo: --vendor needs a name: smscx, ding, equinix-metal or prelude\./);
  });
});

describe("pnpm demo --live: refuses instead of guessing", () => {
  const secrets = { SMSCX_API_KEY: "sk_live_DO_NOT_PRINT_4242", DING_API_KEY: "ding_DO_NOT_PRINT_1717", DING_CUSTOMER_UUID: "0f5e7a9c-1d2b-4c3e-8f4a-5b6c7d8e9f00" };

  test("without credentials: exit 2, naming every missing variable", async () => {
    const run = await runDemo(["--live"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    for (const name of LIVE_VARIABLES) expect(run.stderr).toContain(name);
    expect(run.stderr).toMatch(/run without --live to use the mocks/);
    expect(run.prismPids).toEqual([]);
  });

  test("with some credentials: names only what is missing, never prints a value", async () => {
    const run = await runDemo(["--live", "--vendor", "smscx,ding"], { env: secrets });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("OTPKIT_DEMO_PHONE");
    expect(run.stderr).not.toContain("SMSCX_API_KEY");
    expect(run.stderr).not.toContain("METAL_AUTH_TOKEN"); // Equinix was not selected
    for (const value of Object.values(secrets)) expect(run.stdout + run.stderr).not.toContain(value);
  });

  test("a malformed credential is a configuration error (exit 2), not a request", async () => {
    const run = await runDemo(["--live", "--vendor", "smscx"], { env: { SMSCX_API_KEY: "sk live with spaces", OTPKIT_DEMO_PHONE: "+33612246400" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Check SMSCX_API_KEY");
    expect(run.stdout + run.stderr).not.toContain("sk live with spaces");
    const phone = await runDemo(["--live", "--vendor", "smscx"], { env: { SMSCX_API_KEY: secrets.SMSCX_API_KEY, OTPKIT_DEMO_PHONE: "06 12 24 64 00" } });
    expect(phone.code).toBe(2);
    expect(phone.stderr).toContain("OTPKIT_DEMO_PHONE must be an E.164 number");
    expect(phone.stdout + phone.stderr).not.toContain("06 12 24 64 00");
  });

  test("without a terminal and without --yes: billed steps are skipped, nothing is sent", async () => {
    // Nothing listens on this loopback port: a request, if the demo sent one, could go nowhere.
    const closed = `http://127.0.0.1:${await freePort()}`;
    const run = await runDemo(["--live", "--vendor", "smscx"], {
      env: { SMSCX_API_KEY: secrets.SMSCX_API_KEY, OTPKIT_DEMO_PHONE: "+33612246400", SMSCX_BASE_URL: closed },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^otpkit demo · LIVE: real requests to 127\.0\.0\.1:\d+$/m);
    expect(run.stdout).toMatch(row("newOtp", "ttl 5000 → ValidationError", "–", 0));
    expect(run.stdout).toMatch(/^ {2}newOtp \$\s+201, OTP PENDING\s+–\s+skipped$/m);
    expect(run.stdout).toContain("costs money, and there is no terminal to ask on: pass --yes to allow it");
    expect(run.stdout).toMatch(/^ {2}newOtp \$\s+201, another OTP PENDING\s+–\s+skipped$/m);
    expect(run.stdout).toMatch(/^ {2}cancelOtp\s+pending → cancelled\s+–\s+skipped$/m);
    expect(run.stdout).toMatch(/^ {2}SMS\.cx\s+9\s+1\s+0\s+8\s+0\s+0\s+\d+$/m);
    expect(run.stdout).toContain("+33••••••400");
    expect(run.stdout + run.stderr).not.toContain("+33612246400");
    expect(run.stdout + run.stderr).not.toContain(secrets.SMSCX_API_KEY);
    expect(run.prismPids).toEqual([]);
  });

  test("a step that does not do what it expects makes the run exit 1 (--yes, code read from a pipe)", async () => {
    // A server that says "VERIFIED" to any PIN: Prism on loopback without the demo's Prefer headers,
    // which is what --live sends. Nothing leaves the machine. (Under `pnpm test`, the run's shared one.)
    const prism = prisms.smscx;
    const run = await runDemo(["--live", "--yes", "--vendor", "smscx"], {
      env: { SMSCX_ACCESS_TOKEN: "tok_DO_NOT_PRINT_9876", OTPKIT_DEMO_PHONE: "+33612246400", SMSCX_BASE_URL: prism.url },
      stdin: "1544\n",
    });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stderr).toContain("Enter the PIN SMS.cx sent by SMS to +33••••••400: ");
    expect(run.stdout).toMatch(row("newOtp $", "201, OTP PENDING", "201", 0));
    expect(run.stdout).toMatch(row("verifyPin", "wrong PIN → ApiError 2029", "200", 0, "unexpected"));
    expect(run.stdout).toContain("expected ApiError 400 invalid_pin 2029, but the call resolved (HTTP 200)");
    expect(run.stdout).toMatch(row("verifyPin", "right PIN → VERIFIED", "200", 0));
    // Such a server also answers the second OTP with the first one's otpId: not a new OTP.
    expect(run.stdout).toMatch(row("newOtp $", "201, another OTP PENDING", "201", 0, "unexpected"));
    expect(run.stdout).toContain("resolved, but its otpId is the first OTP's (a17fb13d-f4ac-4d93-9439-ef41ab8de390), not a new one");
    // The verdict names each unexpected step with what it expected (one method can be called twice).
    const verdict = /^\d+ steps? did not behave as expected[^]*?\.$/m.exec(run.stdout)?.[0].replaceAll("\n", " ");
    expect(verdict).toMatch(
      /^4 steps did not behave as expected \(8 HTTP requests, 0 retries, [\d.]+ m?s\): SMS\.cx verifyPin \(wrong PIN → ApiError 2029\), SMS\.cx getOtpStatus \(VERIFIED, 1 failed attempt\), SMS\.cx cancelOtp \(verified → ApiError 2031\), SMS\.cx newOtp \(201, another OTP PENDING\)\.$/,
    );
    expect(run.stdout + run.stderr).not.toContain("tok_DO_NOT_PRINT_9876");
  }, PRISM_TIMEOUT);
});

describe("the demo's small parts", () => {
  test("arguments", () => {
    expect(parseArgs([])).toEqual({ kind: "run", args: { vendors: ["smscx", "ding", "equinix-metal", "prelude"], live: false, yes: false, mockServers: {} } });
    expect(parseArgs(["--", "--vendor=metal,smscx", "--live", "-y"])).toEqual({ kind: "run", args: { vendors: ["smscx", "equinix-metal"], live: true, yes: true, mockServers: {} } });
    expect(parseArgs(["--vendor", "ding", "--vendor", "DING"])).toEqual({ kind: "run", args: { vendors: ["ding"], live: false, yes: false, mockServers: {} } });
    expect(parseArgs(["-h"])).toEqual({ kind: "help" });
    expect(parseArgs(["--live=yes"])).toEqual({ kind: "error", message: "--live takes no value." });
    expect(parseArgs(["--yes"])).toMatchObject({ kind: "error", message: expect.stringMatching(/^--yes only works with --live: /) });
    expect(parseArgs(["-y", "--vendor", "ding"])).toMatchObject({ kind: "error", message: expect.stringMatching(/^-y only works with --live: .* drop -y\.$/) });
    expect(parseArgs(["--yes", "--live"])).toEqual({ kind: "run", args: { vendors: ["smscx", "ding", "equinix-metal", "prelude"], live: true, yes: true, mockServers: {} } });
    expect(parseArgs(["--yes", "--help"])).toEqual({ kind: "help" });
    expect(parseArgs(["smscx"])).toEqual({ kind: "error", message: 'Unexpected argument "smscx" (to pick a vendor, write --vendor smscx).' });
    expect(parseArgs(["--vendor", ","])).toMatchObject({ kind: "error" });
    // --mock-server: a vendor's Prism already running on loopback, mock mode only, for a selected vendor.
    expect(parseArgs(["--mock-server", "metal=http://127.0.0.1:4010/", "--mock-server=smscx=http://localhost:4011"])).toEqual({
      kind: "run",
      args: { vendors: ["smscx", "ding", "equinix-metal", "prelude"], live: false, yes: false, mockServers: { "equinix-metal": "http://127.0.0.1:4010", smscx: "http://localhost:4011" } },
    });
    expect(parseArgs(["--mock-server"])).toEqual({ kind: "error", message: "--mock-server needs <vendor>=<url>, such as smscx=http://127.0.0.1:4010." });
    expect(parseArgs(["--mock-server", "127.0.0.1:4010"])).toMatchObject({ kind: "error", message: expect.stringMatching(/^--mock-server needs <vendor>=<url>/) });
    expect(parseArgs(["--mock-server", "acme=http://127.0.0.1:4010"])).toMatchObject({ kind: "error", message: expect.stringMatching(/^Unknown vendor "acme" in --mock-server\. Choose smscx, /) });
    for (const url of ["https://api.sms.cx", "http://10.0.0.7:4010", "ftp://127.0.0.1:4010", "http://u:p@127.0.0.1:4010", "127.0.0.1:4010"]) {
      expect(parseArgs(["--mock-server", `smscx=${url}`])).toEqual({ kind: "error", message: `--mock-server smscx= needs an http(s) URL on loopback (127.x.x.x, [::1] or localhost), such as http://127.0.0.1:4010; got "${url}".` });
    }
    expect(parseArgs(["--mock-server", "ding=http://127.0.0.1:1", "--mock-server", "ding=http://127.0.0.1:2"])).toEqual({ kind: "error", message: "--mock-server names two servers for ding: http://127.0.0.1:1 and http://127.0.0.1:2." });
    expect(parseArgs(["--live", "--mock-server", "ding=http://[::1]:4010"])).toEqual({ kind: "error", message: "--mock-server only works in mock mode: --live calls the real APIs. Drop one of them." });
    expect(parseArgs(["--vendor", "smscx", "--mock-server", "ding=http://127.0.0.1:4010"])).toEqual({ kind: "error", message: "--mock-server names ding, which --vendor does not select." });
  });

  test("colour: FORCE_COLOR wins, then NO_COLOR, then whether stdout is a terminal", () => {
    expect(colourWanted({}, true)).toBe(true);
    expect(colourWanted({}, false)).toBe(false);
    expect(colourWanted({ NO_COLOR: "1" }, true)).toBe(false);
    expect(colourWanted({ NO_COLOR: "" }, true)).toBe(true);
    expect(colourWanted({ TERM: "dumb" }, true)).toBe(false);
    expect(colourWanted({ FORCE_COLOR: "1", NO_COLOR: "1" }, false)).toBe(true);
    expect(colourWanted({ FORCE_COLOR: "0" }, true)).toBe(false);
  });

  test("wrong codes, masked phones, scrubbed secrets, wrapped fields", () => {
    expect(wrongCode("1544")).toBe("1545");
    expect(wrongCode("123459")).toBe("123450");
    expect(wrongCode("ABCD")).toBe("ABCA");
    expect(maskPhone("+33612246400")).toBe("+33••••••400");
    const scrub = scrubber(["sk_live_secret", "abc"], "+33612246400");
    expect(scrub("key sk_live_secret for +33612246400 (abc is too short to be a credential)")).toBe("key [REDACTED] for +33••••••400 (abc is too short to be a credential)");
    expect(wrapFields(["aaaa", "bbbb", "cccc"], 11)).toEqual(["aaaa · bbbb", "cccc"]);
  });
});
