/**
 * What every maintainer CLI (release, changeset gate, tarball check, spec:changeset) does with its
 * arguments: strict flags, `--help`/`-h` prints the usage, a bad flag prints its error and the usage.
 */
import { existsSync, realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs, type ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;
type Flags<O extends Options> = ReturnType<typeof parseArgs<{ options: O & HelpOption; strict: true; args: string[] }>>["values"];
type HelpOption = { help: { type: "boolean"; short: "h" } };

/** The parsed flags, or the exit code when there is nothing to run: 0 after `--help`, 2 after a bad flag. */
export function parseFlags<const O extends Options>(options: O, usage: string, args: string[] = process.argv.slice(2)): Flags<O> | number {
  let values: Flags<O>;
  try {
    // pnpm passes a lone `--` through when the caller writes `pnpm <script> -- --flag`.
    ({ values } = parseArgs({
      args: args.filter((a) => a !== "--"),
      options: { ...options, help: { type: "boolean", short: "h" } } as O & HelpOption,
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if ((values as { help?: boolean }).help) {
    console.log(usage);
    return 0;
  }
  return values;
}

/**
 * Whether the module at `moduleUrl` is the script node was started with, so that a CLI module runs
 * its `main` then, and only exports it when imported (the tests call it in their own process).
 */
export function isEntry(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && existsSync(script) && pathToFileURL(realpathSync(script)).href === moduleUrl;
}
