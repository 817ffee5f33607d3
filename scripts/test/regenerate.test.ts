/**
 * Regeneration proven: an operation added to a copy of a spec becomes a typed, callable method
 * after one generator run, with no hand-written code.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { generate } from "../generate/cli.ts";
import { specPath, startPrism, type PrismServer } from "../prism/index.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// Inside packages/smscx so that @otpkit/runtime and typescript resolve from its node_modules.
const work = path.join(root, "packages/smscx/.tmp/regenerate");
const history = [
  { status: "PENDING", date: "2024-05-09 12:09:31" },
  { status: "VERIFIED", date: "2024-05-09 12:10:02" },
];

let prism: PrismServer;
let drift: string[];

beforeAll(async () => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const spec = parse(readFileSync(specPath("smscx"), "utf8")) as {
    paths: Record<string, unknown>;
    components: { schemas: Record<string, unknown> };
  };
  spec.components.schemas.OtpHistory = {
    type: "object",
    required: ["events"],
    properties: {
      events: {
        type: "array",
        items: {
          type: "object",
          required: ["status", "date"],
          properties: { status: { type: "string", enum: ["PENDING", "VERIFIED", "EXPIRED", "CANCELLED", "FAILED"] }, date: { type: "string" } },
        },
      },
    },
  };
  spec.paths["/otp/{otpId}/history"] = {
    get: {
      operationId: "GetOtpHistory",
      tags: ["OTP"],
      summary: "Read the status history of an OTP",
      description: "Every status the OTP went through, oldest first.",
      parameters: [{ $ref: "#/components/parameters/otpId" }],
      responses: {
        "200": {
          description: "The history.",
          content: { "application/json": { schema: { $ref: "#/components/schemas/OtpHistory" }, examples: { twoSteps: { value: { events: history } } } } },
        },
        "404": { $ref: "#/components/responses/OtpNotFound" },
      },
    },
  };
  const changed = path.join(work, "smscx-next.yaml");
  writeFileSync(changed, stringify(spec));
  drift = await generate({ specPath: changed, outDir: path.join(work, "src/generated"), packageName: "@otpkit/smscx", version: "0.0.0" });
  prism = await startPrism({ spec: changed });
}, 90_000);

afterAll(async () => {
  await prism?.stop();
  rmSync(path.join(root, "packages/smscx/.tmp"), { recursive: true, force: true });
});

describe("regenerating after a spec gains an operation", () => {
  it("writes every module", () => {
    expect(drift.sort()).toEqual(["client.ts", "guards.ts", "index.ts", "mock.ts", "not-sent.ts", "schema.ts", "spec.ts", "types.ts", "webhooks.ts"]);
  });

  it("types the new method end to end", () => {
    writeFileSync(
      path.join(work, "use.ts"),
      `import { createSmscxClient, type OtpHistory, type GetOtpHistoryError } from "./src/generated/index.js";
const client = createSmscxClient({ apiKey: "k" });
export const history: Promise<OtpHistory> = client.getOtpHistory({ otpId: "a17fb13d-f4ac-4d93-9439-ef41ab8de390" });
export const status: Promise<"PENDING" | "VERIFIED" | "EXPIRED" | "CANCELLED" | "FAILED" | undefined> = history.then((h) => h.events[0]?.status);
export type Code = GetOtpHistoryError["code"];
// @ts-expect-error otpId is required
void client.getOtpHistory({});
`,
    );
    writeFileSync(
      path.join(work, "tsconfig.json"),
      JSON.stringify({ extends: "../../../../tsconfig.base.json", compilerOptions: { types: [] }, include: ["use.ts", "src"] }),
    );
    const tsc = path.join(root, "packages/smscx/node_modules/.bin/tsc");
    expect(() => execFileSync(tsc, ["-p", path.join(work, "tsconfig.json")], { encoding: "utf8", stdio: "pipe" })).not.toThrow();
  });

  it("calls the new method against a Prism mock of the changed spec", async () => {
    const generated = (await import(path.join(work, "src/generated/index.ts"))) as { createSmscxClient(options: object): unknown };
    const client = generated.createSmscxClient({ apiKey: "k", baseUrl: prism.url }) as {
      getOtpHistory(input: { otpId: string }): Promise<unknown> & { withMetadata(): Promise<{ metadata: { headers: Headers } }> };
    };
    const otpId = "a17fb13d-f4ac-4d93-9439-ef41ab8de390";
    await expect(client.getOtpHistory({ otpId })).resolves.toEqual({ events: history });
    const { metadata } = await client.getOtpHistory({ otpId }).withMetadata();
    expect(metadata.headers.get("sl-violations")).toBeNull();
    // The new operation is validated from the spec too: a bad id never leaves.
    await expect(client.getOtpHistory({ otpId: "NOT-A-UUID" })).rejects.toMatchObject({ name: "ValidationError" });
  });

  it("gives the new operation to the in-process mock too: with no handler written, it answers the spec's example", async () => {
    const { mockSpec } = (await import(path.join(work, "src/generated/mock.ts"))) as { mockSpec: object };
    // The built engine, as the package's testing entry loads it (scripts does not depend on the runtime itself).
    const { createMock } = (await import(path.join(root, "packages/runtime/dist/testing.js"))) as {
      createMock(spec: object, behaviour: object): { fetch: typeof fetch; requests: { operationId?: string; status?: number }[] };
    };
    const mock = createMock(mockSpec, { createState: () => ({}), handlers: {}, codeFor: () => undefined });
    const generated = (await import(path.join(work, "src/generated/index.ts"))) as { createSmscxClient(options: object): { getOtpHistory(input: object): Promise<unknown> } };
    const client = generated.createSmscxClient({ apiKey: "k", fetch: mock.fetch });
    await expect(client.getOtpHistory({ otpId: "a17fb13d-f4ac-4d93-9439-ef41ab8de390" })).resolves.toEqual({ events: history });
    expect(mock.requests.map((r) => [r.operationId, r.status])).toEqual([["GetOtpHistory", 200]]);
  });
});
