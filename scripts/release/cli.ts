/**
 * `pnpm release [--dry-run] [--all] [--skip-checks] [--offline] [--no-commit] [--allow-dirty] [--keep-temp]`
 *
 * Exit codes: 0 done, 1 a step or a check failed, 2 bad arguments.
 */
import { isEntry, parseFlags } from "../lib/cli.ts";
import { runRelease } from "./release.ts";

const usage = `Usage: pnpm release [options]

Builds and tests the workspace, runs \`changeset version\`, checks the tarball of every package
to publish (files list, publint, attw), commits the version bump and runs \`changeset publish\`,
which uploads only versions that are not on the registry yet and tags them <name>@<version>.

  --dry-run      everything except the upload, without changing the working tree:
                 \`changeset version\` runs in a temporary clone, each tarball is packed
                 there, its files are listed and checked
  --all          check the tarballs of every public package, not only those being released
                 (with --dry-run --skip-checks --offline and nothing pending, this is the
                 same as \`pnpm --filter @otpkit/scripts run check-tarballs\` after a build)
  --skip-checks  do not run \`pnpm build\` and \`pnpm test\` first (run them yourself); the
                 build after \`changeset version\` still runs, since it embeds the versions
  --offline      dry run: do not ask the registry which versions are published
  --no-commit    do not commit the version bump before publishing
  --allow-dirty  release from a working tree with uncommitted changes
  --keep-temp    keep the temporary clone and tarballs and print where they are
  -h, --help     show this help`;

/** Runs the command with `args` (what follows the script name) in `cwd`; returns the exit code. */
export async function main(args: string[] = process.argv.slice(2), cwd: string = process.cwd()): Promise<number> {
  const values = parseFlags(
    {
      "dry-run": { type: "boolean" },
      all: { type: "boolean" },
      "skip-checks": { type: "boolean" },
      offline: { type: "boolean" },
      "no-commit": { type: "boolean" },
      "allow-dirty": { type: "boolean" },
      "keep-temp": { type: "boolean" },
    },
    usage,
    args,
  );
  if (typeof values === "number") return values;
  const result = await runRelease({
    cwd,
    dryRun: values["dry-run"] === true,
    all: values.all === true,
    skipChecks: values["skip-checks"] === true,
    offline: values.offline === true,
    noCommit: values["no-commit"] === true,
    allowDirty: values["allow-dirty"] === true,
    keepTemp: values["keep-temp"] === true,
  });
  return result.ok ? 0 : 1;
}

if (isEntry(import.meta.url)) process.exitCode = await main();
