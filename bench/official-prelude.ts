/**
 * `pnpm --filter @otpkit/bench official-prelude --sdk=DIR`: @otpkit/prelude next to Prelude's
 * official TypeScript SDK (npm `@prelude.so/sdk`) on the three points of issue 19, measured, and
 * written to bench/OFFICIAL-PRELUDE.md (`--no-write` prints it instead).
 *
 * The official SDK is not a dependency of this repository: install the published package into a
 * folder of its own first, without running its scripts, and pass that folder:
 *
 *   npm install --prefix /tmp/prelude-sdk --ignore-scripts @prelude.so/sdk@0.10.0
 *
 * 1. A billed create (`POST /v2/verification`) that meets a 503, then one that meets a server that
 *    never answers: how many requests reach a loopback server, each client with its default retry
 *    policy and the same 500 ms timeout.
 * 2. A 200 whose `status` is `blocked`: does the call resolve, or throw?
 * 3. Bundle size of that create call, bundled the way bench/size.ts bundles ours (esbuild, minified
 *    ESM for the browser, gzip level 9).
 * The lines of the SDK's published source behind each behaviour are quoted with their line numbers.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createRequire } from "node:module";
import path from "node:path";
import { createPreludeClient } from "@otpkit/prelude";
import { bundle } from "./lib/bundle.ts";
import { benchDir, environment, fmt, provenance, table } from "./lib/report.ts";

const args = process.argv.slice(2).filter((a) => a !== "--");
const sdkDir = args.find((a) => a.startsWith("--sdk="))?.slice("--sdk=".length);
if (!sdkDir) {
  console.error("usage: pnpm --filter @otpkit/bench official-prelude --sdk=DIR [--no-write]\n(install first: npm install --prefix DIR --ignore-scripts @prelude.so/sdk@0.10.0)");
  process.exit(2);
}
const sdkRequire = createRequire(path.join(path.resolve(sdkDir), "package.json"));
// Its exports map does not expose package.json: the main file sits at the package root.
const sdkRoot = path.dirname(sdkRequire.resolve("@prelude.so/sdk"));
const sdkVersion = (JSON.parse(readFileSync(path.join(sdkRoot, "package.json"), "utf8")) as { version: string }).version;
type Official = new (options: { apiToken: string; baseURL: string; timeout: number }) => { verification: { create(body: object): Promise<{ status: string }> } };
const Prelude = (sdkRequire("@prelude.so/sdk") as { default: Official }).default;

const TIMEOUT = 500;
const target = { type: "phone_number", value: "+30123456789" } as const;
const blockedBody = { id: "vrf_01jc0tc4x5y6z7a8b9c0d1e2f3", method: "message", status: "blocked", reason: "suspicious" };

/** A loopback server that answers POST /v2/verification as `mode` says, and counts the requests. */
async function startServer() {
  let mode: "503" | "hang" | "blocked" = "503";
  let count = 0;
  const sockets = new Set<Socket>();
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v2/verification") return void res.writeHead(404).end();
      count++;
      if (mode === "hang") return void hanging.push(res);
      const body = mode === "503" ? { code: "internal", message: "Service unavailable" } : blockedBody;
      res.writeHead(mode === "503" ? 503 : 200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Runs `call` with the server in `next` mode; how many requests arrived and how it ended. */
    async run(next: typeof mode, call: () => Promise<unknown>) {
      mode = next;
      count = 0;
      const started = performance.now();
      const outcome = await call().then(
        (value) => `resolved, \`status: ${JSON.stringify((value as { status?: string }).status)}\``,
        (error: Error) => `threw \`${error.constructor.name}\`${"outcome" in error ? ` (outcome \`${String(error.outcome)}\`)` : ""}`,
      );
      return { requests: count, outcome, ms: performance.now() - started };
    },
    close() {
      for (const res of hanging) res.destroy();
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/** Lines of the SDK's published source that match `pattern`, as `file:line: text`. */
function quote(file: string, pattern: RegExp): string[] {
  return readFileSync(path.join(sdkRoot, file), "utf8")
    .split("\n")
    .flatMap((line, i) => (pattern.test(line) ? [`\`${file}:${i + 1}\`: \`${line.trim()}\``] : []));
}

