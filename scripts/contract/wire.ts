/**
 * The wire side of the contract tests: a `fetch` that records what the SDK hands to it, a `fetch`
 * that drops the credentials (to provoke Prism's security check), and the snapshot text of a
 * request.
 *
 * What is recorded is exactly what the runtime passes to the `fetch` option
 * (`fetch(url: string, init: RequestInit)` with `init.headers` a Headers object and `init.body` an
 * ArrayBuffer): method, URL, every header, and the body bytes. Headers that undici adds below
 * fetch (host, content-length, connection) are not the SDK's choice and are not recorded.
 *
 * A snapshot must be deterministic and must never hold a secret:
 * - the URL's origin (Prism's port changes every run) is checked and dropped: only path and query
 *   are kept;
 * - every credential header of the spec's security schemes is masked, but only after checking that
 *   it carries exactly the configured credential (anything else is written out as a mismatch);
 * - the configured secret is then masked wherever else it might appear (URL, body, other headers);
 * - the body is written as sent (no pretty-printing), so a change in serialisation shows too.
 */

export type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

export interface WireRequest {
  readonly method: string;
  /** Absolute URL as requested. */
  readonly url: string;
  /** Lower-case names, sorted, as Headers iterates them. */
  readonly headers: readonly (readonly [string, string])[];
  /** The body as UTF-8 text; undefined when none was sent. */
  readonly body: string | undefined;
}

export interface Recorder {
  /** Pass as the client's `fetch` option. */
  readonly fetch: FetchLike;
  /** Every request seen, in order. */
  readonly requests: WireRequest[];
}

function bodyText(body: BodyInit | null | undefined): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return body;
  if (body instanceof ArrayBuffer) return new TextDecoder().decode(body);
  if (ArrayBuffer.isView(body)) return new TextDecoder().decode(body);
  if (body instanceof URLSearchParams) return body.toString();
  return `[a ${Object.prototype.toString.call(body)} body the recorder cannot show]`;
}

/** A fetch that records each request, then hands it to `next` (the global fetch by default). */
export function createRecorder(next: FetchLike = (input, init) => fetch(input, init)): Recorder {
  const requests: WireRequest[] = [];
  const recording: FetchLike = (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const headers = new Headers(init?.headers ?? request?.headers);
    requests.push({
      method: (init?.method ?? request?.method ?? "GET").toUpperCase(),
      url: request ? request.url : String(input),
      headers: [...headers.entries()],
      body: bodyText(init?.body),
    });
    return next(input, init);
  };
  return { fetch: recording, requests };
}

/** A fetch that removes the named headers (credentials) before handing the request on. */
export function withoutHeaders(names: readonly string[], next: FetchLike): FetchLike {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    for (const name of names) headers.delete(name);
    return next(input, { ...init, headers });
  };
}

export interface MaskRule {
  /** Lower-case header name. */
  readonly header: string;
  /** The exact value the header must carry (`Bearer <token>` or the key). */
  readonly expected: string;
  /** What to show instead (`Bearer [masked]`). */
  readonly shown: string;
}

export const MASK = "[masked]";

/**
 * The request as a reviewable text: request line with path and query, sorted headers with the
 * credentials masked, a blank line, and the body (or `(no body)`).
 */
export function formatRequest(request: WireRequest, origin: string, masks: readonly MaskRule[], secrets: readonly string[]): string {
  const url = new URL(request.url);
  const target = url.origin === origin ? url.pathname + url.search : `${url.href} (NOT the configured base URL ${origin})`;
  const lines = [`${request.method} ${target}`];
  for (const [name, value] of request.headers) {
    const rule = masks.find((m) => m.header === name);
    lines.push(`${name}: ${rule ? (value === rule.expected ? rule.shown : `${MASK} (NOT the configured credential)`) : value}`);
  }
  lines.push("", request.body === undefined ? "(no body)" : request.body);
  let text = lines.join("\n") + "\n";
  for (const secret of secrets) if (secret) text = text.split(secret).join(MASK);
  return text;
}
