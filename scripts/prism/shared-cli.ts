/**
 * `tsx scripts/prism/shared-cli.ts <command> [args…]`: runs the command (in `pnpm test`: the turbo
 * run of every check and test suite) with one shared Prism mock per vendor for all of it, served
 * by one Prism host process (./shared.ts, ./host.ts).
 *
 * It starts the broker, runs the command with `OTPKIT_PRISM_BROKER` set, then stops every Prism
 * the broker started and proves each is gone. Exit status: the command's, or 1 when the command
 * passed but a Prism was left behind. Ctrl-C and SIGTERM reach the command as usual, and the Prism
 * host is stopped after it; the host also exits when this process's IPC channel to it closes, and
 * its watchdog kills it if this process is killed outright.
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { BROKER_ENV, startBroker } from "./shared.ts";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: tsx scripts/prism/shared-cli.ts <command> [args…]");
  process.exit(2);
}

const broker = await startBroker();
const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, [BROKER_ENV]: broker.url } });
// The terminal sends Ctrl-C to the command too; a SIGTERM sent to this process alone is passed on.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
const code = await new Promise<number>((resolve) => {
  child.once("error", (error) => {
    console.error(`shared-cli: could not run ${command}: ${error.message}`);
    resolve(127);
  });
  child.once("exit", (status, signal) => resolve(status ?? 128 + (signal ? constants.signals[signal] : 0)));
});

const started = broker.started();
const problems = await broker.stop();
if (started.length) console.log(`[prism] shared servers (${started.join(", ")}) stopped; ${problems.length ? "NOT all gone" : "none left behind"}.`);
for (const problem of problems) console.error(`[prism] ${problem}`);
process.exit(code || (problems.length ? 1 : 0));
