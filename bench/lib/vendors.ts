/**
 * The vendors as the benchmarks see them: where their spec is, and the browser-app entry the
 * bundle-size part builds (create a client, call one method). One place, shared by `pnpm bench
 * size` and `check-size`.
 */
import path from "node:path";
import { repoRoot } from "./report.ts";

export const VENDORS = ["smscx", "ding", "equinix-metal", "prelude"] as const;
export type VendorName = (typeof VENDORS)[number];

export interface VendorInfo {
  readonly name: VendorName;
  readonly pkg: string;
  readonly spec: string;
  /** The named method the size entry and the GET overhead scenario call. */
  readonly method: string;
  /** An app's smallest real use of the package: create a client, call one method. */
  readonly entry: string;
  /** A test's smallest use of the package's mock (`@otpkit/<vendor>/testing`), which no app ships; none while the package has no mock. */
  readonly testingEntry?: string;
}

export const AUTH_UUID = "349a6b10-c41d-4d74-8b13-62f7d5145053";
export const OTP_ID = "a17fb13d-f4ac-4d93-9439-ef41ab8de390";
export const CUSTOMER_UUID = "cf222c97-267d-4a29-9e1b-c85d9c31cc42";
export const VERIFICATION_ID = "vrf_01jc0t6fwwfgfsq1md24mhyztj";

export const vendorInfo: Record<VendorName, VendorInfo> = {
  smscx: {
    name: "smscx",
    pkg: "@otpkit/smscx",
    spec: path.join(repoRoot, "specs/smscx.yaml"),
    method: "getOtpStatus",
    entry: `import { createSmscxClient } from "@otpkit/smscx";
createSmscxClient({ apiKey: "k" }).getOtpStatus({ otpId: "${OTP_ID}" }).then(console.log);`,
    testingEntry: `import { createSmscxMock } from "@otpkit/smscx/testing";
createSmscxMock().fetch("https://api.sms.cx/otp/${OTP_ID}", { headers: { "x-api-key": "k" } }).then(console.log);`,
  },
  ding: {
    name: "ding",
    pkg: "@otpkit/ding",
    spec: path.join(repoRoot, "specs/ding.yaml"),
    method: "getAuthenticationStatus",
    entry: `import { createDingClient } from "@otpkit/ding";
createDingClient({ apiKey: "k", customerUuid: "${CUSTOMER_UUID}" }).getAuthenticationStatus({ auth_uuid: "${AUTH_UUID}" }).then(console.log);`,
    testingEntry: `import { createDingMock } from "@otpkit/ding/testing";
createDingMock().fetch("https://api.ding.live/v1/authentication/${AUTH_UUID}", { headers: { "x-api-key": "k" } }).then(console.log);`,
  },
  "equinix-metal": {
    name: "equinix-metal",
    pkg: "@otpkit/equinix-metal",
    spec: path.join(repoRoot, "specs/equinix-metal.yaml"),
    method: "findRecoveryCodes",
    entry: `import { createEquinixMetalClient } from "@otpkit/equinix-metal";
createEquinixMetalClient({ apiKey: "k" }).findRecoveryCodes().then(console.log);`,
    testingEntry: `import { createEquinixMetalMock } from "@otpkit/equinix-metal/testing";
createEquinixMetalMock().fetch("https://api.equinix.com/metal/v1/user/otp/recovery-codes", { headers: { "x-auth-token": "k" } }).then(console.log);`,
  },
  prelude: {
    name: "prelude",
    pkg: "@otpkit/prelude",
    spec: path.join(repoRoot, "specs/prelude.yaml"),
    method: "getPhoneVerification",
    entry: `import { createPreludeClient } from "@otpkit/prelude";
createPreludeClient({ accessToken: "k" }).getPhoneVerification({ id: "${VERIFICATION_ID}" }).then(console.log);`,
    testingEntry: `import { createPreludeMock } from "@otpkit/prelude/testing";
createPreludeMock().fetch("https://api.prelude.dev/v2/verification/phone/history/${VERIFICATION_ID}", { headers: { authorization: "Bearer k" } }).then(console.log);`,
  },
};

/** The same call with openapi-fetch alone: the floor every vendor bundle is compared with. */
export const bareOpenapiFetchEntry = `import createClient from "openapi-fetch";
createClient({ baseUrl: "https://api.sms.cx", headers: { "X-API-KEY": "k" } })
  .GET("/otp/{otpId}", { params: { path: { otpId: "${OTP_ID}" } } })
  .then(console.log);`;

/**
 * @otpkit/verify as an app uses it: both vendor clients, a verifier over them, a start and a check.
 * It is not a vendor bundle (it holds two), so it is reported next to them, against no budget.
 */
export const verifyEntry = `import { createDingClient } from "@otpkit/ding";
import { createSmscxClient } from "@otpkit/smscx";
import { createVerifier, dingProvider, smscxProvider } from "@otpkit/verify";
const verifier = createVerifier({ providers: [smscxProvider(createSmscxClient({ apiKey: "k" })), dingProvider(createDingClient({ apiKey: "k", customerUuid: "${CUSTOMER_UUID}" }))] });
verifier.start({ phoneNumber: "+33612246400" }).then((r) => (r.status === "sent" ? verifier.check({ id: r.id, code: "1544" }) : r)).then(console.log);`;
