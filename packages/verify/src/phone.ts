/** E.164: `+`, a country code that does not start with 0, up to 15 digits in all. */
export const E164 = /^\+[1-9]\d{1,14}$/;
