/**
 * Both builds of @otpkit/verify work in Node, through its `exports` map in a fresh process, also
 * when the app loads the vendor clients through the other module format: the failover recognises
 * the runtime's errors (`instanceof`) whichever build of @otpkit/runtime threw them. A stub fetch
 * answers SMS.cx's send with a listed refusal (400 insufficient_credit) and Ding's with a success.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const load = (format: "cjs" | "esm", name: string) => (format === "cjs" ? `require("${name}")` : `await import("${name}")`);

function run(verifyFormat: "cjs" | "esm", vendorFormat: "cjs" | "esm") {
  const program = `
    const { createVerifier, smscxProvider, dingProvider } = ${load(verifyFormat, "@otpkit/verify")};
    const { createSmscxClient } = ${load(vendorFormat, "@otpkit/smscx")};
    const { createDingClient } = ${load(vendorFormat, "@otpkit/ding")};
    const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
    const smscx = createSmscxClient({ apiKey: "k", fetch: async () => json(400, { error: { type: "insufficient_credit", message: "Insufficient credit", uri: "u", code: 1113 } }) });
    const ding = createDingClient({ apiKey: "k", customerUuid: "cf222c97-267d-4a29-9e1b-c85d9c31cc42", fetch: async () => json(200, { authentication_uuid: "349a6b10-c41d-4d74-8b13-62f7d5145053", status: "pending" }) });
    const result = await createVerifier({ providers: [smscxProvider(smscx), dingProvider(ding)] }).start({ phoneNumber: "+33612246400" });
    console.log(JSON.stringify({ status: result.status, id: result.id, tried: result.tried.map((t) => [t.provider, t.outcome, t.reason]) }));`;
  const source = `(async () => { ${program} })().catch((e) => { console.error(e); process.exit(1); });`;
  return spawnSync(process.execPath, ["--input-type=commonjs", "-e", source], { cwd: here, encoding: "utf8" });
}

test.each([
  ["cjs", "cjs"],
  ["esm", "esm"],
  ["cjs", "esm"],
  ["esm", "cjs"],
] as const)("the %s build of @otpkit/verify fails over on a refusal thrown by the %s build of the vendor clients", (verifyFormat, vendorFormat) => {
  const result = run(verifyFormat, vendorFormat);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  expect(JSON.parse(result.stdout)).toEqual({
    status: "sent",
    id: "ding:349a6b10-c41d-4d74-8b13-62f7d5145053",
    tried: [
      ["smscx", "not_sent", "insufficient_credit"],
      ["ding", "sent", null],
    ],
  });
});
