/**
 * `start`'s failover, row by row, with the exact requests each vendor's client sent (SMS.cx, Ding
 * and Prelude; Prelude's own cases are in prelude.test.ts): every answer
 * a spec lists as "not sent" (served by Prism from the spec's own example) moves on to the next
 * provider, and every outcome that may hide a sent code (served by the runtime's fault server)
 * never reaches it.
 */
import { notSentAnswers as dingNotSent } from "@otpkit/ding";
import { notSentAnswers as preludeNotSent } from "@otpkit/prelude";
import { notSentAnswers as smscxNotSent } from "@otpkit/smscx";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { cutOff, hang, json, reset, startFaultServer, text, type Behaviour, type FaultServer } from "../../runtime/test/helpers/fault-server.ts";
import { freePort } from "../../runtime/test/helpers/ports.ts";
import { createVerifier, dingProvider, preludeProvider, smscxProvider, type FailoverEvent, type Provider } from "../src/index.js";
import { AUTH_UUID, only, OTP_ID, PHONE, preferFor, vendorClients, VRF_ID, type Vendor, type VendorSetup } from "./helpers.ts";

/** The billed operation `start` calls, per vendor, and its path. */
const SEND = {
  smscx: { path: "/otp", line: "POST /otp" },
  ding: { path: "/authentication", line: "POST /authentication" },
  prelude: { path: "/v2/verification", line: "POST /v2/verification" },
} as const;
/** The provider tried after each vendor in these tests. */
const NEXT: Record<Vendor, Vendor> = { smscx: "ding", ding: "smscx", prelude: "smscx" };
const other = (vendor: Vendor): Vendor => NEXT[vendor];

/** A verifier whose first provider is `first`, set up as given, and whose second is `second` on Prism. */
function setup(first: Vendor, firstSetup: VendorSetup = {}, second: Vendor = other(first)) {
  const clients = vendorClients({ [first]: firstSetup });
  const providers: Record<Vendor, Provider> = { smscx: smscxProvider(clients.smscx), ding: dingProvider(clients.ding), prelude: preludeProvider(clients.prelude) };
  const onFailover = vi.fn<(event: FailoverEvent) => void>();
  const verifier = createVerifier({ providers: [providers[first], providers[second]], onFailover });
  return { verifier, sent: clients.sent, onFailover };
}

describe("an answer the spec lists as 'not sent' always reaches the next provider", () => {
  const rows = [
    ...smscxNotSent.NewOtp.map((answer) => ["smscx", "NewOtp", answer] as const),
    ...dingNotSent["create-authentication"].map((answer) => ["ding", "create-authentication", answer] as const),
    ...preludeNotSent.createVerification.map((answer) => ["prelude", "createVerification", answer] as const),
  ];

  test.each(rows)("%s %s %j", async (first, operationId, answer) => {
    const { verifier, sent, onFailover } = setup(first, { prefer: preferFor(first, operationId, answer) });
    const result = await verifier.start({ phoneNumber: PHONE });

    expect(sent()).toEqual(only({ [first]: [SEND[first].line], [other(first)]: [SEND[other(first)].line] }));
    expect(result).toMatchObject({ status: "sent", provider: other(first) });
    expect(result.tried).toMatchObject([
      { provider: first, outcome: "not_sent", reason: answer.reason, metadata: { status: answer.status, attempts: 1 } },
      { provider: other(first), outcome: "sent", metadata: { attempts: 1 } },
    ]);
    expect(onFailover).toHaveBeenCalledOnce();
    expect(onFailover.mock.calls[0]![0]).toMatchObject({ from: first, to: other(first), reason: answer.reason });
  });
});

