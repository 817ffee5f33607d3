/**
 * `createDingMock` against specs/ding.yaml, by the contract harness (scripts/contract): every
 * answer it can give passes Prism's response validation (mock-answers.ts), and the contract flows
 * give the same results on Prism and on the mock (mock-compare.ts). Written here: the scenarios that
 * walk the authentication state machine, and how a flow's example authentication is created on the mock.
 */
import { mockAnswersSuite } from "../../../scripts/contract/mock-answers.ts";
import { mockCompareSuite } from "../../../scripts/contract/mock-compare.ts";
import type { DingClient } from "../src/index.js";
import * as sdk from "../src/index.js";
import * as testing from "../src/testing.js";

const PHONE = "+12025550143";
const MINUTE = 60_000;

mockAnswersSuite<DingClient>("ding", sdk, testing, {
  scenarios: {
    "created with every signal, checked wrong then right, then again": async ({ client, mock }) => {
      const auth = await client.createAuthentication({ phone_number: PHONE, ip: "203.0.113.42", device_id: "3f9c2b7a1e5d8c40", device_type: "ANDROID", app_version: "2.4.1", sender_id: "Acme", callback_url: "https://hooks.example.com/ding", app_realm: "FA+9qCX9VSu", os_version: "14", device_model: "Pixel 8", is_returning_user: true, template_id: "t-1", correlation_id: "c-1", locale: "en-US" });
      const uuid = auth.authentication_uuid!;
      await client.check({ authentication_uuid: uuid, check_code: "not it" }).catch(() => undefined);
      await client.check({ authentication_uuid: uuid, check_code: mock.codeFor(uuid)! });
      await client.check({ authentication_uuid: uuid, check_code: mock.codeFor(uuid)! }).catch(() => undefined);
      await client.retry({ authentication_uuid: uuid }).catch(() => undefined);
      await client.getAuthenticationStatus({ auth_uuid: uuid });
    },
    "retried: denied, approved three times, rate limited": async ({ client, clock }) => {
      const uuid = (await client.createAuthentication({ phone_number: PHONE })).authentication_uuid!;
      await client.retry({ authentication_uuid: uuid }).catch(() => undefined);
      for (let i = 0; i < 4; i++) {
        clock.advance(MINUTE);
        await client.retry({ authentication_uuid: uuid }).catch(() => undefined);
      }
      await client.getAuthenticationStatus({ auth_uuid: uuid });
    },
    "expired": async ({ client, clock, mock }) => {
      const uuid = (await client.createAuthentication({ phone_number: PHONE })).authentication_uuid!;
      clock.advance(10 * MINUTE);
      await client.check({ authentication_uuid: uuid, check_code: mock.codeFor(uuid)! }).catch(() => undefined);
      await client.retry({ authentication_uuid: uuid }).catch(() => undefined);
      await client.getAuthenticationStatus({ auth_uuid: uuid });
    },
    "feedback, once per status; unknown numbers and authentications; app_realm alone": async ({ client }) => {
      const unknown = "349a6b10-c41d-4d74-8b13-62f7d5145053";
      await client.feedback({ phone_number: PHONE, status: "onboarded" }).catch(() => undefined);
      await client.createAuthentication({ phone_number: PHONE });
      await client.feedback({ phone_number: PHONE, status: "onboarded" });
      await client.feedback({ phone_number: PHONE, status: "onboarded" }).catch(() => undefined);
      for (const call of [client.check({ authentication_uuid: unknown, check_code: "1" }), client.retry({ authentication_uuid: unknown }), client.getAuthenticationStatus({ auth_uuid: unknown })]) await call.catch(() => undefined);
      await client.createAuthentication({ phone_number: PHONE, app_realm: "FA+9qCX9VSu" }).catch(() => undefined);
    },
  },
  answers: [
    "create-authentication 200 pending",
    "create-authentication 400",
    "check 200 invalid",
    "check 200 valid",
    "check 200 already_validated",
    "check 200 expired_auth",
    "check 400",
    "retry 200 denied",
    "retry 200 approved",
    "retry 200 rate_limited",
    "retry 200 already_validated",
    "retry 200 expired_auth",
    "retry 400",
    "feedback 200",
    "feedback 400",
    "getAuthenticationStatus 200",
    "getAuthenticationStatus 400",
  ],
});

mockCompareSuite<DingClient>("ding", sdk, testing, {
  // Flows that name an authentication (the spec's example uuid, its code) get one the mock created;
  // feedback needs one for its phone number, and a retry is approved a minute after the first code.
  async prepare({ op, input, client, mock, clock }) {
    const { authentication_uuid: created } = await client.createAuthentication({ phone_number: typeof input.phone_number === "string" ? input.phone_number : PHONE });
    if (op.operationId === "retry") clock.advance(MINUTE);
    const uuid = created!;
    return {
      ...input,
      ...("authentication_uuid" in input ? { authentication_uuid: uuid } : {}),
      ...("auth_uuid" in input ? { auth_uuid: uuid } : {}),
      ...("check_code" in input ? { check_code: mock.codeFor(uuid)! } : {}),
    };
  },
});
