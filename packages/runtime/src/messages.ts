/**
 * The parts every error message shares: which call it was, and why a call that may have reached the
 * server was not sent again. Messages are built where a failure is detected, from these.
 */
import type { RequestContext } from "./errors.js";
import type { OperationSpec } from "./types.js";

export const MAY_HAVE_ARRIVED = " The request may have reached the server.";

/** Names the call: `SMS.cx NewOtp (POST https://api.sms.cx/otp)`. */
export const describe = (c: RequestContext): string => `${c.vendor} ${c.operationId ? c.operationId + " " : ""}(${c.method} ${c.url})`;

/** Why a call that may have reached the server was not sent again (empty when it may be). */
export const notRepeated = (operation: OperationSpec | undefined, method: string): string =>
  (operation ? operation.idempotent : method === "GET")
    ? ""
    : ` Not retried: ${operation?.id ?? method} ${operation?.costsMoney ? "costs money" : "is not idempotent"}; check whether it took effect before repeating it.`;

/** ` Gave up after 3 attempts.`, when there was more than one. */
export const gaveUp = (attempts: number): string => (attempts > 1 ? ` Gave up after ${attempts} attempts.` : "");
