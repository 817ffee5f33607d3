/**
 * The suite, in order: the pinned tools (cached), Verdaccio and the Prism mocks, the real
 * `pnpm release` from a temporary clone, the consumer installs (npm, pnpm, bun), one row per
 * runtime, the upgrade loop. Everything it starts is stopped and its temporary folder removed,
 * also when a step fails.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { duration, type Style } from "../demo/style.ts";
import { freePort, specsDir, startPrisms, type PrismServer } from "../prism/index.ts";
import { createConsumer, install, installEnv, installProblems, published, type Consumer, type InstallerId, type InstallResult, type Published } from "./consumers.ts";
import { discoverFlows, publicPackages, RUNTIME_PACKAGE, type DiscoveredFlow } from "./discover.ts";
import { tail } from "./exec.ts";
import type { HarnessConfig } from "./harness/run.ts";
import { startRegistry, type Registry } from "./registry.ts";
import { ReleaseClone } from "./release-clone.ts";
import { judgeRow, renderTable, summaryLine, tally, underCi, type Row, type Verdict } from "./report.ts";
import { ROWS } from "./runtimes/index.ts";
import type { RowOutcome, RowSpec } from "./runtimes/types.ts";
import { ensureTool, findChromium, TOOLS, toolsCache, type ToolId } from "./tools.ts";
import { runUpgradeLoop, type Check } from "./upgrade.ts";

export interface SuiteOptions {
  /** The repository to release (its working tree, uncommitted changes included). */
  readonly root: string;
  /** `CI=true`: a skipped row fails. */
  readonly ci: boolean;
  /** Run only these rows (ids); all when empty. */
  readonly rows?: readonly string[];
  readonly upgrade: boolean;
  readonly keepTemp: boolean;
  readonly style: Style;
  readonly print: (line?: string) => void;
}

interface State {
  registry?: Registry;
  prisms?: Record<string, PrismServer>;
}

/** Runs the suite; resolves to every check's verdict. */
export async function runSuite(options: SuiteOptions): Promise<{ verdicts: Verdict[] }> {
  const { print, style } = options;
  const started = performance.now();
  const verdicts: Verdict[] = [];
  const fail = (text: string) => {
    verdicts.push("fail");
    print(`${style.red("✗")} ${text}`);
  };
  const temp = mkdtempSync(path.join(os.tmpdir(), "otpkit-consumers-"));
  const state: State = {};
  try {
    const { flows, problems } = await discoverFlows(options.root);
    for (const problem of problems) fail(problem);
    const packages = flows.map((f) => f.package);
    print(`${style.bold("otpkit consumer suite")}: ${packages.join(", ")} (and ${RUNTIME_PACKAGE}) from ${options.root}`);
    const bins = await tools(options);
    const rows = ROWS.filter((r) => !options.rows?.length || options.rows.includes(r.id));
    const mocks = [...new Set(flows.flatMap((f) => f.mocks))];
    const { registry, prisms, clone } = await startServices(options, bins, mocks, temp, state);

    const env = installEnv(registry.url, path.join(temp, "caches"));
    const onRegistry = await firstRelease(options, clone, registry.url, env, temp);
    verdicts.push(onRegistry ? "pass" : "fail");
    if (!onRegistry) return { verdicts };

    // The upgrade loop (mostly two more releases) runs while the rows do; its lines are printed
    // after the table. The rows install the first release's exact versions, so the loop's newer
    // releases cannot reach them.
    const upgrade = options.upgrade ? startUpgrade(clone, registry.url, temp, onRegistry[RUNTIME_PACKAGE]!, verdicts, style) : undefined;

    const config: HarnessConfig = { mocks: Object.fromEntries(mocks.map((m) => [m, prisms[m]!.url])), refusedUrl: `http://127.0.0.1:${await freePort()}` };
    const specs = packages.map((p) => `${p}@${onRegistry[p]!.version}`);
    const installs = await installAll(rows, temp, registry.url, env, specs, bins, onRegistry, print, style);
    verdicts.push(...installs.verdicts);

    print();
    const table = await runRows(rows, { installs: installs.results, flows, config, bins, temp, packages, ci: options.ci });
    for (const line of renderTable(table, style)) print(line);
    verdicts.push(...table.map((r) => r.verdict));

    if (upgrade) {
      const { lines, ms } = await upgrade;
      print();
      print(`${style.bold("upgrade loop")} (${duration(ms)}, alongside the rows)`);
      for (const line of lines) print(line);
    }
    return { verdicts };
  } catch (error) {
    fail(`the suite stopped: ${(error as Error).stack ?? error}`);
    return { verdicts };
  } finally {
    await Promise.all([state.registry?.stop(), ...Object.values(state.prisms ?? {}).map((p) => p.stop())]);
    if (options.keepTemp) print(`(kept ${temp})`);
    else rmSync(temp, { recursive: true, force: true });
    print();
    print(`suite time ${duration(performance.now() - started)}`);
    print(summaryLine(tally(verdicts)));
  }
}

