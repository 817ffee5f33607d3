import { forkExampleServer } from "./lib/example-server.ts";
import createClient from "openapi-fetch";
import { createSmscxClient, type paths } from "@otpkit/smscx";
const server = await forkExampleServer();
const OTP = "7a1a4d6e-0b3c-4f5e-9d7c-3b2a1f0e9d8c";
const base = `${server.url}/smscx`;
const H = { accept: "application/json", "X-API-KEY": "bench-api-key" };
const bare = createClient<paths>({ baseUrl: base, headers: H });
const bareUA = createClient<paths>({ baseUrl: base, headers: { ...H, "user-agent": "otpkit-smscx/0.1.0" } });
const named = createSmscxClient({ apiKey: "bench-api-key", baseUrl: base });
const only = process.argv[2];
const variants: Record<string, () => Promise<unknown>> = {
  bare: () => bare.GET("/otp/{otpId}", { params: { path: { otpId: OTP } } }),
  named: () => named.getOtpStatus({ otpId: OTP }),
  bareUA: () => bareUA.GET("/otp/{otpId}", { params: { path: { otpId: OTP } } }),
};
if (only) { for (let i = 0; i < 300; i++) await variants[only]!(); await server.stop(); process.exit(0); }
for (const f of Object.values(variants)) for (let i = 0; i < 500; i++) await f();
const res: Record<string, number[]> = {};
const names = Object.keys(variants);
for (let round = 0; round < 40; round++) {
  for (let k = 0; k < names.length; k++) {
    const n = names[(k + round) % names.length]!;
    const t = performance.now();
    for (let i = 0; i < 100; i++) await variants[n]!();
    (res[n] ??= []).push((performance.now() - t) * 10);
  }
}
for (const n of names) { const a = res[n]!.sort((x, y) => x - y); console.log(n, a[a.length >> 1]!.toFixed(1), "µs"); }
await server.stop(); process.exit(0);
