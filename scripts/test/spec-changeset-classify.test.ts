/**
 * The classifier against a table of mutations of the real specs: each row parses a spec, mutates
 * a copy, classifies old → new and checks the bump (and, where it matters, the wording).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { parseSpec, type OpenApiDocument } from "../lib/specs.ts";
import { classifyNewSpec, classifySpecChange, type Bump } from "../spec-changeset/classify.ts";
import { describeChanges, releaseTypeFor, renderChangeset } from "../spec-changeset/render.ts";

const specsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../specs");
type Vendor = "smscx" | "ding" | "equinix-metal" | "prelude";
const originals = new Map<Vendor, OpenApiDocument>();
function spec(vendor: Vendor): OpenApiDocument {
  if (!originals.has(vendor)) originals.set(vendor, parseSpec(readFileSync(path.join(specsDir, `${vendor}.yaml`), "utf8")));
  return originals.get(vendor)!;
}

// The documents are plain JSON; `any` keeps the mutations short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

interface Row {
  name: string;
  vendor: Vendor;
  mutate: (doc: Doc) => void;
  /** The highest bump; `none` when the classifier must find nothing. */
  bump: Bump | "none";
  /** A line the human summary must contain (substring), when the wording matters. */
  line?: string | RegExp;
}

const smscx = (d: Doc) => d.components.schemas;
const ding = (d: Doc) => d.components.schemas;

