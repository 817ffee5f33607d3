/**
 * Requests a "hang" fault holds without an answer. Each ends when its request's signal aborts (the
 * client's timeout, deadline or cancel), or when the mock is reset: a reset also ends the requests
 * that arrived before it and have not started hanging yet. Either way the answer is a network error
 * (`Response.error()`), never a rejection: msw and other routers treat a handler that throws as a
 * bug, while a request that was given up on simply gets no usable answer.
 */
export interface Hangs {
  /** The reset generation now: a request remembers the one it arrived in. */
  generation(): number;
  /** No answer until `signal` aborts or the mock is reset; then a network error. */
  hold(signal: AbortSignal, born: number): Promise<Response>;
  /** Ends every held request, and any that arrived before now. */
  reset(): void;
}

export function createHangs(): Hangs {
  const held = new Set<() => void>();
  let generation = 0;
  return {
    generation: () => generation,
    hold: (signal, born) =>
      new Promise<Response>((resolve) => {
        const stop = () => {
          held.delete(stop);
          resolve(Response.error());
        };
        held.add(stop);
        if (born !== generation || signal.aborted) stop();
        signal.addEventListener("abort", stop, { once: true });
      }),
    reset() {
      generation++;
      for (const stop of [...held]) stop();
    },
  };
}
