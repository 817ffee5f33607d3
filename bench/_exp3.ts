import createClient from "openapi-fetch";
import { createSmscxClient, type paths } from "@otpkit/smscx";
const OTP = "7a1a4d6e-0b3c-4f5e-9d7c-3b2a1f0e9d8c";
const base = `http://127.0.0.1:9/smscx`;
const body = JSON.stringify({ data: { id: OTP, phoneNumber: "+14155550123", status: "PENDING", attempts: 0, ttl: 300, createdAt: "2026-01-01T00:00:00Z" } });
const stub = async (_i: unknown, _init?: unknown) => new Response(body, { status: 200, headers: { "content-type": "application/json", "x-request-id": "abc" } });
const H = { accept: "application/json", "X-API-KEY": "bench-api-key" };
const bare = createClient<paths>({ baseUrl: base, headers: H, fetch: stub as never });
const named = createSmscxClient({ apiKey: "bench-api-key", baseUrl: base, fetch: stub as never });
const unval = createSmscxClient({ apiKey: "bench-api-key", baseUrl: base, fetch: stub as never, validate: false });
const only = process.argv[2];
const variants: Record<string, () => Promise<unknown>> = {
  bare: () => bare.GET("/otp/{otpId}", { params: { path: { otpId: OTP } } }),
  named: () => named.getOtpStatus({ otpId: OTP }),
  unval: () => unval.getOtpStatus({ otpId: OTP }),
};
if (only) {
  const { Session } = await import("node:inspector/promises");
  const { writeFileSync } = await import("node:fs");
  for (let i = 0; i < 20000; i++) await variants[only]!();
  const s = new Session(); s.connect(); await s.post("Profiler.enable"); await s.post("Profiler.setSamplingInterval", { interval: 20 }); await s.post("Profiler.start");
  for (let i = 0; i < 100000; i++) await variants[only]!();
  const { profile } = await s.post("Profiler.stop");
  writeFileSync(`/tmp/prof/${only}.cpuprofile`, JSON.stringify(profile));
  process.exit(0);
}
for (const f of Object.values(variants)) for (let i = 0; i < 2000; i++) await f();
const res: Record<string, number[]> = {};
const names = Object.keys(variants);
for (let round = 0; round < 40; round++) {
  for (let k = 0; k < names.length; k++) {
    const n = names[(k + round) % names.length]!;
    const t = performance.now();
    for (let i = 0; i < 500; i++) await variants[n]!();
    (res[n] ??= []).push((performance.now() - t) * 2);
  }
}
for (const n of names) { const a = res[n]!.sort((x, y) => x - y); console.log(n, a[a.length >> 1]!.toFixed(2), "µs"); }
process.exit(0);