const server = await startServer();
const theirs = () => new Prelude({ apiToken: "k", baseURL: server.origin, timeout: TIMEOUT });
const ours = () => createPreludeClient({ accessToken: "k", baseUrl: server.origin, timeout: TIMEOUT });
const rows: string[][] = [];
try {
  for (const [mode, what] of [
    ["503", "billed create, server answers 503"],
    ["hang", `billed create, server never answers (timeout ${TIMEOUT} ms)`],
    ["blocked", "create answered 200 `status: \"blocked\"`"],
  ] as const) {
    const official = await server.run(mode, () => theirs().verification.create({ target }));
    const otpkit = await server.run(mode, () => ours().createVerification({ target }));
    rows.push([what, `${official.requests} request(s), ${official.outcome}, ${fmt(official.ms)} ms`, `${otpkit.requests} request(s), ${otpkit.outcome}, ${fmt(otpkit.ms)} ms`]);
    console.log(`official-prelude: ${what}: official ${official.requests}, otpkit ${otpkit.requests}`);
  }
} finally {
  server.close();
}

const input = JSON.stringify({ target });
const officialBundle = await bundle(`import Prelude from "@prelude.so/sdk";\nnew Prelude({ apiToken: "k" }).verification.create(${input}).then(console.log);`, sdkRoot);
const otpkitBundle = await bundle(`import { createPreludeClient } from "@otpkit/prelude";\ncreatePreludeClient({ accessToken: "k" }).createVerification(${input}).then(console.log);`);
rows.push([
  "bundle of that create call (esbuild, minified ESM for the browser; gzip -9)",
  `${fmt(officialBundle.code.length)} B min, **${fmt(officialBundle.gzip)} B gzip**`,
  `${fmt(otpkitBundle.code.length)} B min, **${fmt(otpkitBundle.gzip)} B gzip**`,
]);

const source = [
  ...quote("src/index.ts", /maxRetries: options\.maxRetries|timeout: options\.timeout \?\?/),
  ...quote("src/core.ts", /maxRetries = 2,|timeout = 60000|response\.status === (408|409|429)\)|response\.status >= 500\)|if \(retriesRemaining\) \{|idempotencyHeader/),
  ...quote("src/resources/verification.ts", /this\._client\.post\('\/v2\/verification'|status: 'success' \| 'retry' \| 'blocked'/),
];

const markdown = `# @otpkit/prelude and Prelude's official TypeScript SDK

${provenance(environment(), `pnpm --filter @otpkit/bench official-prelude --sdk=${sdkDir}`, `Official SDK: \`@prelude.so/sdk@${sdkVersion}\` from npm (the newest published), installed with \`npm install --ignore-scripts\`.`)}

Both clients talk to the same loopback server, with their defaults except \`timeout: ${TIMEOUT}\`
(the official SDK's default is 60 000 ms; otpkit's is 10 000 ms per attempt and 30 000 ms per call). Each create sends the same body.

${table(["scenario", `@prelude.so/sdk ${sdkVersion}`, "@otpkit/prelude"], rows)}

What the official SDK's published source says (quoted from the installed package):

${source.map((line) => `- ${line}`).join("\n")}

\`src/index.ts\`, where the client subclass is configured, ${readFileSync(path.join(sdkRoot, "src/index.ts"), "utf8").includes("idempotencyHeader") ? "**sets** `idempotencyHeader`" : "never mentions `idempotencyHeader`"}.

Reading: every method, the billed \`verification.create\` included, goes through the same
\`makeRequest\`, which retries up to \`maxRetries\` (2) times on connection errors and timeouts and on
408, 409, 429 and any status ≥ 500; it sends no idempotency key (\`idempotencyHeader\` is never set).
So one create that meets a 5xx or a timeout reaches Prelude up to three times; by Prelude's
lifecycle docs, a repeat inside the verification window is a retry, which sends another message. The
published \`status\` type has three values (\`success\`, \`retry\`, \`blocked\`), and a \`blocked\`
verification resolves like a success: the caller must check \`status\` itself.
`;

if (args.includes("--no-write")) console.log(markdown);
else {
  const file = path.join(benchDir, "OFFICIAL-PRELUDE.md");
  writeFileSync(file, markdown);
  console.log(`official-prelude: wrote ${path.relative(process.cwd(), file)}`);
}
