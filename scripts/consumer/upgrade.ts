/**
 * The upgrade loop: a spec edit goes through `pnpm spec:changeset` and `pnpm release` in the
 * clone, and npm consumers of the previous release update (or do not).
 *
 * 1. Additive: an optional response field. The release is the next minor; a consumer whose range
 *    takes 0.x minors (`0.x`) gets it with `npm update` and its code reading the field compiles
 *    (it did not before); npm's default range (`^0.1.0`) stays where it is, since in 0.x every
 *    minor is outside the caret. The CHANGELOG in the published tarball has the entry.
 * 2. Breaking: the field removed (a 0.x minor marked breaking). A consumer on `^0.2.0` (what
 *    `npm install <pkg>@latest` saved) stays on 0.2.0 and still compiles; the `0.x` consumer
 *    moves and its code stops compiling, which is what the breaking mark warned about.
 *
 * In every case each installed package's `@otpkit/runtime` must resolve to the published runtime.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import { plural } from "../demo/style.ts";
import { createConsumer, install, installEnv, installProblems, installedPackage, published, type Consumer, type Published } from "./consumers.ts";
import { exec, tail } from "./exec.ts";
import type { ReleaseClone } from "./release-clone.ts";
import { runTypescript } from "./runtimes/typescript.ts";
import type { Verdict } from "./report.ts";

/** The edit: which package, spec, response schema and new field. */
export const UPGRADE = {
  package: "@otpkit/smscx",
  spec: "specs/smscx.yaml",
  schema: "NewOtpResponse",
  field: "channel",
} as const;

/** Consumer code that reads the new field (compiles only where the field exists). */
const USES_FIELD = `import { createSmscxClient } from "${UPGRADE.package}";

/** The field the upgrade loop adds to ${UPGRADE.schema}. */
export async function channelOf(phoneNumber: string): Promise<string | undefined> {
  const otp = await createSmscxClient({ apiKey: "consumer-suite-key" }).newOtp({ phoneNumber });
  return otp.${UPGRADE.field};
}
`;

export interface Check {
  readonly verdict: Verdict;
  readonly text: string;
}

export interface UpgradeContext {
  readonly clone: ReleaseClone;
  readonly registry: string;
  /** Where the loop keeps its consumers and scratch files. */
  readonly temp: string;
  readonly runtime: Published;
  /** Called with each check as it is decided (the suite prints it). */
  readonly report: (check: Check) => void;
}

/** Adds or removes the optional string property `UPGRADE.field` of `UPGRADE.schema`. */
export function editSpec(file: string, change: "add" | "remove"): void {
  const doc = parseDocument(readFileSync(file, "utf8"));
  const at = ["components", "schemas", UPGRADE.schema, "properties", UPGRADE.field];
  if (change === "add") doc.setIn(at, doc.createNode({ type: "string", description: "How the PIN was delivered (added by the consumer suite's upgrade loop)." }));
  else doc.deleteIn(at);
  writeFileSync(file, doc.toString({ lineWidth: 0 }));
}

class Loop {
  private readonly env: NodeJS.ProcessEnv;
  failed = false;

  constructor(
    private readonly ctx: UpgradeContext,
    private readonly report: (check: Check) => void = ctx.report,
  ) {
    this.env = installEnv(ctx.registry, path.join(ctx.temp, "caches"));
  }

  check(ok: boolean, text: string, detail?: string): boolean {
    if (!ok) this.failed = true;
    this.report({ verdict: ok ? "pass" : "fail", text: ok || !detail ? text : `${text}\n${detail.replace(/^/gm, "    ")}` });
    return ok;
  }

  /** Runs independent steps at the same time; their checks are reported in the order given. */
  async together(...steps: ((loop: Loop) => Promise<unknown>)[]): Promise<void> {
    const buffers = steps.map(() => [] as Check[]);
    const loops = buffers.map((buffer) => new Loop(this.ctx, (check) => buffer.push(check)));
    await Promise.all(steps.map((step, i) => step(loops[i]!)));
    for (const check of buffers.flat()) this.report(check);
    if (loops.some((l) => l.failed)) this.failed = true;
  }

  consumer(name: string, dependencies: Record<string, string> = {}): Consumer {
    return createConsumer("npm", path.join(this.ctx.temp, name), this.ctx.registry, dependencies);
  }

  version(consumer: Consumer): string {
    return installedPackage(consumer.dir, UPGRADE.package)?.version ?? "none";
  }

