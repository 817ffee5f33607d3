/**
 * What a vendor flow is: data (the steps, what each one expects) plus the small functions that make
 * the calls. The flows in ./flows use only the vendor packages' public API; the runner (run.ts)
 * decides nothing vendor-specific.
 */
// The three vendor packages re-export the same @otpkit/runtime types and classes, so the generic
// code names them through one of them.
import type { ApiError, ApiPromise, CallOptions, OutcomeError, ResponseMetadata, ValidationError } from "@otpkit/smscx";

export type Mode = "mock" | "live";
export type Env = Readonly<Record<string, string | undefined>>;

/** The error classes a flow's package exports (the same runtime classes for every vendor). */
export interface ErrorClasses {
  readonly ApiError: abstract new (...args: never[]) => ApiError;
  readonly OutcomeError: abstract new (...args: never[]) => OutcomeError;
  readonly ValidationError: abstract new (...args: never[]) => ValidationError;
}

/** What a step must do for the demo to call it "ok". */
export type Expectation<D, S = unknown> =
  /** Resolve with this HTTP status; `check` names anything else that is wrong with the result. */
  | { readonly resolves: number; check?(data: D, state: S): string | undefined }
  /** Throw an ApiError with this status (and code / type, when given). */
  | { readonly rejects: "ApiError"; readonly status: number; readonly code?: number | string; readonly type?: string }
  /** Throw an OutcomeError: a 2xx answer whose body says the operation did not happen. */
  | { readonly rejects: "OutcomeError"; readonly outcome: string }
  /** Throw a ValidationError about this input path, before any request is sent. */
  | { readonly rejects: "ValidationError"; readonly path: string };

/** What a step gets to make its call. */
export interface StepContext<S> {
  readonly mode: Mode;
  /** Values carried from step to step (an otpId, the code the user received). */
  readonly state: S;
  /** The number to send codes to: the spec's example number in mock mode, OTPKIT_DEMO_PHONE live. */
  readonly phone: string;
  /** Per-call options: the run's AbortSignal, retry logging and, in mock mode, the Prism Prefer header. */
  readonly options: CallOptions;
  /**
   * The code the user received: the spec's example in mock mode; with --live, asked on the
   * terminal. `undefined` when none was entered.
   */
  askCode(question: string, example: string): Promise<string | undefined>;
}

export interface StepDef<C, S, D> {
  /** The method called, as a user of the package writes it. */
  readonly op: string;
  /** The package's `operationSpecs` entry for the call: the spec says whether it costs money. */
  readonly operation?: { readonly id: string; readonly costsMoney: boolean };
  /** What happens in live mode when the step costs money, for the y/N question. */
  readonly costs?: string;
  /** The expectation, in a few words: "wrong PIN → ApiError 2029". */
  readonly expected: string;
  readonly expect: Expectation<D, S>;
  /** With --live, accepted as well: what a real server may also answer here. */
  readonly liveAlso?: Expectation<D, S>;
  /** Skipped with --live, for this reason (mock-only demonstrations, destructive calls). */
  readonly mockOnly?: string;
  /** State keys an earlier step must have set, or this step is skipped. */
  readonly needs?: readonly (keyof S & string)[];
  /** Mock mode only: which of the spec's named examples Prism answers with. */
  readonly mock?: {
    /** `Prefer` header of the call, e.g. `code=400, example=wrongPin`. */
    readonly prefer?: string;
    /** `Prefer` header of the first attempt only, to show a retry (e.g. `code=429`). */
    readonly preferFirstAttempt?: string;
    /** The expectation text in mock mode, when it differs. */
    readonly expected?: string;
  };
  /** Runs before the step is timed (asks for a code); returns a reason to skip the step, if any. */
  prepare?(context: StepContext<S>): Promise<string | undefined>;
  send(client: C, context: StepContext<S>): ApiPromise<D>;
  /** Keeps what later steps need. */
  save?(data: D, state: S): void;
  /** The key fields of a successful result. */
  show?(data: D, metadata: ResponseMetadata): readonly (string | false | undefined)[];
}

/**
 * A step with its result type erased, so one flow can list steps of different operations. (The
 * methods above are declared as methods, so a `StepDef<C, S, D>` is assignable to this.)
 */
export type Step<C, S> = StepDef<C, S, unknown>;

/** How a flow's client is made: base URL (Prism's, or an override) and the runner's fetch. */
export interface ClientSetup {
  readonly env: Env;
  readonly baseUrl: string | undefined;
  readonly fetch: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
  readonly timeout: number;
  readonly deadline: number;
}

/** An environment variable (or one of a few alternatives) that --live needs. */
export interface EnvNeed {
  /** Exactly one of these must be set. */
  readonly oneOf: readonly string[];
  readonly what: string;
}

export interface Flow<C, S> {
  /** Name on the command line and of the spec file: `smscx`. */
  readonly id: VendorId;
  /** Display name: `SMS.cx`. */
  readonly name: string;
  readonly packageName: string;
  readonly errors: ErrorClasses;
  readonly live: {
    /** Where the real API lives, for the banner. */
    readonly host: string;
    /** Credentials and settings from the environment; values are never printed. */
    readonly env: readonly EnvNeed[];
    /** Whether codes go to OTPKIT_DEMO_PHONE (Equinix sends to the account's own phone). */
    readonly usesPhone: boolean;
    /** Optional environment variable with another base URL (https, or loopback). */
    readonly baseUrlEnv: string;
  };
  readonly mock: {
    /** Stand-in credentials: Prism checks that a key is present, never its value. */
    readonly env: Env;
    /** The spec's example phone number. */
    readonly phone: string;
  };
  createClient(setup: ClientSetup): C;
  initialState(): S;
  readonly steps: readonly Step<C, S>[];
}

export const vendorIds = ["smscx", "ding", "equinix-metal", "prelude"] as const;
export type VendorId = (typeof vendorIds)[number];

// Each flow has its own client and state types; the runner is generic over both, so the list of
// flows forgets them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFlow = Flow<any, any>;

/** A wrong code that is certainly not `code`: its last character changed. */
export function wrongCode(code: string): string {
  const last = code.slice(-1);
  const next = /\d/.test(last) ? String((Number(last) + 1) % 10) : last === "A" ? "B" : "A";
  return code.slice(0, -1) + next;
}

/** The start of a long identifier: `a17fb13d…`. */
export const short = (id: string | null | undefined): string => (id ? (id.length > 12 ? `${id.slice(0, 8)}…` : id) : "–");