describe("nothing left the machine: the next provider is tried", () => {
  test("SMS.cx's client refuses its own settings (ttl 5000) before sending: 0 SMS.cx requests, 1 to Ding", async () => {
    const clients = vendorClients();
    const verifier = createVerifier({ providers: [smscxProvider(clients.smscx, { ttl: 5000 }), dingProvider(clients.ding)] });
    const result = await verifier.start({ phoneNumber: PHONE });
    expect(clients.sent()).toEqual(only({ smscx: [], ding: ["POST /authentication"] }));
    expect(result).toMatchObject({ status: "sent", provider: "ding", tried: [{ provider: "smscx", outcome: "not_sent", reason: "input_refused" }, { outcome: "sent" }] });
  });

  test("Ding's client refuses its own settings (a locale that is no BCP-47 tag) before sending: 0 Ding requests, 1 to SMS.cx", async () => {
    const clients = vendorClients();
    const verifier = createVerifier({ providers: [dingProvider(clients.ding, { locale: "not a locale" }), smscxProvider(clients.smscx)] });
    const result = await verifier.start({ phoneNumber: PHONE });
    expect(clients.sent()).toEqual(only({ smscx: ["POST /otp"], ding: [] }));
    expect(result).toMatchObject({ status: "sent", provider: "smscx", tried: [{ provider: "ding", outcome: "not_sent", reason: "input_refused" }, { outcome: "sent" }] });
  });

  test.each(["smscx", "ding", "prelude"] as const)("%s's connection is refused (requestSent: false): its 3 attempts reached nobody, the other vendor gets 1 request", async (first) => {
    const { verifier, sent } = setup(first, { baseUrl: `http://127.0.0.1:${await freePort()}` });
    const result = await verifier.start({ phoneNumber: PHONE });
    expect(sent()).toEqual(only({ [first]: [SEND[first].line, SEND[first].line, SEND[first].line], [other(first)]: [SEND[other(first)].line] }));
    expect(result).toMatchObject({ status: "sent", provider: other(first), tried: [{ provider: first, outcome: "not_sent", reason: "connection_refused" }, { outcome: "sent" }] });
    expect(result.tried[0]).toMatchObject({ error: { name: "ConnectionError", requestSent: false, attempts: 3 } });
  });
});

describe("an outcome that may hide a sent code never reaches the next provider", () => {
  let server: FaultServer;
  beforeEach(async () => {
    server = await startFaultServer();
  });
  afterEach(async () => {
    await server.close();
  });

  const faults: [string, Behaviour, string][] = [
    ["no answer within the timeout", hang, "TimeoutError"],
    ["the connection reset after the request was read", reset, "ConnectionError"],
    ["HTTP 500", json(500, { error: { type: "server_error", message: "Internal server error", uri: "https://sms.cx", code: 1005 } }), "ApiError"],
    ["an HTML 502 from a proxy", text(502, "<html><body>Bad Gateway</body></html>"), "ResponseParseError"],
    ["HTTP 503", json(503, {}), "ApiError"],
    ["a success whose body is cut off", cutOff(201, '{"otpId":"a17fb13d-f4ac-4d93-9439-ef41ab8de390","status":"PEN'), "ConnectionError"],
  ];
  const rows = (["smscx", "ding", "prelude"] as const).flatMap((vendor) => faults.map(([what, behaviour, error]) => [vendor, what, behaviour, error] as const));

  test.each(rows)("%s: %s → unknown, sent once, the other vendor gets 0 requests", async (first, _what, behaviour, errorName) => {
    server.script(SEND[first].path, behaviour);
    // Only the hang needs a short timeout, long enough for a loaded machine to deliver the request
    // first; the other faults get one a loaded machine cannot reach, so a slow answer is not a timeout.
    const timeout = behaviour === hang ? 1_500 : 15_000;
    const { verifier, sent, onFailover } = setup(first, { baseUrl: server.origin, timeout });
    const result = await verifier.start({ phoneNumber: PHONE });

    expect(server.count(SEND[first].path)).toBe(1);
    expect(sent()).toEqual(only({ [first]: [SEND[first].line], [other(first)]: [] }));
    expect(result).toMatchObject({ status: "unknown", provider: first, tried: [{ provider: first, outcome: "unknown" }] });
    expect(result.tried).toHaveLength(1);
    expect(result.status === "unknown" && result.error.name).toBe(errorName);
    expect(onFailover).not.toHaveBeenCalled();
  });

  test("SMS.cx's documented 500 (Prism) → unknown: 1 SMS.cx request, 0 to Ding", async () => {
    const { verifier, sent } = setup("smscx", { prefer: "code=500" });
    const result = await verifier.start({ phoneNumber: PHONE });
    expect(sent()).toEqual(only({ smscx: ["POST /otp"], ding: [] }));
    expect(result).toMatchObject({ status: "unknown", provider: "smscx", error: { name: "ApiError", status: 500 } });
  });
});

