import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { computeBacklogProgress } from "../../src/core/backlog/compute-backlog-progress.js";
import { parseBacklog } from "../../src/core/backlog/parse-backlog.js";
import { renderBacklogBar } from "../../src/report/backlog/render-backlog-bar.js";
import { BACKLOG_PROGRESS_MARKER, renderBacklogProgress } from "../../src/report/backlog/render-backlog-progress.js";
import { renderBacklogProgressText } from "../../src/report/backlog/render-backlog-progress-text.js";
import { renderBacklogRepairedMarks } from "../../src/report/backlog/render-backlog-repaired-marks.js";

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/backlogs/${name}`, import.meta.url)), "utf8");
const progressOf = (body: string) => computeBacklogProgress(parseBacklog(body));

describe("renderBacklogBar", () => {
  it("fills whole cells, rounding down, and says — for nothing to count", () => {
    expect([0, 9, 10, 50, 99, 100].map((p) => renderBacklogBar(p))).toEqual([
      "░░░░░░░░░░ 0%",
      "░░░░░░░░░░ 9%",
      "▓░░░░░░░░░ 10%",
      "▓▓▓▓▓░░░░░ 50%",
      "▓▓▓▓▓▓▓▓▓░ 99%",
      "▓▓▓▓▓▓▓▓▓▓ 100%",
    ]);
    expect(renderBacklogBar(50, 4)).toBe("▓▓░░ 50%");
    expect(renderBacklogBar(null)).toBe("—");
  });
});

describe("renderBacklogProgress", () => {
  it("renders the sticky comment for a full backlog", () => {
    const body = renderBacklogProgress({ progress: progressOf(fixture("gcp-terraform.md")), issueNumber: 12 });
    expect(body.startsWith(`${BACKLOG_PROGRESS_MARKER}\n`)).toBe(true);
    expect(body).toMatchInlineSnapshot(`
      "<!-- mlops-bot:backlog -->
      ### Backlog progress

      **Overall:** \`▓▓▓▓▓▓▓░░░ 77%\` · 14 done · 3 skipped · 4 open (21 items)

      | Phase | Done | Skipped | Open | Progress |
      | :-- | --: | --: | --: | :-- |
      | ✅ Phase 0: Project Setup | 4 | 0 | 0 | \`▓▓▓▓▓▓▓▓▓▓ 100%\` |
      | ✅ Phase 1: Data Pipeline | 5 | 0 | 0 | \`▓▓▓▓▓▓▓▓▓▓ 100%\` |
      | 🔄 Phase 2: GCP & Terraform Infrastructure | 5 | 3 | 1 | \`▓▓▓▓▓▓▓▓░░ 83%\` |
      | ⏳ Phase 3: Training Service | 0 | 0 | 3 | \`░░░░░░░░░░ 0%\` |

      <details><summary>Open items (4)</summary>

      **Phase 2: GCP & Terraform Infrastructure**
      - \`[AI] 2.6\` Create Dev Environment Config

      **Phase 3: Training Service**
      - \`[AI] 3.1\` Cloud Run Job for training
      - \`[AI] 3.2\` Upload artifacts to GCS
      - \`[HUMAN] 3.3\` Approve the GPU quota request

      </details>

      <sub>Kept up to date by mlops-bot from this issue's checklist. A merged pull request that says \`Completes #12 2.6\` ticks item 2.6.</sub>"
    `);
  });

  it("adds status notes and warnings, and escapes text from the issue", () => {
    const body = "## Phase 1: Setup | infra ✅\n- [ ] 1.1: Ask @alice if x < y\n- [🤔] 1.2: *maybe*\n";
    const rendered = renderBacklogProgress({ progress: progressOf(body) });
    expect(rendered).toContain("Ask @\u200balice");
    expect(rendered).toMatchInlineSnapshot(`
      "<!-- mlops-bot:backlog -->
      ### Backlog progress

      **Overall:** \`░░░░░░░░░░ 0%\` · 0 done · 0 skipped · 2 open (2 items)

      | Phase | Done | Skipped | Open | Progress |
      | :-- | --: | --: | --: | :-- |
      | ⏳ Phase 1: Setup \\| infra | 0 | 0 | 2 | \`░░░░░░░░░░ 0%\` |

      **Status notes**
      - Phase 1: Setup \\| infra is marked ✅ done, but 2 of 2 items are open: 1.1, 1.2. (line 1)

      <details><summary>Open items (2)</summary>

      **Phase 1: Setup \\| infra**
      - \`1.1\` Ask @\u200balice if x \\< y
      - \`1.2\` maybe

      </details>

      **Warnings**
      - Line 3: 1 item uses the mark \\[🤔\\], which is neither built in nor in the issue's legend; counted as open (line 3).

      <sub>Kept up to date by mlops-bot from this issue's checklist. A merged pull request that says \`Completes #<issue> 2.6\` ticks item 2.6.</sub>"
    `);
  });

  it("says so when the issue has no items", () => {
    expect(renderBacklogProgress({ progress: progressOf("Just prose.") })).toMatchInlineSnapshot(`
      "<!-- mlops-bot:backlog -->
      ### Backlog progress

      No checklist items found in this issue. Items are task-list lines such as \`- [ ] 1.1: Do the thing\`.

      <sub>Kept up to date by mlops-bot from this issue's checklist. A merged pull request that says \`Completes #<issue> 2.6\` ticks item 2.6.</sub>"
    `);
  });

  it("folds at most 50 open items", () => {
    const body = Array.from({ length: 60 }, (_, i) => `- [ ] 1.${i}: item`).join("\n");
    const rendered = renderBacklogProgress({ progress: progressOf(body) });
    expect(rendered.match(/^- `1\.\d+` item$/gm)).toHaveLength(50);
    expect(rendered).toContain("…and 10 more.");
  });
});

describe("renderBacklogRepairedMarks", () => {
  it("says it once, in markdown and in the terminal, and caps the marks and lines it lists", () => {
    const win = (text: string) => new TextDecoder("windows-1252").decode(Buffer.from(text, "utf8"));
    const marks = ["✅", "✔️", "☑️", "🟢", "🏁", "⏭️", "🚫", "🔄"];
    const body = win(Array.from({ length: 20 }, (_, i) => `- [${marks[i % marks.length]}] ${i + 1}. item`).join("\n"));
    const progress = progressOf(body);
    const note = renderBacklogRepairedMarks(progress.repairedMarks!);
    expect(note).toMatch(/^20 status marks were mis-encoded \(UTF-8 read as Windows-1252\) and are counted as what they were: .* as ✅ \(3\), .* as ✔️ \(3\), .*, 2 more; lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and 8 more\. /);
    expect(renderBacklogProgress({ progress }).split("**Mis-encoded marks:**")).toHaveLength(2);
    expect(renderBacklogProgressText({ progress, source: "b.md" })).toContain(`Mis-encoded marks: ${note}`);
    expect(progress.overall).toEqual({ total: 20, done: 14, skipped: 4, open: 2, percent: 87 });
  });
});
