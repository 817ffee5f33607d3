/**
 * Which packages the suite installs, and their flows: every public package under `packages/`
 * except the shared runtime (which every other one depends on, and which is checked through them)
 * needs a flow in `flows/<folder>.ts`. A package without one is reported, never skipped quietly.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { listWorkspacePackages } from "../release/workspace.ts";
import type { FlowModule } from "./bundle.ts";
import type { Flow } from "./harness/flow.ts";

export const RUNTIME_PACKAGE = "@otpkit/runtime";
export const flowsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "flows");

export interface DiscoveredFlow extends FlowModule {
  /** The specs whose Prism mocks the flow calls. */
  readonly mocks: readonly string[];
}

export interface Discovery {
  readonly flows: DiscoveredFlow[];
  /** Packages that have no usable flow, and why. */
  readonly problems: string[];
}

/** The published packages of `root` (public, under packages/), runtime first. */
export function publicPackages(root: string): { name: string; folder: string }[] {
  return listWorkspacePackages(root)
    .filter((p) => !p.private && p.relDir.startsWith("packages/"))
    .map((p) => ({ name: p.name, folder: path.basename(p.relDir) }))
    .sort((a, b) => Number(b.name === RUNTIME_PACKAGE) - Number(a.name === RUNTIME_PACKAGE));
}

export async function discoverFlows(root: string, dir = flowsDir): Promise<Discovery> {
  const flows: DiscoveredFlow[] = [];
  const problems: string[] = [];
  for (const pkg of publicPackages(root).filter((p) => p.name !== RUNTIME_PACKAGE)) {
    const file = path.join(dir, `${pkg.folder}.ts`);
    if (!existsSync(file)) {
      problems.push(`${pkg.name} has no consumer flow: add ${path.relative(root, file)} (see scripts/consumer/README.md)`);
      continue;
    }
    let flow: Flow<never> | undefined;
    try {
      ({ flow } = (await import(pathToFileURL(file).href)) as { flow?: Flow<never> });
    } catch (error) {
      problems.push(`${path.relative(root, file)} does not load: ${(error as Error).message}`);
      continue;
    }
    if (!flow || flow.package !== pkg.name) {
      problems.push(`${path.relative(root, file)} must export \`flow\` with package "${pkg.name}"`);
      continue;
    }
    flows.push({ package: pkg.name, file, mocks: flow.mocks });
  }
  return { flows, problems };
}
