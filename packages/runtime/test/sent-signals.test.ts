/**
 * "May this request have reached the server?" for the errors each runtime's fetch throws. The
 * messages are the ones Deno 2.0.6 and 2.9.6, workerd and Chromium gave for a refused connection
 * and for a connection closed after the request was written (scripts/consumer runs the real
 * runtimes against a closed loopback port and checks the retry decision there).
 */
import { describe, expect, it } from "vitest";
import { mayHaveBeenSent } from "../src/retry.js";

const fetchFailed = (message: string) => new TypeError("fetch failed", { cause: new Error(message) });

describe("Deno (no error codes; hyper's stage is in the message)", () => {
  it("a refused connection never left", () => {
    // Deno 2.9: TypeError "fetch failed" whose cause says what happened.
    expect(mayHaveBeenSent(fetchFailed("error sending request for url (http://127.0.0.1:34411/x): client error (Connect): tcp connect error: Connection refused (os error 111)"))).toBe(false);
    // Deno 2.0: the TypeError itself says it.
    expect(
      mayHaveBeenSent(new TypeError("error sending request for url (http://127.0.0.1:36027/x): client error (Connect): tcp connect error: Connection refused (os error 111): Connection refused (os error 111)")),
    ).toBe(false);
  });

  it("a DNS failure never left", () => {
    expect(mayHaveBeenSent(fetchFailed("error sending request for url (http://nonexistent.invalid/x): client error (Connect): dns error: failed to lookup address information: Name or service not known"))).toBe(false);
  });

  it("a connection closed after the request was written may have reached the server", () => {
    expect(
      mayHaveBeenSent(fetchFailed("error sending request from 127.0.0.1:38480 for http://127.0.0.1:36951/x (127.0.0.1:36951): client error (SendRequest): connection closed before message completed")),
    ).toBe(true);
  });

  it("the words in a URL prove nothing (a URL cannot hold the space before the parenthesis)", () => {
    expect(mayHaveBeenSent(fetchFailed("error sending request for url (http://127.0.0.1/client%20error%20(Connect)): client error (SendRequest): connection reset"))).toBe(true);
  });
});

describe("runtimes whose errors do not say", () => {
  it("workerd: the same error for refused and for closed after sending", () => {
    expect(mayHaveBeenSent(Object.assign(new Error("Network connection lost."), { retryable: true }))).toBe(true);
  });

  it("Chromium: a bare Failed to fetch", () => {
    expect(mayHaveBeenSent(new TypeError("Failed to fetch"))).toBe(true);
  });

  it("an error code wins over any message", () => {
    const reset = Object.assign(new Error("client error (Connect)"), { code: "ECONNRESET" });
    expect(mayHaveBeenSent(new TypeError("fetch failed", { cause: reset }))).toBe(true);
  });
});
