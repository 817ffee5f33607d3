/**
 * The changesets added or edited since a base commit (what `changeset status --since` counts,
 * plus files git does not track yet), parsed with changesets' own parser.
 */
import parseChangeset from "@changesets/parse";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { changedFilesSince } from "./git.ts";

export interface PendingChangeset {
  /** Repository-relative path, e.g. `.changeset/spec-smscx-1a2b3c4d.md`. */
  file: string;
  releases: { name: string; type: string }[];
  summary: string;
  /** Set when the file cannot be parsed. */
  error?: string;
}

export function changesetsSince(root: string, baseCommit: string, changedFiles = changedFilesSince(root, baseCommit)): PendingChangeset[] {
  return changedFiles
    .filter((f) => /^\.changeset\/[^/]+\.md$/.test(f) && !/README\.md$/i.test(f) && existsSync(path.join(root, f)))
    .map((file) => {
      try {
        const parsed = parseChangeset(readFileSync(path.join(root, file), "utf8"));
        return { file, releases: parsed.releases, summary: parsed.summary };
      } catch (error) {
        return { file, releases: [], summary: "", error: (error as Error).message };
      }
    });
}
