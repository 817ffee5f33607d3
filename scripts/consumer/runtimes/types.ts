/**
 * A row of the table: one runtime (or one TypeScript configuration) running every flow on a
 * consumer folder that one package manager installed.
 */
import type { FlowModule } from "../bundle.ts";
import type { HarnessConfig, HarnessResult } from "../harness/run.ts";
import type { InstallerId } from "../consumers.ts";

export interface RowContext {
  /** The consumer folder (installed by the row's installer). */
  readonly dir: string;
  readonly flows: readonly FlowModule[];
  readonly config: HarnessConfig;
  /** Executables of the pinned tools, by tool id, and Chromium's when installed. */
  readonly bins: Readonly<Record<string, string | undefined>>;
  /** A scratch folder of the row's own. */
  readonly temp: string;
}

/** What running a row gave. */
export type RowOutcome =
  | { readonly kind: "harness"; readonly result: HarnessResult; readonly imports: string }
  | { readonly kind: "typescript"; readonly errors: number; readonly output: string; readonly files: number }
  | { readonly kind: "skipped"; readonly reason: string }
  | { readonly kind: "failed"; readonly error: string };

export interface RowSpec {
  readonly id: string;
  /** The runtime column. */
  readonly label: string;
  readonly installer: InstallerId;
  /** How the runtime names itself must start with this (`Node v20.19.0`). */
  readonly runtime?: string;
  /**
   * What the client does with a billed call to a closed port there: `retried` where the runtime's
   * error proves the request never left, `not retried` where it cannot tell (runtime README).
   */
  readonly refused?: "retried" | "not retried";
  run(context: RowContext): Promise<RowOutcome>;
}
