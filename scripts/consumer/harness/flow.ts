/**
 * What a consumer flow is, and the two helpers flows use. A flow is consumer code: it runs
 * unchanged on every runtime (no Node built-in, no global but fetch), and it is type-checked
 * against the installed package under `nodenext` (ESM and CommonJS) and `bundler`.
 */

/** What the harness hands a flow. */
export interface FlowContext {
  /** The base URL of the Prism mock serving `specs/<spec>.yaml`. */
  mock(spec: string): string;
  /** A fetch that counts what it sends; give it to the client. */
  readonly fetch: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
  /** Requests sent through `fetch` so far. */
  requests(): number;
  /** Runs one step; it fails by throwing, and the flow stops there. */
  step(name: string, run: () => Promise<void>): Promise<void>;
}

/** How the harness makes the billed call on its own, to a port where nothing listens. */
export interface BilledCallOptions {
  readonly baseUrl: string;
  readonly fetch: FlowContext["fetch"];
  readonly retry: { readonly maxAttempts: number; readonly baseDelay: number; readonly maxDelay: number };
}

/** One package's flow. `M` is the package's module, as `import * as M from "<package>"` gives it. */
export interface Flow<M> {
  /** The npm package, installed and imported by this name. */
  readonly package: string;
  /** The specs (file names in specs/, without `.yaml`) whose mocks the flow calls. */
  readonly mocks: readonly string[];
  /** Input refused before sending, a billed call, a wrong code as a typed error, a right code. */
  run(module: M, t: FlowContext): Promise<void>;
  /** The flow's billed call, on a client made from `options`. */
  billed(module: M, options: BilledCallOptions): Promise<unknown>;
}

/** Throws `message` unless `condition` holds. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Resolves to the error `promise` rejects with; throws unless it is an instance of `type`. */
export async function rejects<E>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    if (error instanceof type) return error;
    throw new Error(`expected ${type.name}, got ${String(error instanceof Error ? `${error.name}: ${error.message}` : error)}`);
  }
  throw new Error(`expected ${type.name}, but the call resolved with ${JSON.stringify(value)?.slice(0, 200)}`);
}