/** Verdaccio, the Prism mocks and the release clone, started together. */
async function startServices(options: SuiteOptions, bins: Record<string, string | undefined>, mocks: readonly string[], temp: string, state: State) {
  const [registry, prisms, clone] = await Promise.all([
    startRegistry(bins["verdaccio"]!, path.join(temp, "registry")).then((r) => (state.registry = r)),
    // A loaded machine (the suite runs next to other builds) can take Prism past its 30 s default.
    startPrisms(Object.fromEntries(mocks.map((m) => [m, path.join(specsDir, `${m}.yaml`)])), { readyTimeoutMs: 180_000 }).then((p) => (state.prisms = p)),
    ReleaseClone.create(options.root, path.join(temp, "repo"), path.join(toolsCache(), "turbo-cache")),
  ]);
  options.print(`registry: Verdaccio ${TOOLS.verdaccio.version} on ${registry.url} (storage in ${path.join(temp, "registry")}); mocks: ${mocks.map((m) => `${m} ${prisms[m]!.url}`).join(", ")}`);
  return { registry, prisms, clone };
}

/** The real `pnpm release` of every package; the registry's versions, or undefined (printed) when it failed. */
async function firstRelease(options: SuiteOptions, clone: ReleaseClone, registry: string, env: NodeJS.ProcessEnv, temp: string): Promise<Record<string, Published> | undefined> {
  const { print, style } = options;
  const started = performance.now();
  const release = await clone.release(registry, path.join(temp, "publish-first"));
  const onRegistry = await publishedVersions(options.root, env, temp);
  const missing = publicPackages(options.root).filter((p) => !onRegistry[p.name]);
  if (release.status !== 0 || missing.length) {
    print(`${style.red("✗")} pnpm release did not publish ${missing.map((p) => p.name).join(", ") || `(exit ${release.status})`}:\n${tail(release, 40)}`);
    return undefined;
  }
  print(`${style.green("✓")} pnpm release (real, from a clone) published ${Object.entries(onRegistry).map(([n, p]) => `${n}@${p.version}`).join(", ")} in ${duration(performance.now() - started)}`);
  return onRegistry;
}

/** Starts the upgrade loop; resolves to its printed lines once it is done (its verdicts go to `verdicts` as they come). */
async function startUpgrade(clone: ReleaseClone, registry: string, temp: string, runtime: Published, verdicts: Verdict[], style: Style): Promise<{ lines: string[]; ms: number }> {
  const started = performance.now();
  const lines: string[] = [];
  const report = (check: Check) => {
    verdicts.push(check.verdict);
    lines.push(`  ${check.verdict === "pass" ? style.green("✓") : style.red("✗")} ${check.text}`);
  };
  await runUpgradeLoop({ clone, registry, temp: path.join(temp, "upgrade"), runtime, report }).catch((error: unknown) =>
    report({ verdict: "fail", text: `the upgrade loop stopped: ${(error as Error).stack ?? error}` }),
  );
  return { lines, ms: performance.now() - started };
}

/** Every pinned tool, from the cache or installed now, and Chromium if the machine has it. */
async function tools(options: SuiteOptions): Promise<Record<string, string | undefined>> {
  const started = performance.now();
  const ids = Object.keys(TOOLS) as ToolId[];
  const installed = await Promise.all(ids.map((id) => ensureTool(id)));
  const chromium = await findChromium();
  const fresh = installed.filter((t) => !t.cached);
  options.print(
    `tools: ${toolsCache()} (${installed.length - fresh.length} cached${fresh.length ? `, installed now: ${fresh.map((t) => `${t.id} ${duration(t.ms)}`).join(", ")}` : ""}) ${duration(performance.now() - started)}; chromium: ${chromium.bin ?? "not installed"}`,
  );
  return { ...Object.fromEntries(installed.map((t) => [t.id, t.bin])), chromium: chromium.bin, chromiumMissing: chromium.missing };
}

