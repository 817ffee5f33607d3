/**
 * SMS.cx's `dateCreated` and `dateExpires` are plain strings with a pattern (SMS.cx writes
 * `YYYY-MM-DD HH:MM:SS`, its SDKs declare RFC 3339). The pattern once admitted impossible dates, and
 * Prism's dynamic mode generated them (`5091-31-17 68:98:58Z`), which a client that parses dates
 * rejects. Now:
 * - the pattern admits exactly the real dates and times: every month, day, leap day, hour, minute,
 *   second and offset is tried on both sides of its limits;
 * - Prism's dynamic mode, asked many times, generates only real ones;
 * - the in-process mock writes only real ones, whatever its clock says.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSmscxClient } from "@otpkit/smscx";
import { createMockClock, createSmscxMock } from "@otpkit/smscx/testing";
import { deref, isObject, loadSpec, type JsonObject } from "../lib/specs.ts";
import { specPath } from "../prism/index.ts";
import { acquirePrism, type PrismHandle } from "../prism/shared.ts";

const doc = loadSpec(specPath("smscx"));
const schemas = (isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : {}) as Record<string, JsonObject>;
const patterns = ["NewOtpResponse", "DataOtp"].flatMap((name) => ["dateCreated", "dateExpires"].map((field) => String(deref<JsonObject>(doc, (schemas[name]!.properties as JsonObject)[field])!.pattern)));
const pattern = RegExp(patterns[0]!, "u");

/** Whether a `YYYY-MM-DD[ T]HH:MM:SS[.frac][Z|±HH:MM]` string names a moment that exists. */
function real(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-](\d{2}):(\d{2}))?$/.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year);
  const offsetOk = !m[8] || (Number(m[8]) < 24 && Number(m[9]) < 60);
  return year >= 1000 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second && offsetOk;
}

const two = (n: number) => String(n).padStart(2, "0");

describe("SMS.cx dates: only real ones", () => {
  test("the four date fields share one pattern", () => {
    expect(new Set(patterns).size).toBe(1);
  });

  test("it admits a date exactly when the date exists (months, days, leap years, both forms)", () => {
    const wrong: string[] = [];
    for (const year of ["0999", "1000", "1900", "2000", "2023", "2024", "2100", "2400", "9999"]) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          for (const text of [`${year}-${two(month)}-${two(day)} 12:00:00`, `${year}-${two(month)}-${two(day)}T12:00:00Z`]) {
            if (pattern.test(text) !== real(text)) wrong.push(text);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  test("it admits a time exactly when the time exists (hours, minutes, seconds, offsets, fractions)", () => {
    const wrong: string[] = [];
    for (let h = 0; h <= 24; h++) for (const m of [0, 59, 60]) for (const s of [0, 59, 60]) {
      for (const text of [`2024-05-09 ${two(h)}:${two(m)}:${two(s)}`, `2024-05-09T${two(h)}:${two(m)}:${two(s)}.123+${two(h)}:${two(m)}`]) {
        if (pattern.test(text) !== real(text)) wrong.push(text);
      }
    }
    expect(wrong).toEqual([]);
    expect(["2024-05-09 12:09:31", "2024-05-09T12:09:31Z", "2024-05-09T12:09:31.5-03:30"].every((t) => pattern.test(t))).toBe(true);
    expect(["2024-05-09 12:09:31Z", "2024-05-09T12:09:31", "2024-05-09T12:09:31+0000", "5091-31-17 68:98:58Z"].some((t) => pattern.test(t))).toBe(false);
  });
});

describe("SMS.cx dates from Prism's dynamic mode", () => {
  // Dynamic mode is asked for per request (`Prefer: dynamic=true`), so under `pnpm test` this is
  // the test run's shared server (scripts/prism/shared.ts); on its own, this file's, stopped and
  // checked for orphans in afterAll.
  let prism: PrismHandle;
  beforeAll(async () => {
    prism = await acquirePrism("smscx", { owners: [process.ppid] });
  }, 120_000);
  afterAll(async () => {
    await prism?.release();
  });

  test("400 generated OTPs (NewOtp and GetOtpStatus) carry only real dates, in both forms", async () => {
    const seen: string[] = [];
    const headers = { "x-api-key": "k", prefer: "dynamic=true", "content-type": "application/json" };
    for (let i = 0; i < 100; i++) {
      for (const [method, path, body] of [["POST", "/otp", '{"phoneNumber":"+33612246400"}'], ["GET", "/otp/a17fb13d-f4ac-4d93-9439-ef41ab8de390", undefined]] as const) {
        const response = await fetch(prism.url + path, { method, headers, body });
        const otp = (await response.json()) as { dateCreated: string; dateExpires: string };
        seen.push(otp.dateCreated, otp.dateExpires);
      }
    }
    expect(seen).toHaveLength(400);
    expect(seen.filter((date) => !real(date) || !pattern.test(date))).toEqual([]);
    expect(seen.some((date) => date.includes(" ")) && seen.some((date) => date.includes("T"))).toBe(true);
  }, 120_000);
});

test("the mock writes only real dates in SMS.cx's form, whatever its clock reads", async () => {
  const clock = createMockClock();
  const mock = createSmscxMock({ clock });
  const smscx = createSmscxClient({ apiKey: "k", fetch: mock.fetch });
  const wrong: string[] = [];
  for (let i = 0; i < 200; i++) {
    // Anywhere from 1000-01-01 to 9999-12-31, minus the largest ttl.
    const at = Date.UTC(1000, 0, 1) + Math.floor(Math.random() * (Date.UTC(9999, 11, 31) - Date.UTC(1000, 0, 1)));
    clock.set(at);
    const otp = await smscx.newOtp({ phoneNumber: "+33612246400", ttl: 1800 });
    for (const date of [otp.dateCreated, otp.dateExpires]) if (!pattern.test(date) || !real(date) || date.includes("T")) wrong.push(date);
    if (Date.parse(otp.dateCreated.replace(" ", "T") + "Z") !== Math.floor(at / 1000) * 1000) wrong.push(`${otp.dateCreated} for ${new Date(at).toISOString()}`);
  }
  expect(wrong).toEqual([]);
});