describe("an answer the spec does not list as 'not sent' stops too (failed)", () => {
  test("SMS.cx 400 2005 (`from` rejected): 1 SMS.cx request, 0 to Ding", async () => {
    const { verifier, sent } = setup("smscx", { prefer: "code=400, example=fromInvalid" });
    const result = await verifier.start({ phoneNumber: PHONE });
    expect(sent()).toEqual(only({ smscx: ["POST /otp"], ding: [] }));
    expect(result).toMatchObject({ status: "failed", provider: "smscx", error: { status: 400, code: 2005 }, tried: [{ outcome: "failed", metadata: { status: 400 } }] });
  });

  test("Ding 400 app_realm_require_device_type: 1 Ding request, 0 to SMS.cx", async () => {
    const { verifier, sent } = setup("ding", { prefer: "code=400, example=appRealmRequireDeviceType" });
    const result = await verifier.start({ phoneNumber: PHONE });
    expect(sent()).toEqual(only({ smscx: [], ding: ["POST /authentication"] }));
    expect(result).toMatchObject({ status: "failed", provider: "ding", error: { status: 400, code: "app_realm_require_device_type" } });
  });

  test("Ding 401, which Ding's spec does not document (so it is not listed): 1 Ding request, 0 to SMS.cx", async () => {
    const server = await startFaultServer();
    try {
      server.script("/authentication", json(401, { message: "unauthorized" }));
      const { verifier, sent } = setup("ding", { baseUrl: server.origin });
      const result = await verifier.start({ phoneNumber: PHONE });
      expect(server.count("/authentication")).toBe(1);
      expect(sent()).toEqual(only({ smscx: [], ding: ["POST /authentication"] }));
      expect(result).toMatchObject({ status: "failed", provider: "ding", error: { status: 401 } });
    } finally {
      await server.close();
    }
  });
});

describe("the ends of the list", () => {
  test("the first provider sends: the second is never called, and the result says what the vendor said", async () => {
    const { verifier, sent, onFailover } = setup("smscx");
    const result = await verifier.start({ phoneNumber: PHONE });
    expect(sent()).toEqual(only({ smscx: ["POST /otp"], ding: [] }));
    expect(result).toMatchObject({
      status: "sent",
      id: `smscx:${OTP_ID}`,
      provider: "smscx",
      expiresAt: new Date("2024-05-09T12:12:31Z"),
      attemptsLeft: 4,
      raw: { otpId: OTP_ID, status: "PENDING" },
      metadata: { status: 201, attempts: 1, requestId: "5d8a7c2e-3b1f-4e9a-a6c4-0f2b8d7e1a93", operationId: "NewOtp" },
      tried: [{ provider: "smscx", outcome: "sent" }],
    });
    expect(onFailover).not.toHaveBeenCalled();
  });

  test("Ding sends: its id, expiry and metadata", async () => {
    const { verifier } = setup("ding");
    const result = await verifier.start({ phoneNumber: PHONE });
    expect(result).toMatchObject({ status: "sent", id: `ding:${AUTH_UUID}`, provider: "ding", expiresAt: new Date("2024-05-09T12:19:31Z"), metadata: { status: 200, attempts: 1 } });
    expect(result.status === "sent" && result.attemptsLeft).toBeUndefined();
  });

  test("every provider refuses before sending → not_sent: 1 request each, one failover between each two", async () => {
    const clients = vendorClients({
      smscx: { prefer: "code=400, example=insufficientCredit" },
      ding: { prefer: "code=400, example=negativeBalance" },
      prelude: { prefer: "code=400, example=insufficientBalance" },
    });
    const onFailover = vi.fn();
    const verifier = createVerifier({ providers: [smscxProvider(clients.smscx), dingProvider(clients.ding), preludeProvider(clients.prelude)], onFailover });
    const result = await verifier.start({ phoneNumber: PHONE });
    expect(clients.sent()).toEqual(only({ smscx: ["POST /otp"], ding: ["POST /authentication"], prelude: ["POST /v2/verification"] }));
    expect(result).toEqual({
      status: "not_sent",
      tried: [
        expect.objectContaining({ provider: "smscx", outcome: "not_sent", reason: "insufficient_credit" }),
        expect.objectContaining({ provider: "ding", outcome: "not_sent", reason: "insufficient_credit" }),
        expect.objectContaining({ provider: "prelude", outcome: "not_sent", reason: "insufficient_credit" }),
      ],
    });
    expect(onFailover.mock.calls.map(([event]) => [event.from, event.to])).toEqual([
      ["smscx", "ding"],
      ["ding", "prelude"],
    ]);
  });

  test.each(["0612246400", "+0612246400", "+33 6 12 24 64 00", "", 33612246400])("%j is not E.164: invalid_phone_number, no request to anyone", async (phoneNumber) => {
    const { verifier, sent } = setup("smscx");
    const result = await verifier.start({ phoneNumber: phoneNumber as string });
    expect(result).toMatchObject({ status: "invalid_phone_number", tried: [] });
    expect(sent()).toEqual(only({ smscx: [], ding: [] }));
  });
});
