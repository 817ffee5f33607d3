/**
 * `createPreludeMock` against specs/prelude.yaml, by the contract harness (scripts/contract): every
 * answer it can give passes Prism's response validation (mock-answers.ts), and the contract flows
 * give the same results on Prism and on the mock (mock-compare.ts). Written here: the scenarios that
 * walk the verification window, the timeline and the list, and how a flow's example verification is
 * created on the mock.
 */
import { mockAnswersSuite } from "../../../scripts/contract/mock-answers.ts";
import { mockCompareSuite } from "../../../scripts/contract/mock-compare.ts";
import type { PreludeClient, Target } from "../src/index.js";
import * as sdk from "../src/index.js";
import * as testing from "../src/testing.js";

const PHONE = "+30123456789";
const target = { type: "phone_number", value: PHONE } as const;
const MINUTE = 60_000;
const payment = { amount: "49.90", currency: "EUR", recipient: "Acme Store" };
const ignore = () => undefined;

mockAnswersSuite<PreludeClient>("prelude", sdk, testing, {
  scenarios: {
    "created with every signal and option, resent, checked wrong then right, then again; its timeline at each step": async ({ client, mock, clock }) => {
      const signals = { app_version: "2.4.1", device_id: "d-1", device_model: "iPhone17,2", device_platform: "ios", existing_user: false, ip: "192.0.2.1", is_trusted_user: false, ja4_fingerprint: "t13d1516h2_8daaf6152771_e5627efa2ab1", os_version: "18.0", user_agent: "Mozilla/5.0" } as const;
      const options = { app_realm: { platform: "web", value: "example.com" }, callback_url: "http://127.0.0.1:9/prelude", code_size: 6, locale: "el-GR", method: "auto", preferred_channel: "whatsapp", sender_id: "Acme", template_id: "template_01jc0tbxyz", variables: { app_name: "Acme" } } as const;
      const { id } = await client.createVerification({ target, signals, options, metadata: { correlation_id: "c-1" }, dispatch_id: "123e4567-e89b-12d3-a456-426614174000" });
      clock.advance(MINUTE);
      await client.createVerification({ target });
      await client.checkVerification({ target, code: "000000" }).catch(ignore);
      await client.getPhoneVerification({ id });
      await client.checkVerification({ target, code: mock.codeFor(id)! });
      await client.checkVerification({ target, code: mock.codeFor(id)! }).catch(ignore);
      await client.getPhoneVerification({ id });
      await client.listPhoneVerifications({ status: "converted" });
    },
    "challenged, by voice, by email; a landline; code_size with custom_code": async ({ client }) => {
      const { id } = await client.createVerification({ target, options: { force_challenge: true } });
      await client.getPhoneVerification({ id });
      await client.createVerification({ target: { type: "phone_number", value: "+30123456780" }, options: { method: "voice", custom_code: "480213" } });
      await client.createVerification({ target: { type: "email_address", value: "jane@example.com" }, options: { channels: ["sms"] } });
      await client.createVerification({ target: { type: "phone_number", value: "+302101234567" } }).catch(ignore);
      await client.createVerification({ target, options: { code_size: 6, custom_code: "480213" } }).catch(ignore);
    },
    "PSD2: no transaction, another amount, then closed; and the right one": async ({ client, mock }) => {
      const psd2 = { template_id: "prelude:psd2", variables: payment };
      await client.createVerification({ target, options: psd2 });
      await client.checkVerification({ target, code: mock.codeFor(PHONE)! }).catch(ignore);
      await client.checkVerification({ target, code: mock.codeFor(PHONE)!, psd2: { ...payment, amount: "59.90" } }).catch(ignore);
      const { id } = await client.createVerification({ target: { type: "phone_number", value: "+30123456780" }, options: psd2 });
      await client.checkVerification({ target: { type: "phone_number", value: "+30123456780" }, code: mock.codeFor(id)!, psd2: payment });
      await client.getPhoneVerification({ id: (await client.listPhoneVerifications({ phone_number: PHONE })).verifications[0]!.id });
    },
    "expired on the clock, and closed after five wrong checks": async ({ client, mock, clock }) => {
      const { id } = await client.createVerification({ target });
      for (let i = 0; i < 5; i++) await client.checkVerification({ target, code: "00000" }).catch(ignore);
      await client.checkVerification({ target, code: mock.codeFor(id)! }).catch(ignore);
      await client.getPhoneVerification({ id });
      const other = { type: "phone_number", value: "+30123456780" } as const;
      const late = await client.createVerification({ target: other });
      clock.advance(10 * MINUTE);
      await client.checkVerification({ target: other, code: mock.codeFor(late.id)! }).catch(ignore);
      await client.getPhoneVerification({ id: late.id });
    },
    "the list page by page, its filters, a foreign cursor and id; lookups; feedbacks": async ({ client, clock }) => {
      for (let i = 0; i < 5; i++) {
        await client.createVerification({ target: { type: "phone_number", value: `+3012345678${i}` }, signals: { device_platform: "android" } });
        clock.advance(MINUTE);
      }
      for await (const verification of client.listPhoneVerificationsAll({ device_platform: "android", channels: ["sms", "whatsapp"] })) void verification;
      await client.listPhoneVerifications({ region: "GR", from: "2024-05-09T00:00:00Z", to: "2024-05-10T00:00:00Z", min_attempts: 1, max_attempts: 3, template_id: "t" });
      await client.listPhoneVerifications({ cursor: "eyJpZCI6InZyZl8wMWpjMHQ1YTFiMmMzZDRlNWY2ZzdoOGo5ayJ9" });
      await client.getPhoneVerification({ id: "vrf_01jc0t6fwwfgfsq1md24mhyztj" }).catch(ignore);
      for (const phone_number of [PHONE, "+302101234567", "+12025550143"]) await client.lookup({ phone_number, type: ["cnam"] });
      await client.lookup({ phone_number: PHONE });
      await client.sendFeedbacks({ feedbacks: [{ target, type: "verification.started" }, { target, type: "verification.completed", metadata: { correlation_id: "c-1" } }] });
    },
  },
  answers: [
    "createVerification 200 success",
    "createVerification 200 retry",
    "createVerification 200 challenged",
    "createVerification 400",
    "checkVerification 200 success",
    "checkVerification 200 failure",
    "checkVerification 200 expired_or_not_found",
    "checkVerification 200 transaction_missing",
    "checkVerification 200 transaction_mismatch",
    "getPhoneVerification 200 pending_check",
    "getPhoneVerification 200 converted",
    "getPhoneVerification 200 challenged",
    "getPhoneVerification 200 not_converted",
    "getPhoneVerification 404",
    "listPhoneVerifications 200",
    "sendFeedbacks 200 success",
    "lookup 200",
  ],
});

mockCompareSuite<PreludeClient>("prelude", sdk, testing, {
  // A check needs an open window for its target, with the mock's code; the timeline, a verification
  // the mock created. Creates, lists, feedbacks and lookups need nothing beforehand.
  async prepare({ op, input, client, mock }) {
    if (op.operationId === "checkVerification") {
      const checked = input.target as Target;
      await client.createVerification({ target: checked });
      return { ...input, code: mock.codeFor(checked.value)! };
    }
    if (op.operationId === "getPhoneVerification") return { ...input, id: (await client.createVerification({ target })).id };
    return input;
  },
});
