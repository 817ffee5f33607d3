/**
 * The consumer suite's publish guard (scripts/consumer/guard.ts): it must refuse every registry
 * but the suite's loopback Verdaccio, wherever the registry would come from, before the real
 * `pnpm release` runs. The last tests ask the real npm what it would use.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  assertLoopbackRegistry,
  assertPublishTargets,
  declaredRegistryProblems,
  effectiveRegistryProblems,
  environmentProblems,
  GuardError,
  publishEnv,
  registryProblem,
} from "../consumer/guard.ts";

const SUITE = "http://127.0.0.1:4873/";
const pkg = (publishConfig?: Record<string, string>) => ({ name: "@otpkit/smscx", relDir: "packages/smscx", manifest: publishConfig ? { publishConfig } : {} });

describe("the suite's own registry", () => {
  it.each(["http://127.0.0.1:4873", "http://127.0.0.1:4873/", "http://127.9.9.9:1/", "http://[::1]:4873/", "http://localhost:4873/"])("accepts the loopback URL %s", (url) => {
    expect(() => assertLoopbackRegistry(url)).not.toThrow();
  });

  it.each([
    "https://registry.npmjs.org/",
    "https://registry.yarnpkg.com/",
    "http://10.0.0.1:4873/",
    "http://192.168.1.10:4873/",
    "http://localhost.example.com:4873/",
    "http://127.0.0.1.nip.io:4873/",
    "http://127.0.0.1/",
    "http://user:secret@127.0.0.1:4873/",
    "file:///tmp/registry",
    "not a url",
  ])("refuses the non-loopback or incomplete URL %s", (url) => {
    expect(() => assertLoopbackRegistry(url)).toThrow(GuardError);
  });
});

describe("a registry named anywhere", () => {
  it("must be the suite's registry (one trailing slash or none)", () => {
    expect(registryProblem("x", "http://127.0.0.1:4873", SUITE)).toBeUndefined();
    expect(registryProblem("x", "https://registry.npmjs.org/", SUITE)).toMatch(/not the suite's registry/);
    expect(registryProblem("x", "http://127.0.0.1:4874/", SUITE)).toMatch(/not the suite's registry/);
    expect(registryProblem("x", undefined, SUITE)).toMatch(/fall back to https:\/\/registry\.npmjs\.org/);
  });

  it("refuses a package whose publishConfig names another registry", () => {
    const env = { npm_config_registry: SUITE };
    expect(declaredRegistryProblems(pkg(), env, SUITE)).toEqual([]);
    expect(declaredRegistryProblems(pkg({ registry: "https://registry.npmjs.org/" }), env, SUITE)).toEqual([expect.stringMatching(/publishConfig\.registry is https:\/\/registry\.npmjs\.org\//)]);
    expect(declaredRegistryProblems(pkg({ "@otpkit:registry": "https://npm.pkg.github.com/" }), env, SUITE)).toHaveLength(1);
  });

  it("refuses an environment without npm_config_registry (changesets would pass npm's default)", () => {
    expect(declaredRegistryProblems(pkg(), { NPM_CONFIG_REGISTRY: SUITE }, SUITE)).toEqual([expect.stringMatching(/npm_config_registry is not set/)]);
  });

  it("refuses another registry or a credential in the environment, in any spelling", () => {
    expect(environmentProblems({ NPM_CONFIG_REGISTRY: "https://registry.npmjs.org/" }, SUITE)).toHaveLength(1);
    expect(environmentProblems({ "npm_config_@otpkit:registry": "https://registry.npmjs.org/" }, SUITE)).toHaveLength(1);
    expect(environmentProblems({ NPM_TOKEN: "npm_abc" }, SUITE)).toEqual(["environment NPM_TOKEN holds a credential for another registry"]);
    expect(environmentProblems({ "npm_config_//registry.npmjs.org/:_authToken": "npm_abc" }, SUITE)).toHaveLength(1);
    expect(environmentProblems({ npm_config_registry: SUITE, PATH: "/usr/bin" }, SUITE)).toEqual([]);
  });

  it("reads npm's effective config: a scoped registry wins over `registry`", () => {
    expect(effectiveRegistryProblems("repo", { registry: SUITE }, ["@otpkit"], SUITE)).toEqual([]);
    expect(effectiveRegistryProblems("repo", { registry: SUITE, "@otpkit:registry": "https://registry.npmjs.org/" }, ["@otpkit"], SUITE)).toHaveLength(1);
  });
});

describe("assertPublishTargets, with the real npm", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A repository with one public package, and .npmrc files as given. */
  function repo(npmrc: { root?: string; pkg?: string } = {}) {
    const root = mkdtempSync(path.join(os.tmpdir(), "otpkit-guard-"));
    dirs.push(root);
    mkdirSync(path.join(root, "packages/smscx"), { recursive: true });
    writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "otpkit", private: true }));
    writeFileSync(path.join(root, "packages/smscx/package.json"), JSON.stringify({ name: "@otpkit/smscx", version: "0.1.0" }));
    if (npmrc.root) writeFileSync(path.join(root, ".npmrc"), npmrc.root);
    if (npmrc.pkg) writeFileSync(path.join(root, "packages/smscx/.npmrc"), npmrc.pkg);
    const scratch = path.join(root, ".scratch");
    mkdirSync(scratch);
    return { root, scratch };
  }

  it("passes with the suite's publish environment, whatever the repository's .npmrc files say", async () => {
    const { root, scratch } = repo({ root: "registry=https://registry.npmjs.org/\n", pkg: "@otpkit:registry=https://registry.npmjs.org/\n" });
    const env = publishEnv(SUITE, scratch, ["@otpkit"], { PATH: process.env["PATH"], HOME: process.env["HOME"], NPM_TOKEN: "npm_leaked" });
    expect(env["NPM_TOKEN"]).toBeUndefined();
    await expect(assertPublishTargets({ root, packages: [pkg()], env, registry: SUITE })).resolves.toBeUndefined();
  });

  it("refuses when a package's .npmrc sends the scope elsewhere and the environment does not override it", async () => {
    const { root } = repo({ pkg: "@otpkit:registry=https://registry.npmjs.org/\n" });
    const env = { PATH: process.env["PATH"], HOME: process.env["HOME"], npm_config_registry: SUITE };
    await expect(assertPublishTargets({ root, packages: [pkg()], env, registry: SUITE })).rejects.toThrow(/npm config @otpkit:registry \(packages\/smscx\) is https:\/\/registry\.npmjs\.org\//);
  });

  it("refuses a registry that is not on loopback before asking npm anything", async () => {
    const { root, scratch } = repo();
    let asked = 0;
    const readConfig = async () => (asked++, {});
    expect(() => publishEnv("https://registry.npmjs.org/", scratch, ["@otpkit"])).toThrow(GuardError);
    await expect(assertPublishTargets({ root, packages: [pkg()], env: { npm_config_registry: "https://registry.npmjs.org/" }, registry: "https://registry.npmjs.org/", readConfig })).rejects.toThrow(
      /must be http\(s\) on a loopback address/,
    );
    expect(asked).toBe(0);
  });
});