  /** Runs npm in a consumer; only a failure is reported. */
  async npm(consumer: Consumer, args: string[]): Promise<boolean> {
    const run = await exec("npm", [...args, "--no-audit", "--no-fund"], { cwd: consumer.dir, env: this.env, timeoutMs: 300_000 });
    return run.status === 0 || this.check(false, `npm ${args.join(" ")} in ${path.basename(consumer.dir)} failed (exit ${run.status})`, tail(run));
  }

  async compileErrors(consumer: Consumer): Promise<number | string> {
    // The field is what is checked here; the rows check the declaration files themselves.
    const outcome = await runTypescript({ dir: consumer.dir, flows: [] }, "nodenext-esm", { "uses-field.ts": USES_FIELD }, false);
    return outcome.kind === "typescript" ? outcome.errors : outcome.kind === "failed" ? outcome.error : outcome.kind;
  }

  /** The runtime resolution (and the registry's integrity in the lockfile) of a consumer. */
  async installed(consumer: Consumer, version: string, label: string): Promise<void> {
    const pkg = await published(UPGRADE.package, this.env, consumer.dir, version);
    const problems = pkg ? installProblems(consumer, { [UPGRADE.package]: pkg }, this.ctx.runtime) : [`${UPGRADE.package}@${version} is not on the registry`];
    this.check(!problems.length, `${label}: ${UPGRADE.package}@${this.version(consumer)}, its @otpkit/runtime resolves to ${this.ctx.runtime.version} (the published one)`, problems.join("\n"));
  }

  /** Edit, changeset, commit, release; resolves to the version now on the registry. */
  async release(change: "add" | "remove", expectBreaking: boolean, expectedVersion: string): Promise<boolean> {
    const { clone } = this.ctx;
    const base = clone.head();
    editSpec(path.join(clone.dir, UPGRADE.spec), change);
    const verb = change === "add" ? `gains the optional field \`${UPGRADE.field}\`` : `loses \`${UPGRADE.field}\``;
    this.check(true, `${change === "add" ? "additive" : "breaking"} edit: ${UPGRADE.spec} ${UPGRADE.schema} ${verb}`);

    const { result, written } = await clone.specChangeset(base);
    const files = Object.entries(written);
    const [file, text] = files[0] ?? ["", ""];
    const minor = new RegExp(`"${UPGRADE.package}": minor`).test(text);
    // "1 breaking change" (not "1 non-breaking change") in the summary line.
    const breaking = /(^|[^-\w])[1-9]\d* breaking change/.test(summaryOf(text));
    if (!this.check(result.status === 0 && files.length === 1 && minor && breaking === expectBreaking, `pnpm spec:changeset → .changeset/${file} (${UPGRADE.package}: ${minor ? "minor" : "?"}${breaking ? ", marked breaking" : ""})`, `${tail(result)}\n${text}`)) return false;
    await clone.commitAll(`spec: ${UPGRADE.schema} ${verb}`);

    const started = performance.now();
    const release = await clone.release(this.ctx.registry, path.join(this.ctx.temp, `publish-${expectedVersion}`));
    const latest = await published(UPGRADE.package, this.env, this.ctx.temp);
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    if (!this.check(release.status === 0 && latest?.version === expectedVersion, `pnpm release → ${UPGRADE.package}@${latest?.version ?? "?"} is the registry's latest (${seconds} s)`, tail(release, 30))) return false;

    const entry = summaryOf(text);
    const changelog = await this.publishedChangelog(expectedVersion);
    const section = changelog.slice(changelog.indexOf(`## ${expectedVersion}`));
    this.check(changelog.includes(`## ${expectedVersion}`) && section.includes(entry), `CHANGELOG.md in the published ${expectedVersion} tarball has the entry: "${entry.slice(0, 70)}…"`, changelog.slice(0, 1500));
    return true;
  }

  /** CHANGELOG.md of a version, from its tarball on the registry. */
  async publishedChangelog(version: string): Promise<string> {
    const dir = path.join(this.ctx.temp, `tarball-${version}`);
    mkdirSync(dir, { recursive: true });
    const pack = await exec("npm", ["pack", `${UPGRADE.package}@${version}`, "--pack-destination", dir], { cwd: dir, env: this.env, timeoutMs: 120_000 });
    const tgz = readdirSync(dir).find((f) => f.endsWith(".tgz"));
    if (pack.status !== 0 || !tgz) return `npm pack failed: ${tail(pack)}`;
    const untar = await exec("tar", ["-xzf", tgz, "package/CHANGELOG.md"], { cwd: dir });
    return untar.status === 0 ? readFileSync(path.join(dir, "package", "CHANGELOG.md"), "utf8") : `no CHANGELOG.md in ${tgz}: ${tail(untar)}`;
  }
}

