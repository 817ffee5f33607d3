/**
 * otpkit's performance budgets, in one place. `pnpm bench` reports against them and `check-size`
 * (CI) fails when a bundle exceeds the size budget. Change a number here only by a decision of the
 * maintainers, recorded with the reason next to it; never to make a check pass.
 */

/**
 * The size budget, and the ceiling CI enforces (`pnpm size:check`): each vendor package as a
 * browser app uses it (create a client, call one method), bundled with esbuild (minified, ESM,
 * platform browser) and gzipped at level 9, with openapi-fetch and @otpkit/runtime included
 * (kB = 1000 bytes, as esbuild, bundlephobia and size-limit print it).
 *
 * Clients that retry weigh more: Octokit core with plugin-retry and plugin-throttling 17,141 B,
 * Speakeasy's Ding SDK for one function 21,687 B (anchors.md §2.1). Do not trade readability for
 * bytes to stay under this number; raise it by a recorded decision instead.
 *
 * History:
 * - 10,000 B, then 10,400 B on 2026-12-02, while the 6 kB budget below was not met. Correctness
 *   fixes added about 320 B gzip to the Ding bundle (9,821 → 10,144 B): `instanceof` that holds
 *   across the ESM and CommonJS builds, typed errors for wrong-kind inputs and options, the BCP-47
 *   format check, and `successStatus` in the operation table. Then the single body path (no second
 *   Response stream when no middleware is registered) added about 200 B more (10,344 B).
 * - Issue 18 made the ceiling the budget (about 10.4 kB per vendor client) and allowed its runtime
 *   rewrite 3 % over 10,297 / 10,389 / 9,997 B (SMS.cx / Ding / Equinix Metal), that is at most
 *   10,605 / 10,700 / 10,296 B. The rewrite for reading (one module per stage, named functions
 *   instead of one closure) with default time limits first came to 11,026 / 11,116 / 10,730 B
 *   (+7.0–7.3 %), and the ceiling was raised to 11,200 B pending a decision. A search for what
 *   could go without losing readability found no repeated code or message text (gzip already
 *   makes repeats nearly free): the growth is the structure itself, 35 more named functions and
 *   the objects passed between them (3,176 B more minified runtime, the same strings), plus
 *   `PlainRequest` (about 70 B), which pays for the time limits' per-call cost. Sharing one JSON
 *   pointer reader and sending a direct call's body as text brought it to 10,999 / 11,089 /
 *   10,700 B (+6.8 / +6.7 / +7.0 %), still over the 3 %: meeting it would mean folding the
 *   stages back into closures, which the same issue asked to undo. So the ceiling is 11,150 B,
 *   the largest of them plus room for small spec edits.
 * - Decided 2026-12-05 (issue 18): the structure stays and the 3 % gives way, by this file's own
 *   rule above (readability is not traded for bytes; the ceiling is raised by a recorded
 *   decision). Reading the answer as text took a few bytes off: 10,984 / 11,072 / 10,686 B
 *   (+6.7 / +6.6 / +6.9 % over the figures before the rewrite).
 * - Decided 2026-12-06 (issue 18): 11,300 B. The same issue's overhead budget (a named GET at most
 *   1.15× bare openapi-fetch on loopback) was not met: 1.18–1.29×. A named call that no middleware
 *   can see now builds its request with openapi-fetch's serializers and hands it straight to the
 *   transport instead of running openapi-fetch's request pipeline, which took the named GETs to
 *   1.08–1.11× in interleaved A/B runs, and to 1.05–1.11× in three `pnpm bench overhead` runs
 *   (RESULTS.md §1 has the last). That second path and a validator that allocates less cost about
 *   170 B gzip: 11,150 / 11,238 / 10,851 B. Bytes were not bought back
 *   by folding code together (this file's rule); the ceiling is the largest plus room for small
 *   spec edits, as before.
 */
export const BUNDLE_GZIP_CEILING = 11_300;

/**
 * Issue 9's bundle budget, 6 kB, retired by issue 18: openapi-fetch alone weighs 2,701 B, and with
 * the text of every message emptied and validation cut out the bundles still weighed 7,440–7,547 B
 * (RESULTS.md §2, 2026-12-02), so openapi-fetch plus the safety behaviour an OTP client must have
 * (a retry policy that never repeats a billed request, time limits, redirect refusal, typed errors,
 * secret scrubbing) cannot fit in it. Not enforced; `pnpm bench size` still shows how far the
 * design is from it.
 */
export const RETIRED_BUNDLE_GZIP_BUDGET = 6_000;

