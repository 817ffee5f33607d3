/** Test helper for the vendor packages' tests: the error a call fails with. */
import { expect } from "vitest";

/** The error `promise` rejects with, typed as the caller expects; the test fails if it resolves. */
export const failure = <E = Error>(promise: Promise<unknown>): Promise<E> =>
  promise.then(
    (value) => expect.fail(`expected an error, got ${JSON.stringify(value)}`),
    (error: unknown) => error as E,
  );