/** tsc's error count, or why it did not run. */
const errorCount = (errors: number | string): string => (typeof errors === "number" ? plural(errors, "error") : errors);

/** The changeset's first line of text: the CHANGELOG entry. */
const summaryOf = (changeset: string): string => changeset.replace(/^---[\s\S]*?---\s*/, "").split("\n")[0]!.trim();

/** Runs the loop; resolves to whether every check passed. */
export async function runUpgradeLoop(ctx: UpgradeContext): Promise<boolean> {
  const loop = new Loop(ctx);
  // Consumers of the first release: one that takes 0.x minors, one with npm's default range.
  const tracking = loop.consumer("upgrade-0.x", { [UPGRADE.package]: "0.x" });
  const caret = loop.consumer("upgrade-default");
  const saved = () => (JSON.parse(readFileSync(path.join(caret.dir, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies[UPGRADE.package];
  let installed = false;
  await loop.together(async (l) => (installed = (await l.npm(tracking, ["install"])) && (await l.npm(caret, ["install", UPGRADE.package]))));
  if (!installed) return false;
  const first = loop.version(caret);
  const second = bump(first);
  const third = bump(second);

  let released = false;
  await loop.together(
    async (l) => {
      const before = await l.compileErrors(tracking);
      l.check(typeof before === "number" && before > 0, `consumer "0.x" on ${l.version(tracking)}: code reading otp.${UPGRADE.field} does not compile yet (${errorCount(before)})`);
    },
    async (l) => (released = await l.release("add", false, second)),
  );
  if (!released) return false;
  await loop.together(
    async (l) => {
      if (!(await l.npm(tracking, ["update"]))) return;
      l.check(l.version(tracking) === second, `consumer "0.x": npm update ${first} → ${l.version(tracking)}`);
      await l.installed(tracking, second, `consumer "0.x"`);
      const after = await l.compileErrors(tracking);
      l.check(after === 0, `consumer "0.x": code reading otp.${UPGRADE.field} compiles (${errorCount(after)})`);
    },
    async (l) => {
      if (!(await l.npm(caret, ["update"]))) return;
      l.check(l.version(caret) === first, `consumer "${saved()}" (npm's default range): npm update keeps ${l.version(caret)} (a 0.x minor is outside the caret)`);
      // It moves on deliberately, as a user would, and is then pinned to ^0.2.0.
      if (!(await l.npm(caret, ["install", `${UPGRADE.package}@latest`]))) return;
      l.check(l.version(caret) === second && saved() === `^${second}`, `consumer "${saved()}": npm install ${UPGRADE.package}@latest → ${l.version(caret)}, saved as ${saved()}`);
    },
  );

  if (!(await loop.release("remove", true, third))) return false;
  await loop.together(
    async (l) => {
      if (!(await l.npm(caret, ["update"]))) return;
      l.check(l.version(caret) === second, `consumer "${saved()}": npm update keeps ${l.version(caret)} after the breaking ${third}`);
      await l.installed(caret, second, `consumer "${saved()}"`);
      const errors = await l.compileErrors(caret);
      l.check(errors === 0, `consumer "${saved()}": its code reading otp.${UPGRADE.field} still compiles (${errorCount(errors)})`);
    },
    async (l) => {
      if (!(await l.npm(tracking, ["update"]))) return;
      const errors = await l.compileErrors(tracking);
      l.check(l.version(tracking) === third && typeof errors === "number" && errors > 0, `consumer "0.x": npm update takes the breaking ${l.version(tracking)}, and its code no longer compiles (${errorCount(errors)}): why 0.x users should keep npm's ^0.y.z`);
      await l.installed(tracking, third, `consumer "0.x"`);
    },
  );
  return !loop.failed;
}

/** The next 0.x minor: 0.1.0 → 0.2.0. */
export function bump(version: string): string {
  const [major, minor] = version.split(".").map(Number);
  return `${major}.${(minor ?? 0) + 1}.0`;
}
