/**
 * Everything the demo prints: the banner, one row per step (with its key fields underneath), and
 * the summary table. Rows are written as soon as a step ends. In live mode every line goes through
 * the scrubber, so no credential can reach the terminal even if a message carried one.
 */
import { duration, padEnd, padStart, plural, wrapFields, wrapText, type Style } from "./style.ts";

export type Result = "ok" | "unexpected" | "skipped";

export interface StepRow {
  readonly vendor: string;
  readonly op: string;
  /** The spec says the operation costs money. */
  readonly costly: boolean;
  readonly expected: string;
  readonly result: Result;
  /** HTTP status of the last answer, if one arrived. */
  readonly status?: number;
  readonly ms?: number;
  readonly retries: number;
  /** HTTP requests the step sent (retries included), counted by the demo's fetch. */
  readonly requests: number;
  /** Key fields, or why the step was unexpected or skipped. */
  readonly details: readonly string[];
  /** For an unexpected step: what was expected and what happened instead. */
  readonly problem?: string;
}

export interface VendorResult {
  readonly name: string;
  readonly rows: readonly StepRow[];
}

// Column widths: a row that ends in "ok" is 79 characters wide, one that ends in "unexpected" 87
// (OP fits listPhoneVerificationsAll).
const OP = 25;
const EXPECTED = 28;
const HTTP = 4;
const MS = 5;
const RETRIES = 7;
/** Key fields and messages wrap at this width (or the terminal's, when narrower). */
const DETAILS = 100;

export class Report {
  constructor(
    private readonly style: Style,
    private readonly write: (text: string) => void,
    private readonly scrub: (text: string) => string = (text) => text,
  ) {}

  line(text = ""): void {
    this.write(this.scrub(text) + "\n");
  }

  /** Text without a line break (a line finished later). */
  part(text: string): void {
    this.write(this.scrub(text));
  }

  heading(text: string): void {
    this.line(this.style.bold(text));
  }

  note(text: string): void {
    for (const line of wrapText(text, Math.min(this.style.width, DETAILS))) this.line(this.style.dim(line));
  }

  columns(): void {
    const { dim } = this.style;
    this.line(
      dim(`  ${padEnd("step", OP)} ${padEnd("expected", EXPECTED)} ${padStart("HTTP", HTTP)} ${padStart("ms", MS)} ${padStart("retries", RETRIES)}  result`),
    );
  }

  vendor(name: string, packageName: string, where: string): void {
    this.line();
    this.line(`${this.style.bold(name)}  ${this.style.dim(`${packageName} · ${where}`)}`);
  }

  step(row: StepRow): void {
    const { style } = this;
    const marker = row.costly ? " $" : "";
    let op = padEnd(row.op + marker, OP);
    if (row.costly) op = op.replace(" $", ` ${style.yellow("$")}`);
    const result = row.result === "ok" ? style.green("ok") : row.result === "skipped" ? style.yellow("skipped") : style.red(style.bold("unexpected"));
    const ms = row.ms === undefined ? "" : String(Math.round(row.ms));
    const retries = row.ms === undefined ? "" : String(row.retries);
    this.line(
      `  ${op} ${padEnd(row.expected, EXPECTED)} ${padStart(row.status === undefined ? "–" : String(row.status), HTTP)} ${padStart(ms, MS)} ${padStart(retries, RETRIES)}  ${result}`,
    );
    const indent = "    ";
    const width = Math.min(style.width, DETAILS) - indent.length;
    if (row.problem) for (const line of wrapText(row.problem, width)) this.line(indent + style.red(line));
    for (const line of wrapFields(row.details, width)) this.line(indent + style.dim(line));
  }

  summary(results: readonly VendorResult[]): void {
    const { style } = this;
    const count = (rows: readonly StepRow[]) => ({
      steps: rows.length,
      ok: rows.filter((r) => r.result === "ok").length,
      unexpected: rows.filter((r) => r.result === "unexpected").length,
      skipped: rows.filter((r) => r.result === "skipped").length,
      requests: rows.reduce((n, r) => n + r.requests, 0),
      retries: rows.reduce((n, r) => n + r.retries, 0),
      ms: rows.reduce((n, r) => n + (r.ms ?? 0), 0),
    });
    const name = Math.max(13, ...results.map((r) => r.name.length));
    const header = ["steps", "ok", "unexpected", "skipped", "requests", "retries", "ms"];
    const cells = (label: string, c: ReturnType<typeof count>) =>
      `  ${padEnd(label, name)}` +
      [c.steps, c.ok, c.unexpected, c.skipped, c.requests, c.retries, Math.round(c.ms)].map((v, i) => ` ${padStart(String(v), Math.max(5, header[i]!.length))}`).join("");
    this.line();
    this.heading("Summary");
    this.line(style.dim(`  ${padEnd("vendor", name)}${header.map((h) => ` ${padStart(h, Math.max(5, h.length))}`).join("")}`));
    for (const result of results) {
      const c = count(result.rows);
      const line = cells(result.name, c);
      this.line(c.unexpected ? style.red(line) : line);
    }
    if (results.length > 1) this.line(style.bold(cells("total", count(results.flatMap((r) => r.rows)))));
  }

  /** The closing verdict: every step as expected, or which ones were not. */
  verdict(results: readonly VendorResult[]): void {
    const { style } = this;
    const rows = results.flatMap((r) => r.rows);
    const unexpected = rows.filter((r) => r.result === "unexpected");
    const skipped = rows.filter((r) => r.result === "skipped").length;
    const requests = rows.reduce((n, r) => n + r.requests, 0);
    const retries = rows.reduce((n, r) => n + r.retries, 0);
    const ms = rows.reduce((n, r) => n + (r.ms ?? 0), 0);
    const tail = `(${plural(requests, "HTTP request")}, ${plural(retries, "retry", "retries")}, ${duration(ms)})`;
    this.line();
    if (unexpected.length) {
      // A flow may call one method several times (SMS.cx cancelOtp, refused and then done): each
      // step is named with what it expected, as in its row.
      const text = `${plural(unexpected.length, "step")} did not behave as expected ${tail}: ${unexpected.map((r) => `${r.vendor} ${r.op} (${r.expected})`).join(", ")}.`;
      for (const line of wrapText(text, Math.min(style.width, DETAILS))) this.line(style.red(style.bold(line)));
    } else {
      const done = rows.length - skipped;
      const verdict = skipped ? `${plural(done, "step")} ran, and behaved as expected` : `All ${plural(done, "step")} behaved as expected`;
      this.line(style.green(style.bold(verdict)) + ` ${tail}${skipped ? `; ${skipped} skipped` : ""}.`);
    }
  }
}
