/** Ids and codes from the mock's random source (Math.random unless the test passes a seeded one). */

export interface MockRandom {
  uuid(): string;
  code(length: number, alphabet?: string): string;
}

const HEX = "0123456789abcdef";

export function createRandom(random: () => number): MockRandom {
  // A source that returns 1 (or more) must not index past the alphabet.
  const pick = (alphabet: string) => alphabet[Math.min(alphabet.length - 1, Math.floor(random() * alphabet.length))]!;
  const code = (length: number, alphabet = "0123456789") => Array.from({ length }, () => pick(alphabet)).join("");
  return {
    code,
    // RFC 9562 layout of a version 4 UUID: version nibble 4, variant bits 10.
    uuid: () => `${code(8, HEX)}-${code(4, HEX)}-4${code(3, HEX)}-${pick("89ab")}${code(3, HEX)}-${code(12, HEX)}`,
  };
}
