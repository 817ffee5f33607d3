/**
 * Terminal styling without a dependency: ANSI codes when colour is on, plain text otherwise, and
 * the helpers that keep columns aligned (padding is measured on the text, before any colour).
 */

export interface Style {
  readonly colour: boolean;
  /** Columns to lay out for: the terminal's width, or 100 when stdout is not a terminal. */
  readonly width: number;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Colour is on when FORCE_COLOR is set to anything but 0/false, off when FORCE_COLOR is 0/false or
 * NO_COLOR is set (https://no-color.org), and otherwise on exactly when stdout is a terminal.
 */
export function colourWanted(env: Env, isTTY: boolean): boolean {
  const force = env["FORCE_COLOR"];
  if (force !== undefined && force !== "") return !/^(0|false)$/i.test(force);
  if (env["NO_COLOR"]) return false;
  return isTTY && env["TERM"] !== "dumb";
}

const wrap = (on: boolean, open: number, close: number) => (text: string) => (on && text ? `\x1b[${open}m${text}\x1b[${close}m` : text);

export function createStyle(env: Env = process.env, stdout: { isTTY?: boolean; columns?: number } = process.stdout): Style {
  const colour = colourWanted(env, stdout.isTTY === true);
  const columns = stdout.isTTY && stdout.columns ? stdout.columns : 100;
  return {
    colour,
    width: Math.max(60, Math.min(columns, 120)),
    bold: wrap(colour, 1, 22),
    dim: wrap(colour, 2, 22),
    red: wrap(colour, 31, 39),
    green: wrap(colour, 32, 39),
    yellow: wrap(colour, 33, 39),
    cyan: wrap(colour, 36, 39),
  };
}

/** `text` cut to `width` characters, with an ellipsis when something was cut. */
export const fit = (text: string, width: number): string => (text.length <= width ? text : text.slice(0, Math.max(0, width - 1)) + "…");

export const padEnd = (text: string, width: number): string => fit(text, width).padEnd(width);
export const padStart = (text: string, width: number): string => fit(text, width).padStart(width);

/** Splits `text` into lines of at most `width` characters, at spaces where possible. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ")) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = "";
      }
      line = line ? `${line} ${word}` : word;
      while (line.length > width) {
        lines.push(line.slice(0, width));
        line = line.slice(width);
      }
    }
    lines.push(line);
  }
  return lines;
}

/**
 * Joins `fields` with " · " into lines of at most `width` characters, breaking between fields
 * (and inside a field only when it is longer than a line on its own).
 */
export function wrapFields(fields: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const field of fields) {
    if (line && line.length + 3 + field.length <= width) {
      line += ` · ${field}`;
      continue;
    }
    if (line) lines.push(line);
    const parts = wrapText(field, width);
    line = parts.pop() ?? "";
    lines.push(...parts);
  }
  if (line) lines.push(line);
  return lines;
}

/** "12 ms", "1.4 s". */
export const duration = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

/** "1 retry", "3 requests". */
export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;
