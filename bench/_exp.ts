import { forkExampleServer } from "./lib/example-server.ts";
const server = await forkExampleServer();
const base = `${server.url}/smscx/otp/${"7a1a4d6e-0b3c-4f5e-9d7c-3b2a1f0e9d8c"}`;
const H = { accept: "application/json", "X-API-KEY": "bench-api-key" };
const variants: Record<string, () => Promise<unknown>> = {
  reqOnly: async () => { const r = await fetch(new Request(base, { headers: H })); return r.json(); },
  urlInit: async () => { const q = new Request(base, { headers: { accept: "application/json" } }); const h = new Headers(q.headers); h.set("X-API-KEY", "bench-api-key"); const r = await fetch(q.url, { method: q.method, headers: h, body: undefined, signal: undefined, redirect: "manual" }); return JSON.parse(new TextDecoder().decode(await r.arrayBuffer())); },
  reqInit: async () => { const q = new Request(base, { headers: { accept: "application/json" } }); q.headers.set("X-API-KEY", "bench-api-key"); const r = await fetch(q, { redirect: "manual" }); return JSON.parse(await r.text()); },
  reqSet: async () => { const q = new Request(base, { headers: { accept: "application/json" }, redirect: "manual" }); q.headers.set("X-API-KEY", "bench-api-key"); const r = await fetch(q); return JSON.parse(await r.text()); },
};
for (const f of Object.values(variants)) for (let i = 0; i < 500; i++) await f();
const res: Record<string, number[]> = {};
const names = Object.keys(variants);
for (let round = 0; round < 30; round++) {
  for (let k = 0; k < names.length; k++) {
    const n = names[(k + round) % names.length]!;
    const t = performance.now();
    for (let i = 0; i < 100; i++) await variants[n]!();
    (res[n] ??= []).push((performance.now() - t) * 10);
  }
}
for (const n of names) { const a = res[n]!.sort((x, y) => x - y); console.log(n, a[a.length >> 1]!.toFixed(1), "µs"); }
await server.stop(); process.exit(0);
