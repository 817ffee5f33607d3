/**
 * Time limits: the signal one attempt runs under (the caller's signal, the call's deadline and the
 * attempt's timeout, whichever fires first, and which one it was), and the wait between attempts.
 */
import { now } from "./metadata.js";

export type StopReason = "abort" | "deadline" | "timeout";

/** The signal of one attempt, what stopped it, and `done()` to release its timer and listener. */
export interface TimeLimit {
  readonly signal: AbortSignal;
  reason(): StopReason | undefined;
  done(): void;
}

/** Starts one attempt's time limit: `timeout` ms from now, or the deadline (a `now()` time) if that comes first. */
export function timeLimit(caller: AbortSignal | undefined, timeout: number, deadlineAt: number): TimeLimit {
  const controller = new AbortController();
  let reason: StopReason | undefined;
  const stop = (why: StopReason) => {
    reason ??= why;
    controller.abort();
  };
  const onAbort = () => stop("abort");
  const left = deadlineAt - now();
  const timer = setTimeout(stop, Math.min(timeout, left), left <= timeout ? "deadline" : "timeout");
  if (caller?.aborted) onAbort();
  else caller?.addEventListener("abort", onAbort);
  return {
    signal: controller.signal,
    reason: () => reason,
    done() {
      clearTimeout(timer);
      caller?.removeEventListener("abort", onAbort);
    },
  };
}

/** Waits `ms`, or rejects with the signal's reason as soon as it fires. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