const rows: Row[] = [
  // --- no change ------------------------------------------------------------------------------
  { name: "identical documents", vendor: "smscx", mutate: () => {}, bump: "none" },
  {
    name: "a shared parameter inlined ($ref layout only)",
    vendor: "smscx",
    mutate: (d) => {
      d.paths["/otp/{otpId}"].parameters = [structuredClone(d.components.parameters.otpId)];
    },
    bump: "none",
  },
  {
    name: "a shared response inlined ($ref layout only)",
    vendor: "smscx",
    mutate: (d) => {
      d.paths["/otp"].post.responses["401"] = structuredClone(d.components.responses.Unauthorized);
    },
    bump: "none",
  },

  // --- major: removed or renamed --------------------------------------------------------------
  { name: "operation removed", vendor: "smscx", mutate: (d) => delete d.paths["/otp/{otpId}"].delete, bump: "major", line: "Operation `CancelOtp`: removed (removed operation: breaking)" },
  {
    name: "operationId renamed (same method and path)",
    vendor: "smscx",
    mutate: (d) => (d.paths["/otp/{otpId}"].post.operationId = "VerifyOtp"),
    bump: "major",
    line: "Operation `VerifyPin`: renamed to `VerifyOtp`",
  },
  {
    name: "path renamed",
    vendor: "smscx",
    mutate: (d) => {
      d.paths["/otps/{otpId}"] = d.paths["/otp/{otpId}"];
      delete d.paths["/otp/{otpId}"];
    },
    bump: "major",
    line: "Operation `GetOtpStatus`: is now `GET /otps/{otpId}` (was `GET /otp/{otpId}`) (path changed: breaking)",
  },
  { name: "request field removed", vendor: "smscx", mutate: (d) => delete smscx(d).NewOtpRequest.properties.trackId, bump: "major", line: "Operation `NewOtp`: request field `trackId` removed (removed input: breaking)" },
  { name: "response field removed", vendor: "smscx", mutate: (d) => delete smscx(d).NewOtpResponse.properties.cost, bump: "major", line: "Operation `NewOtp`: response 201 field `cost` removed (removed from a response: breaking)" },
  {
    name: "response field renamed",
    vendor: "smscx",
    mutate: (d) => {
      const s = smscx(d).CancelOtpResponse;
      s.properties.otp = s.properties.info;
      delete s.properties.info;
      s.required = ["otp"];
    },
    bump: "major",
    line: "Operation `CancelOtp`: response 200 field `info` renamed to `otp` (renamed response field: breaking)",
  },
  {
    name: "query parameter removed",
    vendor: "equinix-metal",
    mutate: (d) => (d.paths["/user/otp/verify/{otp}"].post.parameters = []),
    bump: "major",
    line: "Operation `findEnsureOtp`: parameter `otp` (path) removed",
  },
  { name: "response status removed", vendor: "equinix-metal", mutate: (d) => delete d.paths["/user/otp/recovery-codes"].get.responses["422"], bump: "major", line: "Operation `findRecoveryCodes`: response 422 removed" },
  { name: "webhook removed", vendor: "ding", mutate: (d) => delete d.webhooks.event, bump: "major", line: "Webhook `event`: removed (removed webhook: breaking)" },
  {
    name: "security scheme removed",
    vendor: "smscx",
    mutate: (d) => {
      delete d.components.securitySchemes.BearerAuth;
      d.security = [{ ApiKeyAuth: [] }];
    },
    bump: "major",
    line: "API: authentication is now `ApiKeyAuth` (was `ApiKeyAuth` or `BearerAuth`) (auth changed: breaking)",
  },
  { name: "security scheme header renamed", vendor: "equinix-metal", mutate: (d) => (d.components.securitySchemes.x_auth_token.name = "Authorization"), bump: "major", line: "Security scheme `x_auth_token`: `name` is now `Authorization` (was `X-Auth-Token`) (auth changed: breaking)" },
  { name: "exported type removed (schema inlined)", vendor: "smscx", mutate: (d) => {
      d.paths["/otp/{otpId}"].post.requestBody.content["application/json"].schema = structuredClone(smscx(d).VerifyPinRequest);
      delete smscx(d).VerifyPinRequest;
    }, bump: "major", line: "Type `VerifyPinRequest`: removed from the package's exports (removed exported type: breaking)" },

  // --- major: inputs narrowed / newly required ------------------------------------------------
  { name: "request field gets maxLength (the issue's example)", vendor: "smscx", mutate: (d) => (smscx(d).VerifyPinRequest.properties.pin.maxLength = 10), bump: "major", line: "- Operation `VerifyPin`: request field `pin` now has `maxLength: 10` (narrowed input: breaking)" },
  { name: "optional request field made required", vendor: "smscx", mutate: (d) => smscx(d).NewOtpRequest.required.push("countryIso"), bump: "major", line: "Operation `NewOtp`: request field `countryIso` now required (input newly required: breaking)" },
  { name: "new required request field", vendor: "smscx", mutate: (d) => {
      smscx(d).NewOtpRequest.properties.channel = { type: "string" };
      smscx(d).NewOtpRequest.required.push("channel");
    }, bump: "major", line: "request field `channel` added, required (new required input: breaking)" },
  { name: "new required query parameter", vendor: "equinix-metal", mutate: (d) => d.paths["/user/otp/sms/receive"].post.parameters = [{ name: "phone", in: "query", required: true, schema: { type: "string" } }], bump: "major" },
  { name: "request number bound tightened (ttl maximum 1800 → 900)", vendor: "smscx", mutate: (d) => (smscx(d).NewOtpRequest.properties.ttl.maximum = 900), bump: "major", line: "request field `ttl` `maximum` is now 900 (was 1800) (narrowed input: breaking)" },
  { name: "request type changed (ttl integer → string)", vendor: "smscx", mutate: (d) => (smscx(d).NewOtpRequest.properties.ttl.type = "string"), bump: "major", line: "type changed: breaking" },
  { name: "request type widened (integer → number)", vendor: "smscx", mutate: (d) => (smscx(d).NewOtpRequest.properties.ttl.type = "number"), bump: "minor", line: "request field `ttl` type is now `number` (was `integer`) (widened input)" },
  { name: "request field type changed (string → integer)", vendor: "ding", mutate: (d) => (ding(d).CreateAuthenticationRequest.properties.app_version.type = "integer"), bump: "major", line: "request field `app_version` type is now `integer` (was `string`) (type changed: breaking)" },
  { name: "request body opened (additionalProperties false → true)", vendor: "ding", mutate: (d) => (ding(d).FeedbackRequest.additionalProperties = true), bump: "minor", line: "Operation `feedback`: request body now accepts fields it does not list (widened input)" },
  { name: "response body closed (additionalProperties false added)", vendor: "ding", mutate: (d) => (ding(d).FeedbackResponse.additionalProperties = false), bump: "minor" },
  { name: "path parameter gets a pattern", vendor: "equinix-metal", mutate: (d) => (d.paths["/user/otp/verify/{otp}"].post.parameters[0].schema.pattern = "^[0-9]{6}$"), bump: "major", line: "parameter `otp` (path) now has `pattern: ^[0-9]{6}$` (narrowed input: breaking)" },

  // --- enums: all four combinations ----------------------------------------------------------
  { name: "request enum value added", vendor: "smscx", mutate: (d) => smscx(d).NewOtpRequest.properties.pinType.enum.push("emoji"), bump: "minor", line: "request field `pinType` enum value `emoji` added (new enum value in a request)" },
  { name: "request enum value removed", vendor: "smscx", mutate: (d) => smscx(d).NewOtpRequest.properties.pinType.enum.pop(), bump: "major", line: "request field `pinType` enum value `alphanumeric` removed (removed input value: breaking)" },
  { name: "response enum value added", vendor: "smscx", mutate: (d) => smscx(d).NewOtpResponse.properties.status.enum.push("QUEUED"), bump: "major", line: "response 201 field `status` enum value `QUEUED` added (new value in a response-readable position: breaking)" },
  { name: "response enum value removed", vendor: "smscx", mutate: (d) => (smscx(d).NewOtpResponse.properties.status.enum = ["PENDING", "VERIFIED", "EXPIRED", "CANCELLED"]), bump: "major", line: "response 201 field `status` enum value `FAILED` removed (removed from a response-readable position: breaking)" },
  { name: "ding request enum value added (device_type IPADOS)", vendor: "ding", mutate: (d) => ding(d).CreateAuthenticationRequest.properties.device_type.enum.push("IPADOS"), bump: "minor" },
  { name: "ding response enum value removed (signals.device_type TVOS)", vendor: "ding", mutate: (d) => (ding(d).AuthenticationStatusResponse.properties.signals.properties.device_type.enum = ["ANDROID", "IOS", "IPADOS", "WEB"]), bump: "major", line: "response 200 field `signals.device_type` enum value `TVOS` removed" },
  { name: "shared response schema enum widened (DataOtp.status, two usages)", vendor: "smscx", mutate: (d) => smscx(d).DataOtp.properties.status.enum.push("PAUSED"), bump: "major", line: "Schema `DataOtp` field `status` (used in `GetOtpStatus` response 200, webhook `otpUpdate` payload): enum value `PAUSED` added (new value in a response-readable position: breaking)" },
  { name: "error response enum value added (Error.type)", vendor: "smscx", mutate: (d) => smscx(d).Error.properties.type.enum.push("otp_locked"), bump: "minor", line: /Schema `Error` field `type` \(used in \d+ places across `NewOtp`, `GetOtpStatus`, `VerifyPin`, `CancelOtp`\): enum value `otp_locked` added \(new value in an error response\)/ },
  { name: "webhook payload variant const changed (read position)", vendor: "ding", mutate: (d) => (ding(d).AttemptWebhookEvent.properties.type.const = "message_attempt"), bump: "major" },

  // --- major: response fields made optional or nullable --------------------------------------
  { name: "response field made optional", vendor: "smscx", mutate: (d) => (smscx(d).NewOtpResponse.required = smscx(d).NewOtpResponse.required.filter((f: string) => f !== "parts")), bump: "major", line: "response 201 field `parts` now optional (response field made optional: breaking)" },
  { name: "response field made nullable", vendor: "smscx", mutate: (d) => (smscx(d).NewOtpResponse.properties.phoneNumber.type = ["string", "null"]), bump: "major", line: "response 201 field `phoneNumber` now nullable (response field made nullable: breaking)" },
  { name: "response header removed", vendor: "smscx", mutate: (d) => delete d.paths["/otp"].post.responses["201"].headers["X-Request-Id"], bump: "major", line: "Operation `NewOtp`: response 201 header `X-Request-Id` removed" },

  // --- minor --------------------------------------------------------------------------------
  { name: "new operation", vendor: "smscx", mutate: (d) => (d.paths["/otp"].get = { operationId: "ListOtps", responses: { "200": { description: "OK" } } }), bump: "minor", line: "Operation `ListOtps`: added (`GET /otp`) (new operation)" },
  { name: "new optional request field", vendor: "smscx", mutate: (d) => (smscx(d).NewOtpRequest.properties.locale = { type: "string" }), bump: "minor", line: "Operation `NewOtp`: request field `locale` added (optional) (new optional input)" },
  { name: "new optional query parameter", vendor: "equinix-metal", mutate: (d) => (d.paths["/user/otp/recovery-codes"].get.parameters = [{ name: "include", in: "query", schema: { type: "string" } }]), bump: "minor", line: "parameter `include` (query) added (optional) (new optional input)" },
  { name: "new response field", vendor: "ding", mutate: (d) => (ding(d).CreateCheckResponse.properties.checked_at = { type: "string", format: "date-time" }), bump: "minor", line: "Operation `check`: response 200 field `checked_at` added (new response field)" },
  { name: "new response status", vendor: "smscx", mutate: (d) => (d.paths["/otp/{otpId}"].post.responses["409"] = { description: "Conflict" }), bump: "minor", line: "Operation `VerifyPin`: response 409 added (new response status)" },
  { name: "request constraint loosened (ttl maximum 1800 → 3600)", vendor: "smscx", mutate: (d) => (smscx(d).NewOtpRequest.properties.ttl.maximum = 3600), bump: "minor", line: "(widened input)" },
  { name: "response constraint tightened (remaining_retry minimum 0 → 1)", vendor: "ding", mutate: (d) => (ding(d).RetryAuthenticationResponse.properties.remaining_retry.minimum = 1), bump: "minor", line: "stricter response constraint" },
  { name: "webhook payload constraint tightened (the SDK's parser validates payloads)", vendor: "smscx", mutate: (d) => (smscx(d).CallBackRequestOtpUpdate.properties.data.maxItems = 100), bump: "major", line: "Webhook `otpUpdate`: payload field `data` `maxItems` is now 100 (was 200) (the webhook parser now rejects payloads it accepted: breaking)" },
  { name: "webhook payload constraint loosened", vendor: "smscx", mutate: (d) => delete smscx(d).CallBackRequestOtpUpdate.properties.data.maxItems, bump: "minor", line: "(looser constraint: the webhook parser accepts more)" },
  { name: "webhook payload field made optional", vendor: "ding", mutate: (d) => (ding(d).AttemptWebhookEvent.required = []), bump: "major", line: "webhook payload field made optional: breaking" },
  { name: "deprecation added", vendor: "smscx", mutate: (d) => (d.paths["/otp/{otpId}"].get.deprecated = true), bump: "minor", line: "Operation `GetOtpStatus`: deprecated (deprecation)" },
  { name: "schema moved into components: only a new exported type", vendor: "smscx", mutate: (d) => {
      smscx(d).OtpStatus = structuredClone(smscx(d).NewOtpResponse.properties.status);
      smscx(d).NewOtpResponse.properties.status = { $ref: "#/components/schemas/OtpStatus" };
    }, bump: "minor", line: "Type `OtpStatus`: added to the package's exports (new exported type)" },
  { name: "new error code without a type (Prelude's have none)", vendor: "prelude", mutate: (d) => d.paths["/v2/lookup/{phone_number}"].get["x-otpkit-error-codes"].push({ status: 400, code: "unsupported_country", description: "No lookup there" }), bump: "minor", line: "error code `unsupported_country` (status 400) added (new documented error)" },
  { name: "new response status beside error codes without a type", vendor: "prelude", mutate: (d) => (d.paths["/v2/lookup/{phone_number}"].get.responses["404"] = { description: "Not found" }), bump: "minor", line: "Operation `lookup`: response 404 added (new response status)" },
  { name: "new error code", vendor: "smscx", mutate: (d) => d.paths["/otp/{otpId}"].post["x-otpkit-error-codes"].push({ status: 400, code: 2032, type: "invalid_pin", description: "PIN locked" }), bump: "minor", line: "error code `2032` (status 400, `invalid_pin`) added (new documented error)" },

  // --- x-otpkit-* (SDK behaviour) ------------------------------------------------------------
  { name: "x-otpkit-costs-money removed", vendor: "equinix-metal", mutate: (d) => delete d.paths["/user/otp/sms/receive"].post["x-otpkit-costs-money"], bump: "minor", line: "Operation `receiveCodes`: no longer marked as billed" },
  { name: "x-otpkit-idempotent: true on a POST", vendor: "ding", mutate: (d) => (d.paths["/check"].post["x-otpkit-idempotent"] = true), bump: "minor", line: "now treated as idempotent" },
  { name: "x-otpkit-idempotent: false removed from a DELETE (same effective value)", vendor: "smscx", mutate: (d) => delete d.paths["/otp/{otpId}"].delete["x-otpkit-idempotent"], bump: "patch" },
  { name: "x-otpkit-outcome success value added", vendor: "ding", mutate: (d) => d.paths["/check"].post["x-otpkit-outcome"].success.push("already_validated"), bump: "major", line: "SDK behaviour: breaking" },
  { name: "x-otpkit-outcome success value removed", vendor: "smscx", mutate: (d) => (d.paths["/otp/{otpId}"].post["x-otpkit-outcome"].success = ["OK"]), bump: "major" },
  { name: "x-otpkit-client-option removed", vendor: "ding", mutate: (d) => delete ding(d).CreateCheckRequest.properties.customer_uuid["x-otpkit-client-option"], bump: "major", line: "no longer filled from the client's `customerUuid` option (client option removed: breaking)" },
  { name: "x-otpkit-header-role changed", vendor: "smscx", mutate: (d) => (d.components.headers["X-Rate-Limit-Reset"]["x-otpkit-header-role"] = "retry-after"), bump: "major", line: "Header `X-Rate-Limit-Reset`" },
  { name: "x-otpkit-error-fields code pointer changed", vendor: "smscx", mutate: (d) => (d["x-otpkit-error-fields"].code = "/error/status"), bump: "major" },
  {
    name: "x-otpkit-not-sent answer added",
    vendor: "smscx",
    mutate: (d) => d.paths["/otp"].post["x-otpkit-not-sent"].push({ status: 400, code: 2003, reason: "invalid_number", description: "d", source: "s" }),
    bump: "minor",
    line: "Operation `NewOtp`: `x-otpkit-not-sent`: HTTP 400 code 2003 added (`invalid_number`): `notSentAnswers` lists it, and @otpkit/verify now tries its next provider after it (SDK behaviour)",
  },
  {
    name: "x-otpkit-not-sent added to a billed operation that had none",
    vendor: "equinix-metal",
    mutate: (d) => (d.paths["/user/otp/sms/receive"].post["x-otpkit-not-sent"] = [{ status: 401, reason: "bad_credentials", description: "d", source: "s" }]),
    bump: "minor",
    line: "Operation `receiveCodes`: `x-otpkit-not-sent`: HTTP 401 added (`bad_credentials`)",
  },
  {
    name: "x-otpkit-not-sent answer removed",
    vendor: "ding",
    mutate: (d) => (d.paths["/authentication"].post["x-otpkit-not-sent"] = d.paths["/authentication"].post["x-otpkit-not-sent"].filter((a: Doc) => a.outcome !== "spam_detected")),
    bump: "major",
    line: "Operation `create-authentication`: `x-otpkit-not-sent`: HTTP 200 outcome spam_detected (`spam_detected`) removed: @otpkit/verify now stops after it instead of trying its next provider (SDK behaviour: breaking)",
  },
  { name: "x-otpkit-not-sent removed from an operation", vendor: "ding", mutate: (d) => delete d.paths["/retry"].post["x-otpkit-not-sent"], bump: "major", line: "Operation `retry`: `x-otpkit-not-sent`: HTTP 200 outcome denied (`retry_denied`) removed" },
  {
    name: "x-otpkit-not-sent reason changed",
    vendor: "smscx",
    mutate: (d) => (d.paths["/otp"].post["x-otpkit-not-sent"].find((a: Doc) => a.status === 401).reason = "account_suspended"),
    bump: "major",
    line: "`x-otpkit-not-sent`: HTTP 401 now has reason `account_suspended` (was `bad_credentials`)",
  },
  { name: "x-otpkit-not-sent source reworded", vendor: "ding", mutate: (d) => (d.paths["/authentication"].post["x-otpkit-not-sent"][0].source = "Prelude docs"), bump: "patch", line: "`x-otpkit-not-sent`: description or source of HTTP 400 code invalid_phone_number changed (documentation)" },

  // --- patch ----------------------------------------------------------------------------------
  { name: "operation description", vendor: "smscx", mutate: (d) => (d.paths["/otp"].post.description += "\nMore text."), bump: "patch", line: "Operation `NewOtp`: description changed (documentation)" },
  { name: "operation summary", vendor: "ding", mutate: (d) => (d.paths["/check"].post.summary = "Check the code a user typed"), bump: "patch", line: "Operation `check`: summary changed (documentation)" },
  { name: "response example value", vendor: "smscx", mutate: (d) => (d.paths["/otp/{otpId}"].post.responses["200"].content["application/json"].examples.verified.summary = "The PIN is right"), bump: "patch", line: "examples changed (changed `verified`)" },
  { name: "field description in a shared schema", vendor: "smscx", mutate: (d) => (smscx(d).DataOtp.properties.ttl.description = "Seconds."), bump: "patch" },
  { name: "x-otpkit-disagreement note", vendor: "ding", mutate: (d) => (d["x-otpkit-disagreement"].reason = "Because."), bump: "patch" },
  { name: "vendor API version", vendor: "smscx", mutate: (d) => (d.info.version = "1.0.3"), bump: "patch", line: "API: vendor API version is now `1.0.3` (was `1.0.2`) (documentation)" },
  { name: "deprecation removed", vendor: "ding", mutate: (d) => delete d.paths["/check"].post.deprecated, bump: "patch" },
];

