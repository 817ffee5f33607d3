"use strict";
/**
 * otpkit's changelog format for changesets (`.changeset/config.json`):
 *
 *   "changelog": ["../scripts/spec-changeset/changelog.cjs", { "commits": true }]
 *
 * Each entry says whether it is a change of the vendor API (a changeset written by
 * `pnpm spec:changeset`, file `spec-<vendor>-<hash>.md`) or of the SDK itself (any changeset a
 * human wrote, and dependency updates such as a new `@otpkit/runtime`), so a package's
 * CHANGELOG.md answers both "what did the vendor change?" and "what did the client change?".
 *
 * A hand-written summary may start with "Vendor API:" or "SDK:" itself to choose its label.
 * Option `commits` (default true) appends the short hash of the commit that added the changeset.
 *
 * Plain CommonJS without dependencies: changesets `require()`s it from `.changeset/`.
 */

const SPEC_CHANGESET_ID = /^spec-[a-z0-9][a-z0-9._-]*-[0-9a-f]{8}$/;
const OWN_LABEL = /^(?:\*\*)?(Vendor API|SDK)(?::\*\*|\*\*:|:)\s*/;
/** Section titles of spec changesets ("Vendor API:", "SDK:", "Documentation (...):"). */
const SECTION_TITLE = /^(Vendor API|SDK|Documentation)( \([^)]*\))?:$/;

function labelOf(changeset) {
  return SPEC_CHANGESET_ID.test(changeset.id) ? "Vendor API" : "SDK";
}

function trimBlankEdges(lines) {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start].trim() === "") start++;
  while (end > start && lines[end - 1].trim() === "") end--;
  return lines.slice(start, end);
}

async function getReleaseLine(changeset, _type, options) {
  const lines = trimBlankEdges(changeset.summary.split("\n").map((line) => line.replace(/\s+$/, "")));
  // The first paragraph (hand-written summaries wrap it over several lines) is the entry itself;
  // what follows a blank line is its body.
  const blank = lines.findIndex((line) => line.trim() === "");
  const paragraph = blank < 0 ? lines : lines.slice(0, blank);
  const rest = blank < 0 ? [] : lines.slice(blank + 1);
  const first = paragraph[0] || "";
  const withCommit = !(options && options.commits === false) && changeset.commit;
  const commit = withCommit ? ` (${changeset.commit.slice(0, 7)})` : "";
  const own = OWN_LABEL.exec(first);
  const head = own ? `**${own[1]}:** ${first.slice(own[0].length)}` : `**${labelOf(changeset)}:** ${first}`;
  let entry = `- ${[head, ...paragraph.slice(1)].join("\n  ")}${commit}`;
  const body = trimBlankEdges(rest).map((line) => (SECTION_TITLE.test(line) ? `**${line.slice(0, -1)}**` : line));
  if (body.length) entry += `\n\n${body.map((line) => (line ? `  ${line}` : "")).join("\n")}\n`;
  return entry;
}

async function getDependencyReleaseLine(_changesets, dependenciesUpdated) {
  if (dependenciesUpdated.length === 0) return "";
  const list = dependenciesUpdated.map((dep) => `\`${dep.name}@${dep.newVersion}\``).join(", ");
  const their = dependenciesUpdated.length === 1 ? "its" : "their";
  return `- **SDK:** now uses ${list}; see ${their} CHANGELOG for what changed.`;
}

module.exports = { getReleaseLine, getDependencyReleaseLine };
