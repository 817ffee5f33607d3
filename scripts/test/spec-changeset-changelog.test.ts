/**
 * The changelog module changesets loads from `.changeset/config.json`: vendor API entries (spec
 * changesets) and SDK entries (everything else) are labelled, section titles are bold.
 */
import { createRequire } from "node:module";
import { describe, expect, test } from "vitest";

interface ReleaseLineChangeset {
  id: string;
  summary: string;
  releases: { name: string; type: string }[];
  commit?: string;
}
interface ChangelogModule {
  getReleaseLine(changeset: ReleaseLineChangeset, type: string, options: Record<string, unknown> | null): Promise<string>;
  getDependencyReleaseLine(changesets: ReleaseLineChangeset[], deps: { name: string; newVersion: string }[], options: Record<string, unknown> | null): Promise<string>;
}
const changelog = createRequire(import.meta.url)("../spec-changeset/changelog.cjs") as ChangelogModule;

const specSummary = [
  "SMS.cx OTP API changes from `specs/smscx.yaml`: 1 breaking change.",
  "",
  "Vendor API:",
  "",
  "- Operation `VerifyPin`: request field `pin` now has `maxLength: 10` (narrowed input: breaking)",
].join("\n");

describe("changelog.cjs", () => {
  test("a spec changeset is a vendor API entry with its sections", async () => {
    const line = await changelog.getReleaseLine({ id: "spec-smscx-1a2b3c4d", summary: specSummary, releases: [], commit: "0123456789abcdef" }, "minor", null);
    expect(line).toBe(
      [
        "- **Vendor API:** SMS.cx OTP API changes from `specs/smscx.yaml`: 1 breaking change. (0123456)",
        "",
        "  **Vendor API**",
        "",
        "  - Operation `VerifyPin`: request field `pin` now has `maxLength: 10` (narrowed input: breaking)",
        "",
      ].join("\n"),
    );
  });

  test("a hand-written changeset is an SDK entry, unless it names its label; commits can be left out", async () => {
    expect(await changelog.getReleaseLine({ id: "brave-dogs-sing", summary: "Retries honour `Retry-After`.", releases: [], commit: "abcdef0123" }, "patch", null)).toBe(
      "- **SDK:** Retries honour `Retry-After`. (abcdef0)",
    );
    expect(await changelog.getReleaseLine({ id: "x", summary: "Vendor API: Ding now answers 429.", releases: [] }, "patch", { commits: false })).toBe(
      "- **Vendor API:** Ding now answers 429.",
    );
  });

  test("a wrapped first paragraph stays one paragraph, with the commit at its end", async () => {
    const summary = "First release: a typed client for the SMS.cx OTP API (`newOtp`,\n`cancelOtp`), generated from the spec.\n\nMore details.";
    expect(await changelog.getReleaseLine({ id: "first-release-smscx", summary, releases: [], commit: "ad525a7ffff" }, "minor", null)).toBe(
      "- **SDK:** First release: a typed client for the SMS.cx OTP API (`newOtp`,\n  `cancelOtp`), generated from the spec. (ad525a7)\n\n  More details.\n",
    );
  });

  test("dependency updates are SDK entries", async () => {
    expect(await changelog.getDependencyReleaseLine([], [], null)).toBe("");
    expect(await changelog.getDependencyReleaseLine([], [{ name: "@otpkit/runtime", newVersion: "0.2.0" }], null)).toBe(
      "- **SDK:** now uses `@otpkit/runtime@0.2.0`; see its CHANGELOG for what changed.",
    );
  });
});
