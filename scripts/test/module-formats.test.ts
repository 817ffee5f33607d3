/**
 * Both builds of every published package work in Node: `require()` loads the CommonJS build and
 * `import()` the ESM build (each through the package's `exports` map, in a fresh Node process), and
 * each creates a client and makes one call through a stub `fetch`. publint and attw check the
 * files and types; only running the code shows an interop mistake such as a default import that
 * is not a function in CommonJS.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, test } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const calls = {
  smscx: `createSmscxClient({ apiKey: "k", fetch }).getOtpStatus({ otpId: "3ca6a5b8-5dc5-4c6b-9d3a-8f1b6f0d2a11" })`,
  ding: `createDingClient({ apiKey: "k", customerUuid: "c0c7c7e5-8e0b-4d4b-9f39-3f6c8f3f1c11", fetch }).getAuthenticationStatus({ auth_uuid: "e0e7b0d3-8f1d-4c3a-8a5e-0b0c6f3f1a22" })`,
  "equinix-metal": `createEquinixMetalClient({ apiKey: "k", fetch }).findRecoveryCodes()`,
  prelude: `createPreludeClient({ accessToken: "k", fetch }).lookup({ phone_number: "+30123456789" })`,
} as const;

function run(vendor: keyof typeof calls, format: "cjs" | "esm") {
  const load = format === "cjs" ? `const m = require("@otpkit/${vendor}");` : `const m = await import("@otpkit/${vendor}");`;
  const factory = calls[vendor].slice(0, calls[vendor].indexOf("("));
  const program = `
    ${load}
    const fetch = async (url) => new Response(JSON.stringify({ seen: String(url) }), { status: 200, headers: { "content-type": "application/json" } });
    const ${factory} = m.${factory};
    const data = await ${calls[vendor]};
    const runtime = ${format === "cjs" ? `require("@otpkit/runtime")` : `await import("@otpkit/runtime")`};
    console.log(JSON.stringify({ data, apiError: typeof runtime.ApiError }));`;
  // CommonJS has no top-level await: wrap both the same way.
  const source = `(async () => { ${program} })().catch((e) => { console.error(e); process.exit(1); });`;
  return spawnSync(process.execPath, ["--input-type=commonjs", "-e", source], { cwd: path.join(root, "packages", vendor), encoding: "utf8" });
}

describe.each(Object.keys(calls) as (keyof typeof calls)[])("@otpkit/%s", (vendor) => {
  it.each(["cjs", "esm"] as const)("the %s build loads, creates a client and makes a call", (format) => {
    const result = run(vendor, format);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const out = JSON.parse(result.stdout) as { data: { seen: string }; apiError: string };
    expect(out.data.seen).toMatch(/^https:\/\//);
    expect(out.apiError).toBe("function");
  });
});

test("an error thrown by one build is an instance of the other build's classes (an app that loads both)", () => {
  const source = `(async () => {
    const cjs = require("@otpkit/smscx");
    const esm = await import("@otpkit/smscx");
    const fetch = async () => new Response(JSON.stringify({ error: { type: "invalid_pin", message: "The PIN provided does not verify", uri: "https://sms.cx", code: 2029 } }), { status: 400, headers: { "content-type": "application/json" } });
    const error = await cjs.createSmscxClient({ apiKey: "k", fetch }).verifyPin({ otpId: "3ca6a5b8-5dc5-4c6b-9d3a-8f1b6f0d2a11", pin: "0000" }).catch((e) => e);
    console.log(JSON.stringify({
      twoCopies: cjs.ApiError !== esm.ApiError,
      esmApiError: error instanceof esm.ApiError,
      esmBase: error instanceof esm.OtpkitError,
      esmGuard: esm.isSmscxApiError(error),
      notOutcome: error instanceof esm.OutcomeError,
      notTimeout: error instanceof esm.TimeoutError,
      plainError: new Error("x") instanceof esm.ApiError,
      code: error.code,
    }));
  })().catch((e) => { console.error(e); process.exit(1); });`;
  const result = spawnSync(process.execPath, ["--input-type=commonjs", "-e", source], { cwd: path.join(root, "packages", "smscx"), encoding: "utf8" });
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({
    twoCopies: true,
    esmApiError: true,
    esmBase: true,
    esmGuard: true,
    notOutcome: false,
    notTimeout: false,
    plainError: false,
    code: 2029,
  });
});
