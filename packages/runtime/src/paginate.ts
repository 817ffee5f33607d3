/**
 * Walks every page of a cursor-paginated list operation (`x-otpkit-pagination` in the spec), one
 * named-method call per page, and yields the items one by one. It is built on the client's public
 * `call`, so every page gets the same validation, credentials, retries, timeouts and typed errors
 * as a single call; nothing here knows a vendor.
 */
import { valueAt } from "./answer.js";
import type { VendorClient } from "./client.js";
import { ConfigurationError, ResponseParseError } from "./errors.js";
import { answered } from "./metadata.js";
import { describe } from "./messages.js";
import type { CallOptions, OperationSpec, ResponseMetadata } from "./types.js";

/**
 * Yields every item of every page of `operation`, in order, starting from `input` (whose cursor
 * field, when given, resumes at that page). Each page is one `call` with the same input and
 * options, the cursor field set to the previous page's next cursor; it stops after the page that
 * has none. Errors are the ones `call` throws, plus a `ResponseParseError` when a page has no
 * items array or hands back a cursor already used (which would loop forever).
 *
 * @param vendor - The vendor's name, for messages.
 * @param call - The client's `call` (from `createVendorClient`).
 * @param operation - An operation whose spec has `pagination`.
 * @param input - The flat input of the first page (filters, and optionally a cursor to resume from).
 * @param options - Call options for every page (timeout, deadline, retry, signal…); a deadline applies per page.
 */
export async function* paginate<Item = unknown>(
  vendor: string,
  call: VendorClient<{}>["call"],
  operation: OperationSpec,
  input?: object,
  options?: CallOptions,
): AsyncGenerator<Item, void, undefined> {
  const pagination = operation.pagination;
  if (!pagination) {
    throw new ConfigurationError(`${vendor} ${operation.id} is not a paginated operation (its spec has no x-otpkit-pagination): call it directly.`, { vendor, operationId: operation.id });
  }
  // A first page without a cursor passes the input as given, so `call` judges a bad input itself.
  let pageInput = input;
  const used = new Set<string>();
  for (;;) {
    const { data, metadata } = await call(operation, pageInput, options).withMetadata();
    const items = valueAt(data, pagination.items);
    if (!Array.isArray(items)) throw unusable(vendor, metadata, `the page has no items array at ${pagination.items} (got ${typeof items})`);
    yield* items as Item[];
    const next = valueAt(data, pagination.nextCursor);
    if (next === undefined || next === null || next === "") return;
    if (typeof next !== "string" && typeof next !== "number") throw unusable(vendor, metadata, `the next cursor at ${pagination.nextCursor} is not a string or a number (got ${typeof next})`);
    const cursor = String(next);
    const sent = (pageInput as Record<string, unknown> | undefined)?.[pagination.cursor];
    if (sent !== undefined) used.add(String(sent));
    if (used.has(cursor)) throw unusable(vendor, metadata, `the next cursor at ${pagination.nextCursor} names a page already fetched, so the pages would never end`);
    pageInput = { ...input, [pagination.cursor]: cursor };
  }
}

function unusable(vendor: string, metadata: ResponseMetadata, why: string): ResponseParseError {
  const fields = answered(metadata, vendor);
  return new ResponseParseError(`${describe(fields)}: HTTP ${metadata.status}, but ${why}. The items yielded so far are complete; the rest could not be listed.`, { ...fields, text: "" });
}
