/**
 * Loopback hosts, as a URL's `hostname` spells them: 127.x.x.x, [::1] and localhost. The places
 * that must never reach past this machine (the consumer suite's registry, the demo's
 * `--mock-server`) accept only these.
 */
const LOOPBACK_HOSTS = /^(127(\.\d{1,3}){3}|\[::1\]|localhost)$/;

export const isLoopbackHost = (hostname: string): boolean => LOOPBACK_HOSTS.test(hostname);
