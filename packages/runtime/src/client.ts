/**
 * Creates a vendor client: the options become config (options.ts), the typed openapi-fetch client
 * is built on the transport, and named calls run through call.ts.
 */
import openapiFetch, { type Client, type Middleware } from "openapi-fetch";
import { callOperation } from "./call.js";
import { clientConfig } from "./options.js";
import { transport } from "./transport.js";
import type { ApiPromise, CallOptions, ClientOptions, Credentials, OperationSpec, VendorSpec } from "./types.js";

// In our CommonJS build, Node-style interop hands over openapi-fetch's whole CommonJS exports object
// (it marks itself `__esModule`, with the function on `.default`); the ESM build gets the function.
const createOpenApiClient: typeof openapiFetch =
  typeof openapiFetch === "function" ? openapiFetch : (openapiFetch as unknown as { default: typeof openapiFetch }).default;

/** What a vendor package builds its named methods on. */
export interface VendorClient<Paths extends {}> {
  /** The typed openapi-fetch client, with credentials, retries and timeouts applied. */
  readonly raw: Client<Paths>;
  /** Runs one operation with a flat input object (path, query, header and body fields together). */
  call(operation: OperationSpec, input?: object, options?: CallOptions): ApiPromise<unknown>;
}

/**
 * Creates the client a vendor package wraps. Every problem with the options is reported here, as a
 * `ConfigurationError`, rather than as a failed request later.
 */
export function createVendorClient<Paths extends {}, Options extends ClientOptions & Credentials = ClientOptions & Credentials>(
  vendor: VendorSpec,
  options: Options,
): VendorClient<Paths> {
  const config = clientConfig(vendor, options);
  const rawPlan = { settings: config.settings, secrets: config.secrets };
  const raw = createOpenApiClient<Paths>({
    baseUrl: config.baseUrl,
    headers: config.headers,
    // A fresh trace per raw request: its own attempts and deadline.
    fetch: (input: Request) => transport(config, rawPlan, { attempts: 0 })(input),
  });
  if (options.middleware) raw.use(...(options.middleware as Middleware[]));
  // Whether any middleware may see an answer: only then must the answer carry its body (Attempts.direct).
  let middlewareUsed = !!options.middleware?.length;
  const use = raw.use;
  raw.use = (...middleware) => {
    middlewareUsed ||= middleware.length > 0;
    use(...middleware);
  };
  const target = { config, raw: raw as Client<{}>, hasMiddleware: () => middlewareUsed };
  return { raw, call: (operation, input, callOptions) => callOperation(target, operation, input, callOptions) };
}
