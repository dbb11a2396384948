import { describe, expect, it } from "vitest";
import { isBacklogIssue, readsAsBacklog } from "../../../src/core/backlog/is-backlog-issue.js";
import { parseBacklog } from "../../../src/core/backlog/parse-backlog.js";
import { readFixture } from "./read-fixture.js";

const byLabel = { label: "backlog", detect: "label" as const };
const byContent = { label: "backlog", detect: "content" as const };

describe("isBacklogIssue", () => {
  it("takes the configured label in any case, without needing the body", () => {
    expect(isBacklogIssue({ labels: ["bug", "Backlog"], backlog: undefined, config: byLabel })).toBe(true);
    expect(isBacklogIssue({ labels: ["bug"], backlog: parseBacklog(readFixture("gcp-terraform.md")), config: byLabel })).toBe(false);
  });

  it("with detect: content, takes bodies that read as a backlog", () => {
    expect(isBacklogIssue({ labels: [], backlog: parseBacklog(readFixture("gcp-terraform.md")), config: byContent })).toBe(true);
    expect(isBacklogIssue({ labels: [], backlog: undefined, config: byContent })).toBe(false);
  });
});

describe("readsAsBacklog", () => {
  it.each([
    ["numbered phases", readFixture("gcp-terraform.md"), true],
    ["two plain sections with items", readFixture("plain-sections.md"), true],
    ["one numbered phase", "## Phase 1: Data\n- [ ] 1.1 Download\n", true],
    ["an issue template's lone checklist", "### Checklist\n- [x] I searched the existing issues\n", false],
    ["a task list under no heading", "- [ ] a\n- [ ] b\n", false],
    ["phases without items", "## Phase 1: Data\nSoon.\n## Phase 2: Model\n", false],
    ["nothing at all", "", false],
  ])("%s: %s", (_name, body, expected) => {
    expect(readsAsBacklog(parseBacklog(body))).toBe(expected);
  });
});
