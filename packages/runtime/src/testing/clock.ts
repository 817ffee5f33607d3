/** Time for the mock: a clock tests move by hand, and a check that a reading is a real date. */
import type { MockClock, MockTimeSource } from "./types.js";

const toMs = (time: Date | number | string): number => (time instanceof Date ? time.getTime() : typeof time === "number" ? time : Date.parse(time));

/**
 * A clock that stands still until the test moves it, so expiry is testable without waiting.
 *
 * @param start - The starting time (a Date, epoch milliseconds or an ISO string). Default: now.
 * @example
 * ```ts
 * const clock = createMockClock("2024-05-09T12:09:31Z");
 * const mock = createSmscxMock({ clock });
 * clock.advance(181_000); // past a 180 s ttl
 * ```
 */
export function createMockClock(start: Date | number | string = Date.now()): MockClock {
  let ms = checked(toMs(start));
  return {
    now: () => new Date(ms),
    advance(by) {
      if (!Number.isFinite(by) || by < 0) throw new RangeError(`mock clock: advance() takes a number of milliseconds ≥ 0, got ${String(by)}.`);
      ms = checked(ms + by);
    },
    set(time) {
      ms = checked(toMs(time));
    },
  };
}

/**
 * The vendors write four-digit years (`2024-05-09 12:09:31`, `2024-05-09T12:09:31Z`), so a time
 * outside the years 1000 to 9999 could only produce an impossible date: refused, with the reason.
 */
function checked(ms: number): number {
  const year = Number.isFinite(ms) ? new Date(ms).getUTCFullYear() : NaN;
  if (!(year >= 1000 && year <= 9999)) {
    throw new RangeError(`mock clock: ${Number.isFinite(ms) ? new Date(ms).toISOString() : "an invalid time"} is outside the years 1000–9999 that the vendors' date formats can write.`);
  }
  return ms;
}

/** Reads a time source as a checked Date. */
export const readClock = (clock: MockTimeSource): Date => {
  const time = clock.now();
  return new Date(checked(typeof time === "number" ? time : time.getTime()));
};
