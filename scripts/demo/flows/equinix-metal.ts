/**
 * Equinix Metal: send an OTP by SMS to the API key's user, verify a wrong and then the right code,
 * read the recovery codes, regenerate them. Only @otpkit/equinix-metal's public API is used; in mock
 * mode each answer is one of the named examples of specs/equinix-metal.yaml.
 *
 * The method names are Equinix's operationIds: `receiveCodes` sends, `findEnsureOtp` verifies.
 */
import { ApiError, OutcomeError, ValidationError, createEquinixMetalClient, operationSpecs, type EquinixMetalClient } from "@otpkit/equinix-metal";
import { wrongCode, type Flow, type StepContext, type StepDef } from "../flow.ts";

interface State {
  sent?: true;
  code?: string;
  /** Kept only to compare with the regenerated set; recovery codes are secrets and never printed. */
  recoveryCodes?: readonly string[];
}

const step = <D>(def: StepDef<EquinixMetalClient, State, D>) => def;

async function askCode(context: StepContext<State>): Promise<string | undefined> {
  context.state.code ??= await context.askCode("Enter the code Equinix Metal sent by SMS", "123456");
  return context.state.code ? undefined : "no code was entered";
}

/** The path of a request URL: `/user/otp/verify/[REDACTED]`. */
const pathOf = (url: string): string => url.replace(/^[a-z]+:\/\/[^/]+/i, "");

export const equinixMetal: Flow<EquinixMetalClient, State> = {
  id: "equinix-metal",
  name: "Equinix Metal",
  packageName: "@otpkit/equinix-metal",
  errors: { ApiError, OutcomeError, ValidationError },
  live: {
    host: "api.equinix.com",
    env: [{ oneOf: ["METAL_AUTH_TOKEN"], what: "Equinix Metal user API key" }],
    usesPhone: false,
    baseUrlEnv: "METAL_BASE_URL",
  },
  mock: { env: { METAL_AUTH_TOKEN: "mock-auth-token" }, phone: "" },

  createClient: ({ env, baseUrl, fetch, timeout, deadline }) =>
    createEquinixMetalClient({ apiKey: env["METAL_AUTH_TOKEN"] ?? "", baseUrl, fetch, timeout, deadline }),
  initialState: () => ({}),

  steps: [
    step({
      op: "receiveCodes",
      send: (metal, { options }) => metal.receiveCodes(options),
      operation: operationSpecs.receiveCodes,
      costs: "Equinix sends an SMS with a code to the phone of the METAL_AUTH_TOKEN user",
      expected: "SMS sent: 204",
      expect: { resolves: 204 },
      save: (_, state) => void (state.sent = true),
      show: () => ["code sent to the user's phone", "no body"],
    }),
    step({
      op: "findEnsureOtp",
      send: (metal, { state, options }) => metal.findEnsureOtp({ otp: wrongCode(state.code!) }, options),
      operation: operationSpecs.findEnsureOtp,
      needs: ["sent"],
      expected: "wrong code → ApiError 400",
      mock: { prefer: "code=400, example=invalidOtp" },
      expect: { rejects: "ApiError", status: 400 },
      prepare: askCode,
    }),
    step({
      op: "findEnsureOtp",
      send: (metal, { state, options }) => metal.findEnsureOtp({ otp: state.code! }, options),
      operation: operationSpecs.findEnsureOtp,
      needs: ["sent"],
      expected: "right code → 204",
      expect: { resolves: 204 },
      prepare: askCode,
      // The OTP travels in the URL path; otpkit keeps it out of every URL it reports.
      show: (_, metadata) => ["code accepted", `${metadata.method} ${pathOf(metadata.url)}`],
    }),
    step({
      op: "findRecoveryCodes",
      send: (metal, { options }) => metal.findRecoveryCodes(options),
      operation: operationSpecs.findRecoveryCodes,
      expected: "the recovery codes",
      expect: { resolves: 200, check: (list) => (list.recovery_codes?.length ? undefined : "no recovery codes") },
      save: (list, state) => void (state.recoveryCodes = list.recovery_codes),
      show: (list) => [`${list.recovery_codes?.length ?? 0} recovery codes (secrets: not printed)`],
    }),
    step({
      op: "regenerateCodes",
      send: (metal, { options }) => metal.regenerateCodes(options),
      operation: operationSpecs.regenerateCodes,
      expected: "a new set of codes",
      mockOnly: "it would invalidate the recovery codes of your real account",
      expect: {
        resolves: 200,
        check: (list, state) =>
          !list.recovery_codes?.length
            ? "no recovery codes"
            : list.recovery_codes.some((code) => state.recoveryCodes?.includes(code))
              ? "some of the old codes are still there"
              : undefined,
      },
      show: (list) => [`${list.recovery_codes?.length ?? 0} new recovery codes, none of the old ones (not printed)`],
    }),
  ],
};