/** The registry's version and integrity of every public package (latest). */
async function publishedVersions(root: string, env: NodeJS.ProcessEnv, cwd: string): Promise<Record<string, Published>> {
  const entries = await Promise.all(publicPackages(root).map(async (p) => [p.name, await published(p.name, env, cwd)] as const));
  return Object.fromEntries(entries.filter((e): e is [string, Published] => e[1] !== undefined));
}

interface Installed {
  readonly consumer: Consumer;
  readonly result: InstallResult;
}

/** One consumer folder per package manager the rows use (installed together), each checked after its install. */
async function installAll(
  rows: readonly RowSpec[],
  temp: string,
  registry: string,
  env: NodeJS.ProcessEnv,
  specs: readonly string[],
  bins: Record<string, string | undefined>,
  onRegistry: Record<string, Published>,
  print: SuiteOptions["print"],
  style: Style,
): Promise<{ results: Map<InstallerId, Installed>; verdicts: Verdict[] }> {
  const results = new Map<InstallerId, Installed>();
  const verdicts: Verdict[] = [];
  const names = specs.map((s) => s.slice(0, s.lastIndexOf("@")));
  const installers = [...new Set(rows.map((r) => r.installer))];
  const done = await Promise.all(
    installers.map(async (installer) => {
      const consumer = createConsumer(installer, path.join(temp, `consumer-${installer}`), registry);
      const result = await install(consumer, specs, env, bins["bun"]);
      const problems = result.ok ? installProblems(consumer, Object.fromEntries(names.map((p) => [p, onRegistry[p]!])), onRegistry[RUNTIME_PACKAGE]!) : [result.error!];
      return { installer, consumer, result: problems.length ? { ...result, ok: false, error: problems.join("\n") } : result };
    }),
  );
  for (const { installer, consumer, result } of done) {
    results.set(installer, { consumer, result });
    verdicts.push(result.ok ? "pass" : "fail");
    print(
      result.ok
        ? `${style.green("✓")} ${installer} installed ${specs.join(", ")} by name from the registry in ${duration(result.ms)}; its lockfile has the registry's integrity for each; @otpkit/runtime resolves to ${onRegistry[RUNTIME_PACKAGE]!.version} from each`
        : `${style.red("✗")} ${installer} install: ${result.error}`,
    );
  }
  return { results, verdicts };
}

interface RowsContext {
  readonly installs: Map<InstallerId, Installed>;
  readonly flows: readonly DiscoveredFlow[];
  readonly config: HarnessConfig;
  readonly bins: Record<string, string | undefined>;
  readonly temp: string;
  readonly packages: readonly string[];
  readonly ci: boolean;
}

async function runRows(rows: readonly RowSpec[], ctx: RowsContext): Promise<Row[]> {
  const table: Row[] = [];
  for (const spec of rows) {
    const started = performance.now();
    const installed = ctx.installs.get(spec.installer)!;
    const rowTemp = path.join(ctx.temp, "rows", spec.id);
    mkdirSync(rowTemp, { recursive: true });
    let outcome: RowOutcome;
    if (!installed.result.ok) outcome = { kind: "failed", error: `the ${spec.installer} install failed` };
    else if (spec.id === "chromium" && !ctx.bins["chromium"]) outcome = { kind: "skipped", reason: ctx.bins["chromiumMissing"] ?? "Chromium is not installed" };
    else {
      outcome = await spec
        .run({ dir: installed.consumer.dir, flows: ctx.flows, config: ctx.config, bins: ctx.bins, temp: rowTemp })
        .catch((error: unknown) => ({ kind: "failed", error: (error as Error).stack ?? String(error) }) as const);
    }
    const install = `${spec.installer} ${duration(installed.result.ms)}`;
    table.push(underCi(judgeRow(spec, outcome, ctx.packages, install, performance.now() - started), ctx.ci));
  }
  return table;
}
