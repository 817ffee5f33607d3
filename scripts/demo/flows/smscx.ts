/**
 * SMS.cx: send an OTP, read its status, verify a wrong PIN and then the right one, see that the
 * verified OTP can no longer be cancelled; then send a second OTP and cancel it while it is still
 * pending. Only @otpkit/smscx's public API is used; in mock mode each answer is one of the named
 * examples of specs/smscx.yaml, picked with Prism's Prefer header: the first OTP is the examples'
 * `created` OTP, the second their `createdWithDefaults` one (its own otpId).
 */
import { ApiError, OutcomeError, ValidationError, createSmscxClient, operationSpecs, type NewOtpResult, type SmscxClient } from "@otpkit/smscx";
import { plural } from "../style.ts";
import { short, wrongCode, type Flow, type StepContext, type StepDef } from "../flow.ts";

interface State {
  otpId?: string;
  pin?: string;
  verified?: true;
  /** The second OTP, sent to be cancelled while still pending. */
  secondOtpId?: string;
}

const step = <D>(def: StepDef<SmscxClient, State, D>) => def;

/** The key fields of a new OTP. */
const showNewOtp = (otp: NewOtpResult) => [
  `otpId ${short(otp.otpId)}`,
  `status ${otp.status}`,
  `cost ${otp.cost} (${plural(otp.parts, "part")})`,
  `up to ${otp.maxAttempts} attempts`,
  `expires ${otp.dateExpires}`,
];

/** The PIN the user received: asked once with --live (the spec's example PIN in mock mode). */
async function askPin(context: StepContext<State>): Promise<string | undefined> {
  context.state.pin ??= await context.askCode("Enter the PIN SMS.cx sent by SMS", "1544");
  return context.state.pin ? undefined : "no PIN was entered";
}

