#!/usr/bin/env node
// The Prism host: one process that serves several Prism mocks and proxies, each on its own
// loopback port, started by ./host.ts (for the test run's broker, ./shared.ts). Loading Prism takes
// about 2 s of CPU and a spec about 0.1 s, so a test run that needs eight servers (a mock of every
// spec, and a proxy in front of every in-process mock) loads Prism once instead of eight times.
//
// Each server is made by `createSingleProcessPrism`, the function `prism mock <spec>` and
// `prism proxy <spec> <upstream>` call, with the options their command lines give by default
// (CORS on, static examples, `--errors` unless told otherwise), on 127.0.0.1 and the port the
// parent found free, and
// with `-v warn`: Prism still logs every violation and every failed request, but not the lines of
// every request, which cost it more CPU than validating the answers (0.8 s against 0.6 s for one
// vendor's suites). What the command adds and a test run does not need is left out: the file
// watcher that restarts Prism when the spec changes.
//
// Written in plain JavaScript so that node runs it without a TypeScript loader (tsx would add about
// 1 s of CPU to every start). Its parent talks to it over the IPC channel:
//   { id, serve: { spec, port, upstream?, errors, validateRequest } } → { id, url } or { id, error }
//   { id, close: url }                                         → { id } once that server is closed
// Prism logs to this process's stdout, which the parent keeps. The host exits when its parent
// disconnects (the parent exited, however it died), and the watchdog the parent arms kills it
// even if it cannot run that handler.
"use strict";
const { createSingleProcessPrism } = require("@stoplight/prism-cli/dist/util/createServer");

/** @type {Map<string, { close(): Promise<void> }>} */
const servers = new Map();

/** The options `prism mock` / `prism proxy` pass to createSingleProcessPrism, with their defaults. */
function cliOptions({ spec, port, upstream, errors, validateRequest }) {
  const options = {
    document: spec,
    host: "127.0.0.1",
    port,
    cors: true,
    multiprocess: false,
    errors,
    verboseLevel: "warn",
    dynamic: false,
    ignoreExamples: false,
    seed: null,
    jsonSchemaFakerFillProperties: undefined,
  };
  return upstream ? { ...options, upstream: new URL(upstream), validateRequest, upstreamProxy: undefined } : options;
}

async function serve(request) {
  const server = await createSingleProcessPrism(cliOptions(request)).catch((error) => {
    // Prism rejects with the bare message when the port is taken (the parent then tries another).
    throw new Error(error instanceof Error ? error.message : String(error));
  });
  const url = `http://127.0.0.1:${request.port}`;
  servers.set(url, server);
  return url;
}

async function close(url) {
  const server = servers.get(url);
  servers.delete(url);
  if (server) await server.close();
}

process.on("message", (message) => {
  const { id } = message;
  const work = message.serve ? serve(message.serve).then((url) => ({ id, url })) : close(message.close).then(() => ({ id }));
  work.then(
    (reply) => process.send?.(reply),
    (error) => process.send?.({ id, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on("disconnect", () => process.exit(0));
process.send?.({ ready: true });
