/**
 * Faults through msw 2.x (`http.all(url, ({ request }) => mock.handle(request))`), as an app's tests
 * use them with their own client on the global fetch: a hang ends with the client's timeout and a
 * reset is a failed fetch, each judged by the runtime's retry rules (a GET is retried, a billed POST
 * is not), and msw itself reports nothing (a handler that throws would be an error to msw).
 */
import { http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect, test, vi } from "vitest";
import { ConnectionError, createSmscxClient, TimeoutError } from "@otpkit/smscx";
import { createSmscxMock } from "@otpkit/smscx/testing";

const mock = createSmscxMock({ faults: { NewOtp: { answer: "hang", times: 1 }, GetOtpStatus: { answer: "reset", times: 1 }, CancelOtp: { answer: "reset", times: 1 } } });
const server = setupServer(http.all("https://api.sms.cx/*", ({ request }) => mock.handle(request)));
const smscx = createSmscxClient({ apiKey: "test", retry: { baseDelay: 1, maxDelay: 1 } });
const errors = vi.spyOn(console, "error");
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => errors.mockClear());
afterAll(() => server.close());

test("a hang on a billed POST ends with the client's timeout, sent once; a reset on a GET is retried, on a DELETE it is not", async () => {
  expect(await smscx.newOtp({ phoneNumber: "+33612246400" }, { timeout: 100 }).catch((e: unknown) => e)).toBeInstanceOf(TimeoutError);
  const { otpId } = await smscx.newOtp({ phoneNumber: "+33612246400" });
  expect((await smscx.getOtpStatus({ otpId }).withMetadata()).metadata.attempts).toBe(2);
  const reset = await smscx.cancelOtp({ otpId }).catch((e: unknown) => e);
  expect(reset instanceof ConnectionError && reset.requestSent).toBe(true);
  expect(mock.requests.map((r) => [r.operationId, r.status])).toEqual([
    ["NewOtp", undefined],
    ["NewOtp", 201],
    ["GetOtpStatus", undefined],
    ["GetOtpStatus", 200],
    ["CancelOtp", undefined],
  ]);
  expect(errors).not.toHaveBeenCalled();
});