export const smscx: Flow<SmscxClient, State> = {
  id: "smscx",
  name: "SMS.cx",
  packageName: "@otpkit/smscx",
  errors: { ApiError, OutcomeError, ValidationError },
  live: {
    host: "api.sms.cx",
    env: [
      { oneOf: ["SMSCX_API_KEY", "SMSCX_ACCESS_TOKEN"], what: "SMS.cx API key or access token" },
      { oneOf: ["OTPKIT_DEMO_PHONE"], what: "the phone number that receives the PIN" },
    ],
    usesPhone: true,
    baseUrlEnv: "SMSCX_BASE_URL",
  },
  mock: { env: { SMSCX_API_KEY: "mock-api-key" }, phone: "+33612246400" },

  createClient: ({ env, baseUrl, fetch, timeout, deadline }) =>
    createSmscxClient({
      ...(env["SMSCX_ACCESS_TOKEN"] ? { accessToken: env["SMSCX_ACCESS_TOKEN"] } : { apiKey: env["SMSCX_API_KEY"] ?? "" }),
      baseUrl,
      fetch,
      timeout,
      deadline,
    }),
  initialState: () => ({}),

  steps: [
    step({
      op: "newOtp",
      send: (smscx, { phone, options }) => smscx.newOtp({ phoneNumber: phone, ttl: 5000 }, options),
      expected: "ttl 5000 → ValidationError",
      expect: { rejects: "ValidationError", path: "body.ttl" },
      // The spec allows 60-1800 seconds: the client refuses before anything is sent (or billed).
    }),
    step({
      op: "newOtp",
      send: (smscx, { phone, options }) => smscx.newOtp({ phoneNumber: phone, ttl: 180, maxAttempts: 4 }, options),
      operation: operationSpecs.NewOtp,
      costs: "SMS.cx sends an SMS with a PIN and bills it",
      expected: "201, OTP PENDING",
      // The spec's example of an OTP created with ttl 180 and 4 attempts, like this call: the OTP
      // whose life the later steps' examples (status, verify, cancel) follow.
      mock: { prefer: "example=created" },
      expect: { resolves: 201, check: (otp) => (otp.status === "PENDING" ? undefined : `status is ${otp.status}, not PENDING`) },
      save: (otp, state) => void (state.otpId = otp.otpId),
      show: showNewOtp,
    }),
    step({
      op: "getOtpStatus",
      send: (smscx, { state, options }) => smscx.getOtpStatus({ otpId: state.otpId! }, options),
      operation: operationSpecs.GetOtpStatus,
      needs: ["otpId"],
      expected: "PENDING",
      // Prism answers the first attempt 500: a GET is safe to repeat, so the client backs off and
      // tries again (newOtp, which is billed, never is).
      mock: { preferFirstAttempt: "code=500", expected: "500, retried → PENDING" },
      expect: { resolves: 200, check: (otp) => (otp.status === "PENDING" ? undefined : `status is ${otp.status}, not PENDING`) },
      show: (otp) => [`status ${otp.status}`, `${otp.attempts} of ${otp.maxAttempts} attempts used`],
    }),
    step({
      op: "verifyPin",
      send: (smscx, { state, options }) => smscx.verifyPin({ otpId: state.otpId!, pin: wrongCode(state.pin!) }, options),
      operation: operationSpecs.VerifyPin,
      needs: ["otpId"],
      expected: "wrong PIN → ApiError 2029",
      mock: { prefer: "code=400, example=wrongPin" },
      expect: { rejects: "ApiError", status: 400, code: 2029, type: "invalid_pin" },
      prepare: askPin,
    }),
    step({
      op: "verifyPin",
      send: (smscx, { state, options }) => smscx.verifyPin({ otpId: state.otpId!, pin: state.pin! }, options),
      operation: operationSpecs.VerifyPin,
      needs: ["otpId"],
      expected: "right PIN → VERIFIED",
      expect: { resolves: 200, check: (result) => (result.status === "VERIFIED" ? undefined : `status is ${result.status}`) },
      prepare: askPin,
      save: (_, state) => void (state.verified = true),
      show: (result) => [`status ${result.status}`, "the user is verified"],
    }),
    step({
      op: "getOtpStatus",
      send: (smscx, { state, options }) => smscx.getOtpStatus({ otpId: state.otpId! }, options),
      operation: operationSpecs.GetOtpStatus,
      needs: ["otpId", "verified"],
      expected: "VERIFIED, 1 failed attempt",
      mock: { prefer: "example=verified" },
      expect: {
        resolves: 200,
        check: (otp) => (otp.status !== "VERIFIED" ? `status is ${otp.status}, not VERIFIED` : otp.attempts < 1 ? "the wrong PIN was not counted" : undefined),
      },
      show: (otp) => [`status ${otp.status}`, `${otp.attempts} of ${otp.maxAttempts} attempts used`],
    }),
    step({
      op: "cancelOtp",
      send: (smscx, { state, options }) => smscx.cancelOtp({ otpId: state.otpId! }, options),
      operation: operationSpecs.CancelOtp,
      needs: ["otpId", "verified"],
      // Only a PENDING OTP can be cancelled; this one is VERIFIED, so SMS.cx says 2031.
      expected: "verified → ApiError 2031",
      mock: { prefer: "code=403, example=notPending" },
      expect: { rejects: "ApiError", status: 403, code: 2031, type: "access_denied" },
    }),
    step({
      op: "newOtp",
      // A second OTP, with the application's defaults (ttl, attempts), to cancel while it is pending.
      send: (smscx, { phone, options }) => smscx.newOtp({ phoneNumber: phone }, options),
      operation: operationSpecs.NewOtp,
      costs: "SMS.cx sends another SMS with a PIN (the demo then cancels that OTP) and bills it",
      expected: "201, another OTP PENDING",
      // The spec's OTP created from a phone number only: a different OTP, with its own otpId.
      mock: { prefer: "example=createdWithDefaults" },
      expect: {
        resolves: 201,
        check: (otp, state) =>
          otp.status !== "PENDING" ? `status is ${otp.status}, not PENDING` : otp.otpId === state.otpId ? `its otpId is the first OTP's (${otp.otpId}), not a new one` : undefined,
      },
      save: (otp, state) => void (state.secondOtpId = otp.otpId),
      show: showNewOtp,
    }),
    step({
      op: "cancelOtp",
      send: (smscx, { state, options }) => smscx.cancelOtp({ otpId: state.secondOtpId! }, options),
      operation: operationSpecs.CancelOtp,
      needs: ["secondOtpId"],
      // Still PENDING, so it can be cancelled: its PIN stops working.
      expected: "pending → cancelled",
      mock: { prefer: "example=cancelledWithDefaults" },
      expect: {
        resolves: 200,
        check: (result, state) => (result.info.id === state.secondOtpId ? undefined : `info.id is ${result.info.id}, not the cancelled OTP's ${state.secondOtpId}`),
      },
      show: (result) => [`otpId ${short(result.info.id)} cancelled`, "its PIN can no longer be verified"],
    }),
  ],
};