describe("classifySpecChange: mutation table", () => {
  test("the table covers at least 25 mutations and every bump", () => {
    expect(rows.length).toBeGreaterThanOrEqual(25);
    for (const bump of ["major", "minor", "patch", "none"]) expect(rows.some((r) => r.bump === bump)).toBe(true);
  });

  test.each(rows.map((row) => [row.name, row] as const))("%s", (_name, row) => {
    const before = spec(row.vendor);
    const after = structuredClone(before) as Doc;
    row.mutate(after);
    const result = classifySpecChange(before, after as OpenApiDocument);
    const lines = describeChanges(result.changes).map((e) => `- ${e.line}`);
    expect(result.bump ?? "none", lines.join("\n")).toBe(row.bump);
    if (row.line) {
      const text = lines.join("\n");
      if (typeof row.line === "string") expect(text).toContain(row.line);
      else expect(text).toMatch(row.line);
    }
    // Mutations never touch the cached originals.
    expect(classifySpecChange(before, spec(row.vendor)).changes).toEqual([]);
  });
});

describe("classification details", () => {
  test("both directions of an enum change are reported separately, request and response", () => {
    const before = spec("ding");
    const after = structuredClone(before) as Doc;
    after.components.schemas.CreateAuthenticationRequest.properties.device_type.enum = ["IOS", "ANDROID", "TVOS"]; // -WEB +TVOS
    const lines = describeChanges(classifySpecChange(before, after).changes).map((e) => `[${e.bump}] ${e.line}`);
    expect(lines).toContain("[major] Operation `create-authentication`: request field `device_type` enum value `WEB` removed (removed input value: breaking)");
    expect(lines).toContain("[minor] Operation `create-authentication`: request field `device_type` enum value `TVOS` added (new enum value in a request)");
  });

  test("a change in a schema used twice names both places", () => {
    const before = spec("smscx");
    const after = structuredClone(before) as Doc;
    delete after.components.schemas.DataOtp.properties.cost;
    const [entry] = describeChanges(classifySpecChange(before, after).changes);
    expect(entry?.line).toBe("Schema `DataOtp` field `cost` (used in `GetOtpStatus` response 200, webhook `otpUpdate` payload): removed (removed from a response or webhook payload: breaking)");
  });

  test("a new spec is a new package: a minor release listing its operations", () => {
    const result = classifyNewSpec(spec("equinix-metal"));
    expect(result.bump).toBe("minor");
    expect(describeChanges(result.changes, { reasons: false }).map((e) => e.line)).toEqual([
      "Operation `findEnsureOtp`: `POST /user/otp/verify/{otp}`: Verify an OTP for the current user",
      "Operation `findRecoveryCodes`: `GET /user/otp/recovery-codes`: List the current user's recovery codes",
      "Operation `regenerateCodes`: `POST /user/otp/recovery-codes`: Regenerate the current user's recovery codes",
      "Operation `receiveCodes`: `POST /user/otp/sms/receive`: Send an OTP to the current user's phone by SMS",
    ]);
  });
});