/**
 * Ceilings of vendors added after the one above was set, each at its first measured size, for the
 * same purpose: no growth nobody decided on.
 *
 * @otpkit/prelude (issue 19), measured 2026-12-03: 11,464 B gzip, 1,077 B more than Ding. Its spec
 * is larger: six operations with rich inputs (4,504 B of generated input schemas minified, Ding
 * 1,668 B; 883 B gzip if cut out) and a cursor-paginated list, whose walker (the runtime's
 * `paginate.ts`, 421 B gzip) the client carries for its `listPhoneVerificationsAll`. Cutting both
 * out would still leave it over 10,400 B, so meeting the general ceiling would mean dropping input
 * checks or pagination. On main before issue 18's runtime rewrite was merged it measured 11,464 B
 * (2026-12-05), so the rewrite's 3 % allows 11,808 B. Merged onto the rewrite it measured
 * 12,204 B (+6.5 %, the same growth as the other vendors), and 12,119 B (+5.7 %) after the
 * changes above; its ceiling is 12,200 B (the same room).
 *
 * Decided 2026-12-05 (issue 19's closing note): Prelude keeps a ceiling of its own, the general
 * ceiling plus 1,050 B, because its spec is larger (the inputs and the pagination above), not its
 * runtime: both move together, and the general ceiling's decision (issue 18) carries over to it.
 * On 2026-12-06 both rose by 150 B with the direct call path above (Prelude 12,264 B).
 */
export const BUNDLE_GZIP_CEILING_BY_VENDOR: Readonly<Record<string, number>> = { prelude: BUNDLE_GZIP_CEILING + 1_050 };

/** The ceiling `pnpm size:check` enforces for one vendor's bundle. */
export const ceilingOf = (vendor: string): number => BUNDLE_GZIP_CEILING_BY_VENDOR[vendor] ?? BUNDLE_GZIP_CEILING;

/**
 * Request overhead: a named method (with the defaults: retries, time limits, error mapping and
 * validation on) may take at most this many times the time per call of bare openapi-fetch against
 * the same loopback server.
 * Reported by `pnpm bench overhead`, not enforced in CI: shared machines are too noisy for a gate.
 *
 * Met since 2026-12-06 (issue 18): 1.05 / 1.05 / 1.06, 1.06 / 1.08 / 1.11 and 1.08 / 1.08 / 1.07
 * (SMS.cx / Ding / Equinix Metal) in three `pnpm bench overhead` runs on Node 20, load 1.7–7.9.
 * A named call that no middleware can see builds its request with openapi-fetch's serializers and
 * hands it straight to the transport (call.ts `sendDirect`); only a call that middleware may see
 * runs openapi-fetch's request pipeline. In interleaved A/B runs of two builds (600 rounds of 25
 * calls, the client's CPU time per call, ratios to bare openapi-fetch in each round) that took
 * Ding's GET from 1.215–1.27 to 1.11 and SMS.cx's from 1.19–1.28 to 1.11 on Node 20, and to
 * 1.10–1.12 (wall) on Node 22.23 and 24.21, from 1.15–1.26.
 *
 * Before that it was not met: 1.15–1.46 in six runs on 2026-12-05, then 1.18 / 1.29 / 1.15. What
 * the added time is made of, measured with A/B runs as above:
 * - openapi-fetch's request pipeline, which a call without middleware does not need: 4–8 points
 *   (its option handling, header merging, the Response it is handed back, reading it again).
 * - the default per-attempt time limit, about 7 points on Node 20: undici following the signal
 *   (setMaxListeners, a FinalizationRegistry entry and its cleanup, more garbage), Node 20's
 *   AbortController, and a timer set and cleared per attempt (2–3 of the points; one shared timer
 *   would save them, but module state shared by every client misbehaves in users' tests that
 *   switch between fake and real timers, so it was not done). The time limit stays: issue 18
 *   requires it.
 * - checking the input: about 3.5 points, 1–2 after the validator stopped allocating a list and a
 *   closure per value.
 * - Scrubbing the answer's headers of secrets measured no difference; reading the answer as text
 *   instead of an ArrayBuffer and a TextDecoder took about 10 µs off.
 * On loopback the runtime's code costs several times what the same code costs in an in-process loop
 * (RESULTS.md §1's second table), and the ratio moves with the machine: the same build measured
 * 1.15 and 1.33 in runs minutes apart, so compare builds only within one interleaved run.
 * Before issue 18, timings without a time limit measured 1.10 / 1.11 / 1.10.
 */
export const OVERHEAD_RATIO_BUDGET = 1.15;
