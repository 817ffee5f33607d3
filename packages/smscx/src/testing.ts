/**
 * `@otpkit/smscx/testing`: an in-process mock of the SMS.cx OTP API for your own tests. The
 * statuses, error bodies, headers and example values come from specs/smscx.yaml (generated into
 * ./generated/mock.ts); the engine is @otpkit/runtime/testing. Written here by hand is only what
 * the spec cannot say: how an OTP moves from PENDING to VERIFIED, EXPIRED, CANCELLED or FAILED.
 *
 * @packageDocumentation
 */
import { createMock, type Mock, type MockBehaviour, type MockOptions } from "@otpkit/runtime/testing";
import { mockSpec, type SmscxMockFaults } from "./generated/mock.js";
import type { SmscxOperationId } from "./generated/spec.js";
import type { DataOtp, NewOtpRequest, VerifyPinRequest } from "./generated/types.js";

export { createMockClock, type MockClock, type MockFault, type MockRequest } from "@otpkit/runtime/testing";
export type { SmscxMockFaults };

/** Options of `createSmscxMock`: a clock, faults per operation, a random source. */
export type SmscxMockOptions = MockOptions<SmscxMockFaults>;

/** The SMS.cx mock: `fetch`, `handle`, `requests`, `codeFor(otpId)`, `reset()`. */
export type SmscxMock = Mock<SmscxOperationId>;

interface Otp extends DataOtp {
  readonly pin: string;
  readonly expiresAt: number;
}