describe("0.x mapping and the changeset text", () => {
  test("a breaking change is a minor release while 0.x, a major one from 1.0", () => {
    expect(releaseTypeFor("major", "0.0.0")).toBe("minor");
    expect(releaseTypeFor("major", "0.4.2")).toBe("minor");
    expect(releaseTypeFor("major", "1.0.0")).toBe("major");
    expect(releaseTypeFor("minor", "0.4.2")).toBe("minor");
    expect(releaseTypeFor("patch", "0.4.2")).toBe("patch");
  });

  test("the changeset is standard changesets markdown, with the 0.x note and one bullet per change", () => {
    const before = spec("smscx");
    const after = structuredClone(before) as Doc;
    after.components.schemas.VerifyPinRequest.properties.pin.maxLength = 10;
    after.paths["/otp"].post.summary = "Send an OTP";
    const input = { vendor: "smscx", specFile: "specs/smscx.yaml", packageName: "@otpkit/smscx", title: "SMS.cx OTP API", status: "changed" as const, classification: classifySpecChange(before, after) };
    const zero = renderChangeset({ ...input, packageVersion: "0.3.1" });
    expect(zero.releaseType).toBe("minor");
    expect(zero.fileName).toMatch(/^spec-smscx-[0-9a-f]{8}\.md$/);
    expect(zero.content).toBe(
      [
        "---",
        '"@otpkit/smscx": minor',
        "---",
        "",
        "SMS.cx OTP API changes from `specs/smscx.yaml`: 1 breaking change, 1 documentation change.",
        "",
        'Breaking changes are released as a minor version while `@otpkit/smscx` is 0.x (0.y.z → 0.(y+1).0), so `^0.y.z` ranges do not pick them up; check the items marked "breaking" before you upgrade.',
        "",
        "Vendor API:",
        "",
        "- Operation `VerifyPin`: request field `pin` now has `maxLength: 10` (narrowed input: breaking)",
        "",
        "Documentation (TSDoc and examples):",
        "",
        "- Operation `NewOtp`: summary changed (documentation)",
        "",
      ].join("\n"),
    );
    const one = renderChangeset({ ...input, packageVersion: "1.2.0" });
    expect(one.releaseType).toBe("major");
    expect(one.content).not.toContain("0.x");
    // Same content, same name: re-running never duplicates.
    expect(renderChangeset({ ...input, packageVersion: "0.3.1" }).fileName).toBe(zero.fileName);
  });
});
