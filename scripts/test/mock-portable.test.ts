/**
 * The mocks need no server, no port and no Node built-in. Each vendor's `testing` entry, bundled for
 * the browser with its client, imports nothing from Node (esbuild's metafile lists every input), and
 * runs a whole OTP flow in a bare JavaScript realm that has the WHATWG globals of a browser or an
 * edge worker but no `fetch` at all, no `process`, no `require` and no `Buffer`: every answer comes
 * from the mock, in-process.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));

/** Per vendor: an app's test of its sign-in flow, written against the mock. */
const flows: Record<string, string> = {
  smscx: `
    import { createSmscxClient } from "@otpkit/smscx";
    import { createSmscxMock } from "@otpkit/smscx/testing";
    globalThis.flow = async () => {
      const mock = createSmscxMock();
      const smscx = createSmscxClient({ apiKey: "k", fetch: mock.fetch });
      const { otpId } = await smscx.newOtp({ phoneNumber: "+33612246400" });
      await smscx.verifyPin({ otpId, pin: mock.codeFor(otpId) });
      return (await smscx.getOtpStatus({ otpId })).status;
    };`,
  ding: `
    import { createDingClient } from "@otpkit/ding";
    import { createDingMock } from "@otpkit/ding/testing";
    globalThis.flow = async () => {
      const mock = createDingMock();
      const ding = createDingClient({ apiKey: "k", customerUuid: "cf222c97-267d-4a29-9e1b-c85d9c31cc42", fetch: mock.fetch });
      const { authentication_uuid } = await ding.createAuthentication({ phone_number: "+12025550143" });
      return (await ding.check({ authentication_uuid, check_code: mock.codeFor(authentication_uuid) })).status;
    };`,
  "equinix-metal": `
    import { createEquinixMetalClient } from "@otpkit/equinix-metal";
    import { createEquinixMetalMock } from "@otpkit/equinix-metal/testing";
    globalThis.flow = async () => {
      const mock = createEquinixMetalMock();
      const metal = createEquinixMetalClient({ apiKey: "k", fetch: mock.fetch });
      await metal.receiveCodes();
      await metal.findEnsureOtp({ otp: mock.codeFor("k") });
      return (await metal.regenerateCodes()).recovery_codes.length;
    };`,
  prelude: `
    import { createPreludeClient } from "@otpkit/prelude";
    import { createPreludeMock } from "@otpkit/prelude/testing";
    globalThis.flow = async () => {
      const mock = createPreludeMock();
      const prelude = createPreludeClient({ accessToken: "k", fetch: mock.fetch });
      const target = { type: "phone_number", value: "+30123456789" };
      const { id } = await prelude.createVerification({ target });
      await prelude.checkVerification({ target, code: mock.codeFor(target.value) });
      return (await prelude.getPhoneVerification({ id })).status;
    };`,
};

// Each flow is bundled once for both of its tests.
const bundles = new Map<string, Promise<{ code: string; inputs: string[] }>>();
function bundle(vendor: string) {
  if (!bundles.has(vendor)) bundles.set(vendor, bundleOnce(vendor));
  return bundles.get(vendor)!;
}

async function bundleOnce(vendor: string) {
  const result = await build({
    stdin: { contents: flows[vendor]!, resolveDir: here, loader: "js" },
    bundle: true,
    format: "iife",
    platform: "browser",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  return { code: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) };
}

/** What a browser or an edge worker offers, minus `fetch`: the mock must not need the network. */
function bareRealm(): vm.Context {
  const { Request, Response, Headers, FormData, Blob, AbortController, AbortSignal, URL, URLSearchParams, TextEncoder, TextDecoder, DOMException, setTimeout, clearTimeout, performance, console } = globalThis;
  return vm.createContext({ Request, Response, Headers, FormData, Blob, AbortController, AbortSignal, URL, URLSearchParams, TextEncoder, TextDecoder, DOMException, setTimeout, clearTimeout, performance, console });
}

describe.each(Object.keys(flows))("@otpkit/%s/testing without Node and without a network", (vendor) => {
  it("imports no Node built-in: every module of its browser bundle is the packages' own or openapi-fetch", async () => {
    const { code, inputs } = await bundle(vendor);
    expect(inputs.filter((file) => !/(packages\/(runtime|smscx|ding|equinix-metal|prelude)\/dist\/|openapi-fetch\/dist\/|<stdin>)/.test(file))).toEqual([]);
    expect(inputs.some((file) => file.endsWith("dist/testing.js"))).toBe(true);
    expect(code).not.toMatch(/require\(["']|from ["']node:/);
  });

  it("runs a whole flow in a realm with no fetch, process, require or Buffer", async () => {
    const realm = bareRealm();
    vm.runInContext((await bundle(vendor)).code, realm);
    expect(vm.runInContext("[typeof fetch, typeof process, typeof require, typeof Buffer].join(' ')", realm)).toBe("undefined undefined undefined undefined");
    const result = await (vm.runInContext("flow()", realm) as Promise<unknown>);
    expect(result).toBe({ smscx: "VERIFIED", ding: "valid", "equinix-metal": 10, prelude: "converted" }[vendor]);
  });
});
