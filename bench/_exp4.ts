import { forkExampleServer } from "./lib/example-server.ts";
import createClient from "openapi-fetch";
import { createSmscxClient, type paths } from "@otpkit/smscx";
const server = await forkExampleServer();
const OTP = "7a1a4d6e-0b3c-4f5e-9d7c-3b2a1f0e9d8c";
const base = `${server.url}/smscx`;
const H = { accept: "application/json", "X-API-KEY": "bench-api-key" };
type F = (r: Request) => Promise<Response>;
const mk = (fetch?: F) => createClient<paths>({ baseUrl: base, headers: H, fetch: fetch as never });
const v1: F = (r) => fetch(r.url, { method: r.method, headers: new Headers(r.headers) });
const v2: F = (r) => fetch(r.url, { method: r.method, headers: new Headers(r.headers), redirect: "manual" });
const v3: F = async (r) => { const x = await fetch(r.url, { method: r.method, headers: new Headers(r.headers), redirect: "manual" }); const b = await x.arrayBuffer(); return new Response(b, { status: x.status, headers: x.headers }); };
const v4: F = async (r) => { const x = await fetch(r.url, { method: r.method, headers: new Headers(r.headers), redirect: "manual" }); await x.arrayBuffer(); return new Response(null, { status: x.status, headers: x.headers }); };
const v5: F = async (r) => { const x = await fetch(r.url, { method: r.method, headers: new Headers(r.headers), redirect: "manual" }); const t = await x.text(); return new Response(t, { status: x.status, headers: x.headers }); };
const v6: F = async (r) => { const x = await fetch(r.url, { method: r.method, headers: new Headers(r.headers), redirect: "manual" }); const b = await x.arrayBuffer(); return new Response(b, { status: x.status }); };
const c4 = mk(v4), c5 = mk(v5), c6 = mk(v6);
const v7: F = (r) => { const h = new Headers(r.headers); h.set("user-agent", "otpkit-smscx/0.1.0"); return fetch(r.url, { method: r.method, headers: h, redirect: "manual" }); };
const v8: F = (r) => fetch(r.url, { method: r.method, headers: new Headers(r.headers), redirect: "manual", body: undefined, signal: undefined });
const c7 = mk(v7), c8 = mk(v8);
const unval = createSmscxClient({ apiKey: "bench-api-key", baseUrl: base, validate: false });
const withFetch = createSmscxClient({ apiKey: "bench-api-key", baseUrl: base, fetch: globalThis.fetch });
const c0 = mk(), c1 = mk(v1), c2 = mk(v2), c3 = mk(v3);
const named = createSmscxClient({ apiKey: "bench-api-key", baseUrl: base });
const g = (c: ReturnType<typeof mk>, parseAs: "json" | "text" = "json") => () => c.GET("/otp/{otpId}", { params: { path: { otpId: OTP } }, parseAs } as never);
const variants: Record<string, () => Promise<unknown>> = { bare: g(c0), v2: g(c2), unval: () => unval.getOtpStatus({ otpId: OTP }), withFetch: () => withFetch.getOtpStatus({ otpId: OTP }), named: () => named.getOtpStatus({ otpId: OTP }) };
for (const f of Object.values(variants)) for (let i = 0; i < 500; i++) await f();
const res: Record<string, number[]> = {};
const names = Object.keys(variants);
for (let round = 0; round < 50; round++) {
  for (let k = 0; k < names.length; k++) {
    const n = names[(k + round) % names.length]!;
    const t = performance.now();
    for (let i = 0; i < 100; i++) await variants[n]!();
    (res[n] ??= []).push((performance.now() - t) * 10);
  }
}
for (const n of names) { const a = res[n]!.sort((x, y) => x - y); console.log(n, a[a.length >> 1]!.toFixed(1), "µs"); }
await server.stop(); process.exit(0);
