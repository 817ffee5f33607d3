/**
 * Requests a "hang" fault holds without an answer. Each ends when its request's signal aborts (the
 * client's timeout, deadline or cancel), or when the mock is reset: a reset also ends the requests
 * that arrived before it and have not started hanging yet.
 */
export interface Hangs {
  /** The reset generation now: a request remembers the one it arrived in. */
  generation(): number;
  /** No answer until `signal` aborts or the mock is reset; rejects with the reason. */
  hold(signal: AbortSignal, born: number): Promise<never>;
  /** Ends every held request, and any that arrived before now. */
  reset(): void;
}

const wasReset = () => new DOMException("The mock was reset.", "AbortError");

export function createHangs(): Hangs {
  const held = new Set<(reason: unknown) => void>();
  let generation = 0;
  return {
    generation: () => generation,
    hold: (signal, born) =>
      new Promise<never>((_, reject) => {
        const stop = (reason: unknown) => {
          held.delete(stop);
          reject(reason);
        };
        held.add(stop);
        if (born !== generation) stop(wasReset());
        if (signal.aborted) stop(signal.reason);
        signal.addEventListener("abort", () => stop(signal.reason), { once: true });
      }),
    reset() {
      generation++;
      for (const stop of [...held]) stop(wasReset());
    },
  };
}