/** The application's OTP settings that a request does not override, from the spec's `createdWithDefaults` example. */
const DEFAULTS = mockSpec.operations.NewOtp.responses[201].examples.createdWithDefaults;
/** SMS.cx's default PIN is set per application in its dashboard; the mock sends 4 digits. */
const PIN = { type: "numbers", length: 4 } as const;
const ALPHABETS = { numbers: "0123456789", letters: "ABCDEFGHIJKLMNOPQRSTUVWXYZ", alphanumeric: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" } as const;

/**
 * Country calling codes (longest prefix wins) for the `countryIso` of an E.164 number, which SMS.cx
 * derives from the number. A code not listed gives `ZZ`, the region code CLDR uses for "unknown".
 */
const CALLING_CODES = new Map(
  "1US 7RU 20EG 27ZA 30GR 31NL 32BE 33FR 34ES 36HU 39IT 40RO 41CH 43AT 44GB 45DK 46SE 47NO 48PL 49DE 51PE 52MX 54AR 55BR 56CL 57CO 60MY 61AU 62ID 63PH 64NZ 65SG 66TH 81JP 82KR 84VN 86CN 90TR 91IN 92PK 212MA 213DZ 216TN 234NG 254KE 351PT 352LU 353IE 354IS 356MT 357CY 358FI 359BG 370LT 371LV 372EE 380UA 381RS 385HR 386SI 420CZ 421SK 852HK 886TW 966SA 971AE 972IL"
    .split(" ")
    .map((entry) => [entry.slice(0, -2), entry.slice(-2)] as const),
);

const countryOf = (e164: string) => [3, 2, 1].map((n) => CALLING_CODES.get(e164.slice(1, 1 + n))).find(Boolean) ?? "ZZ";
const callingCodeOf = (country: string) => [...CALLING_CODES].find(([, iso]) => iso === country)?.[0];

/** SMS.cx writes UTC dates as `YYYY-MM-DD HH:MM:SS`. */
const format = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");

/** SMS parts of the message: 160 GSM characters fit one; longer messages go in parts of 153. */
const partsOf = (text: string) => (text.length <= 160 ? 1 : Math.ceil(text.length / 153));

/** The phone number as SMS.cx reports it and its country, or the documented error it gets. */
function recipient(request: NewOtpRequest): { phoneNumber: string; countryIso: string } | string {
  const { phoneNumber, countryIso } = request;
  if (/^\+[1-9]\d{6,14}$/.test(phoneNumber)) return { phoneNumber, countryIso: countryOf(phoneNumber) };
  if (!/^\d{6,15}$/.test(phoneNumber)) return "phoneNumberInvalid";
  // A national number needs its country, and is reported in E.164 when the mock knows the country's code.
  if (countryIso === undefined) return "countryIsoMissing";
  if (!/^[A-Z]{2}$/.test(countryIso)) return "countryIsoInvalid";
  const code = callingCodeOf(countryIso);
  return { phoneNumber: code ? `+${code}${phoneNumber.replace(/^0/, "")}` : phoneNumber, countryIso };
}

/** A PENDING OTP whose `ttl` has run out on the mock's clock becomes EXPIRED; returns its status. */
function expire(otp: Otp, now: Date): DataOtp["status"] {
  if (otp.status === "PENDING" && now.getTime() >= otp.expiresAt) otp.status = "EXPIRED";
  return otp.status;
}

/** The OTP as the API shows it: everything but the PIN. */
const shown = ({ pin: _pin, expiresAt: _expiresAt, ...otp }: Otp): DataOtp => otp;

const behaviour: MockBehaviour<Map<string, Otp>, SmscxOperationId> = {
  createState: () => new Map(),
  codeFor: (otps, otpId) => otps.get(otpId)?.pin,
  handlers: {
    NewOtp({ state, body, now, uuid, code }) {
      const request = body as unknown as NewOtpRequest;
      if (request.template !== undefined && !request.template.includes("{{pin}}")) return "templateWithoutPin";
      const to = recipient(request);
      if (typeof to === "string") return to;
      const { ttl = DEFAULTS.ttl, maxAttempts = DEFAULTS.maxAttempts, pinType = PIN.type, pinLength = PIN.length } = request;
      const pin = code(pinLength, ALPHABETS[pinType]);
      const parts = partsOf((request.template ?? "").replace("{{pin}}", pin));
      const created = Math.floor(now.getTime() / 1000) * 1000;
      const expiresAt = created + ttl * 1000;
      const otp: Otp = {
        otpId: uuid(),
        trackId: request.trackId ?? null,
        ...to,
        status: "PENDING",
        cost: Math.round(DEFAULTS.cost * parts * 1000) / 1000,
        parts,
        maxAttempts,
        attempts: 0,
        ttl,
        otpCallbackUrl: request.otpCallbackUrl ?? null,
        dateCreated: format(created),
        dateExpires: format(expiresAt),
        pin,
        expiresAt,
      };
      state.set(otp.otpId, otp);
      return { body: shown(otp) };
    },

    GetOtpStatus({ state, path, now }) {
      const otp = state.get(path.otpId!);
      if (!otp) return "otpNotFound";
      expire(otp, now);
      return { body: shown(otp) };
    },

    VerifyPin({ state, path, body, now }) {
      const otp = state.get(path.otpId!);
      if (!otp) return "otpNotFound";
      const status = expire(otp, now);
      // The wrong PIN that uses the last attempt gets 2027; a later try on the FAILED OTP gets 2026.
      const refused = { VERIFIED: "alreadyVerified", CANCELLED: "otpCancelled", EXPIRED: "otpExpired", FAILED: "otpFailed", PENDING: undefined }[status];
      if (refused) return refused;
      if ((body as unknown as VerifyPinRequest).pin === otp.pin) {
        otp.status = "VERIFIED";
        return { body: { status: "VERIFIED" } };
      }
      otp.attempts++;
      if (otp.attempts < otp.maxAttempts) return "wrongPin";
      otp.status = "FAILED";
      return "maxAttempts";
    },

    CancelOtp({ state, path, now }) {
      const otp = state.get(path.otpId!);
      if (!otp) return "otpNotFound";
      const status = expire(otp, now);
      if (status === "CANCELLED") return "alreadyCancelled";
      if (status !== "PENDING") return "notPending";
      otp.status = "CANCELLED";
      return { body: { info: { id: otp.otpId } } };
    },
  },
};

/**
 * Creates an in-process, stateful mock of the SMS.cx OTP API: pass `mock.fetch` as the client's
 * `fetch`, or route requests to `mock.handle` (msw). `newOtp` answers PENDING with a fresh `otpId`
 * and PIN (`mock.codeFor(otpId)`); `verifyPin` with that PIN gives VERIFIED, a wrong one the
 * documented 400 (2029) until `maxAttempts` (then 2027 and FAILED); the OTP expires after `ttl` on
 * the mock's clock. Requests are checked against the spec first, and bad ones get SMS.cx's
 * documented 4xx. See the README, "Testing your app".
 *
 * @example
 * ```ts
 * const mock = createSmscxMock();
 * const smscx = createSmscxClient({ apiKey: "test", fetch: mock.fetch });
 * const otp = await smscx.newOtp({ phoneNumber: "+33612246400" });
 * await smscx.verifyPin({ otpId: otp.otpId, pin: mock.codeFor(otp.otpId)! });
 * ```
 */
export function createSmscxMock(options?: SmscxMockOptions): SmscxMock {
  return createMock(mockSpec, behaviour, options);
}
