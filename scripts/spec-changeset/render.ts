/**
 * Turns a classification into what humans read: one line per change, the changeset summary, and
 * the changeset file (standard changesets markdown with front matter) with its stable name.
 */
import { createHash } from "node:crypto";
import { BUMP_RANK, type Bump, type Change, type ChangeKind, type Classification } from "./classify.ts";

export interface Entry {
  bump: Bump;
  kind: ChangeKind;
  line: string;
}

const MAX_USAGES = 3;
/** The read-position nouns the classifier puts into reasons (`noun` in classify/judgements.ts). */
const NOUNS = /webhook payload|response(?!-)/g;
const MAX_OPERATIONS = 6;

/**
 * One line per distinct change. A change inside a shared component (a schema, response, header
 * or parameter used in several places) is reported once, on the component, with the places that
 * use it; a change reached through a single place is reported on that place's operation.
 */
export function describeChanges(changes: Change[], options: { reasons?: boolean } = {}): Entry[] {
  const reason = (c: Change) => (options.reasons === false ? "" : ` (${c.reason})`);
  const groups = new Map<string, { first: Change; usages: { op: string; at: string }[]; reasons: Set<string>; order: number }>();
  changes.forEach((change, order) => {
    // A shared schema read both by a response and by a webhook payload is one change.
    const reasonKey = change.reason.replace(NOUNS, "\u0001");
    const key = change.component
      ? ["c", change.component.label, change.component.where, change.text, reasonKey, change.bump, change.kind].join("\u0000")
      : ["s", change.subject, change.where, change.text, change.reason, change.bump, change.kind].join("\u0000");
    const group = groups.get(key) ?? { first: change, usages: [], reasons: new Set<string>(), order };
    group.reasons.add(change.reason);
    const usage = change.usage;
    if (usage && !group.usages.some((u) => u.op === usage.op && u.at === usage.at)) group.usages.push(usage);
    groups.set(key, group);
  });
  const entries = [...groups.values()].map(({ first: original, usages, reasons, order }) => {
    const first = reasons.size > 1 ? { ...original, reason: original.reason.replace(NOUNS, "response or webhook payload") } : original;
    let line: string;
    if (first.component && usages.length > 1) {
      const where = first.component.where ? ` ${first.component.where}` : "";
      line = `${first.component.label}${where} (used in ${describeUsages(usages)}): ${first.text}${reason(first)}`;
    } else {
      line = `${first.subject}: ${first.where ? `${first.where} ` : ""}${first.text}${reason(first)}`;
    }
    return { bump: first.bump, kind: first.kind, line, order };
  });
  entries.sort((a, b) => BUMP_RANK[b.bump] - BUMP_RANK[a.bump] || a.order - b.order);
  return entries.map(({ bump, kind, line }) => ({ bump, kind, line }));
}

/** "`GetOtpStatus` response 200, webhook `otpUpdate` payload", or "26 places across `NewOtp`, ...". */
function describeUsages(usages: { op: string; at: string }[]): string {
  const one = (u: { op: string; at: string }) => (u.at ? `${u.op} ${u.at}` : u.op);
  if (usages.length <= MAX_USAGES) return usages.map(one).join(", ");
  const ops = [...new Set(usages.map((u) => u.op))];
  const shown = ops.slice(0, MAX_OPERATIONS).join(", ");
  const more = ops.length > MAX_OPERATIONS ? ` and ${ops.length - MAX_OPERATIONS} more` : "";
  return `${usages.length} places across ${shown}${more}`;
}

/**
 * The bump written into the changeset. While a package is 0.x, a breaking change is released as
 * a minor bump (0.y.z → 0.(y+1).0; `^0.y.z` ranges never pick it up), because changesets would
 * turn a "major" on a 0.x package into 1.0.0. Leaving 0.x is a decision for a human: write a
 * `major` changeset by hand. Additions and fixes keep their bump.
 */
export function releaseTypeFor(bump: Bump, currentVersion: string): Bump {
  const major = Number(/^(\d+)\./.exec(currentVersion)?.[1] ?? "0");
  return major === 0 && bump === "major" ? "minor" : bump;
}

export interface ChangesetInput {
  /** Spec file stem, e.g. `smscx`. */
  vendor: string;
  /** Repository-relative spec path, e.g. `specs/smscx.yaml`. */
  specFile: string;
  packageName: string;
  packageVersion: string;
  /** `info.title` of the spec. */
  title: string;
  /** `info.version` of the new spec. */
  apiVersion?: string | undefined;
  classification: Classification;
  status: "changed" | "new" | "removed";
}

export interface RenderedChangeset {
  releaseType: Bump;
  entries: Entry[];
  summary: string;
  content: string;
  fileName: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function renderChangeset(input: ChangesetInput): RenderedChangeset {
  const { classification, packageName, packageVersion } = input;
  const bump = classification.bump ?? "patch";
  const releaseType = input.status === "new" ? "minor" : releaseTypeFor(bump, packageVersion);
  // A new package lists what it covers; every entry would say "new operation".
  const entries = describeChanges(classification.changes, { reasons: input.status !== "new" });
  const lines: string[] = [];

  if (input.status === "new") {
    const ops = entries.filter((e) => e.line.startsWith("Operation")).length;
    const hooks = entries.length - ops;
    lines.push(
      `${input.title}${input.apiVersion ? ` ${input.apiVersion}` : ""}: first release of the client generated from \`${input.specFile}\`, with ${plural(ops, "operation")}${hooks ? ` and ${plural(hooks, "webhook")}` : ""}.`,
      "",
      `A new package is a minor release (0.0.0 → 0.1.0): a patch (0.0.1) would leave \`^0.0.1\` ranges matching nothing newer, and 1.0.0 would promise a stable API before it has seen use.`,
    );
  } else {
    const counts = { major: 0, minor: 0, patch: 0 };
    for (const e of entries) counts[e.bump]++;
    const parts = [
      counts.major ? plural(counts.major, "breaking change") : "",
      counts.minor ? plural(counts.minor, "non-breaking change") : "",
      counts.patch ? plural(counts.patch, "documentation change") : "",
    ].filter(Boolean);
    lines.push(`${input.title} changes from \`${input.specFile}\`: ${parts.join(", ")}.`);
    if (bump === "major" && releaseType !== "major") {
      lines.push(
        "",
        `Breaking changes are released as a minor version while \`${packageName}\` is 0.x (0.y.z → 0.(y+1).0), so \`^0.y.z\` ranges do not pick them up; check the items marked "breaking" before you upgrade.`,
      );
    }
  }

  const section = (title: string, picked: Entry[]) => {
    if (!picked.length) return;
    lines.push("", `${title}:`, "", ...picked.map((e) => `- ${e.line}`));
  };
  section(input.status === "new" ? "Vendor API (what the client covers)" : "Vendor API", entries.filter((e) => e.kind === "api"));
  section("SDK", entries.filter((e) => e.kind === "sdk"));
  section("Documentation (TSDoc and examples)", entries.filter((e) => e.kind === "docs"));

  const summary = lines.join("\n");
  const content = `---\n${JSON.stringify(packageName)}: ${releaseType}\n---\n\n${summary}\n`;
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 8);
  return { releaseType, entries, summary, content, fileName: changesetFileName(input.vendor, hash) };
}

export function changesetFileName(vendor: string, hash: string): string {
  return `spec-${vendor}-${hash}.md`;
}

/** Matches the changesets this tool writes for one vendor. */
export function isSpecChangesetFor(vendor: string, fileName: string): boolean {
  return new RegExp(`^spec-${vendor.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-[0-9a-f]{8}\\.md$`).test(fileName);
}
