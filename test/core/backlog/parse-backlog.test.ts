import { describe, expect, it } from "vitest";
import { parseBacklog } from "../../../src/core/backlog/parse-backlog.js";
import { describeItems, readFixture } from "./read-fixture.js";

describe("parseBacklog", () => {
  describe("a full backlog (gcp-terraform.md)", () => {
    const body = readFixture("gcp-terraform.md");
    const backlog = parseBacklog(body);

    it("reads phases with number, name and the status of heading and Status line", () => {
      expect(backlog.phases.map((p) => ({ number: p.number, name: p.name, title: p.title, statuses: p.statuses.map((s) => `${s.source}:${s.emoji}:${s.meaning}`) })))
        .toMatchInlineSnapshot(`
          [
            {
              "name": "Project Setup",
              "number": "0",
              "statuses": [
                "heading:✅:done",
                "status line:✅:done",
              ],
              "title": "Phase 0: Project Setup",
            },
            {
              "name": "Data Pipeline",
              "number": "1",
              "statuses": [
                "heading:✅:done",
                "status line:✅:done",
              ],
              "title": "Phase 1: Data Pipeline",
            },
            {
              "name": "GCP & Terraform Infrastructure",
              "number": "2",
              "statuses": [
                "heading:🔄:in-progress",
                "status line:🔄:in-progress",
              ],
              "title": "Phase 2: GCP & Terraform Infrastructure",
            },
            {
              "name": "Training Service",
              "number": "3",
              "statuses": [
                "heading:⏳:not-started",
                "status line:⏳:not-started",
              ],
              "title": "Phase 3: Training Service",
            },
          ]
        `);
    });

    it("reads role sections and every item, skipping code blocks, quotes, links and the legend", () => {
      expect(backlog.sections.map((s) => `${s.phaseIndex} ${s.role} ${s.title} (L${s.line})`)).toMatchInlineSnapshot(`
        [
          "0 HUMAN [HUMAN] Prerequisites (L15)",
          "0 AI [AI] Implementation Tasks (L19)",
          "2 HUMAN [HUMAN] Prerequisites (L39)",
          "2 AI [AI] Implementation Tasks (L43)",
        ]
      `);
      expect(describeItems(backlog.items)).toMatchInlineSnapshot(`
        [
          "0/0 done    [x] HUMAN 0.1: Create the GitHub repository (L16)",
          "0/0 done    [x] HUMAN 0.2: Invite the team (L17)",
          "0/1 done    [x] AI 0.1: Scaffold the Python package (L20)",
          "0/1 done    [x] AI 0.2: Add pre-commit hooks (docs) (L21)",
          "1/- done    [x] AI 1.1: Generate the synthetic data set (L26)",
          "1/- done    [x] AI 1.2: Preprocess features (L27)",
          "1/- ^5 done    [x] AI 1.2.1: Scale numeric columns (L28)",
          "1/- ^5 done    [x] AI 1.2.2: One-hot encode categories (L29)",
          "1/- done    [x] AI 1.3: Track data with DVC (L30)",
          "2/2 done    [x] HUMAN 2.0.1: Create Google Cloud Account (L40)",
          "2/2 done    [x] HUMAN 2.0.2: Enable billing (L41)",
          "2/3 done    [x] AI 2.1: Create Terraform Directory Structure (L44)",
          "2/3 done    [X] AI 2.2: Create Storage Module (L45)",
          "2/3 done    [x] AI 2.3: Create Artifact Registry Module (L46)",
          "2/3 skipped [-] AI 2.4: Create Cloud SQL Module (not needed: SQLite) (L47)",
          "2/3 skipped [⏭️] AI 2.5: Create GKE Module (Optional) - Deferred to Phase 7 (L48)",
          "2/3 open    [ ] AI 2.6: Create Dev Environment Config (L49)",
          "2/3 skipped [ ] AI 2.7: Create Staging Environment Config (merged into 2.6) (L50)",
          "3/- open    [ ] AI 3.1: Cloud Run Job for training (L62)",
          "3/- open    [ ] AI 3.2: Upload artifacts to GCS (L63)",
          "3/- open    [ ] HUMAN 3.3: Approve the GPU quota request (L64)",
        ]
      `);
    });

    it("points each item's box at its checkbox characters and its span at the list item", () => {
      for (const item of backlog.items) {
        expect(body.slice(item.box.start, item.box.end)).toBe(`[${item.mark}]`);
        expect(body.slice(item.span.start, item.span.end)).toMatch(/^- /);
        expect(body.slice(0, item.span.start).split("\n")).toHaveLength(item.line);
      }
    });

    it("reads the legend section and no warnings", () => {
      expect(backlog.legend.map((e) => `${e.bracketed ? `[${e.marker}]` : e.marker} ${e.meaning}`)).toEqual([
        "[x] done",
        "[ ] not-started",
        "[⏭] skipped",
        "🔄 in-progress",
      ]);
      expect(backlog.warnings).toEqual([]);
    });
  });

  it("uses the headings that hold items as phases when none says `Phase N:` (plain-sections.md)", () => {
    const backlog = parseBacklog(readFixture("plain-sections.md"));
    expect(backlog.phases.map((p) => [p.number, p.title, p.line])).toEqual([
      [null, "Other items", null],
      [null, "Data", 8],
      [null, "Model", 15],
    ]);
    expect(describeItems(backlog.items)).toMatchInlineSnapshot(`
      [
        "0/- done    [x] - -: Agree on the churn definition (L5)",
        "0/- open    [ ] - -: Get read access to the events table (L6)",
        "1/- done    [x] - -: Export 12 months of events (L10)",
        "1/- open    [ ] - -: Label churned accounts (L11)",
        "1/- ^3 open    [ ] - -: Check the rule with sales (L13)",
        "2/- done    [x] - -: Baseline: logistic regression (L17)",
        "2/- open    [ ] - -: Gradient boosting (L18)",
        "2/- skipped [ ] - -: Deep model (not worth it) (L19)",
      ]
    `);
  });

  it("keeps items with the same number apart by role and section (duplicate-numbers.md)", () => {
    const backlog = parseBacklog(readFixture("duplicate-numbers.md"));
    expect(backlog.items.filter((i) => i.number === "0.1").map((i) => [i.role, i.sectionIndex, i.title])).toEqual([
      ["HUMAN", 0, "Create the GCP project"],
      ["AI", 1, "Create the repository layout"],
    ]);
    expect(backlog.items.filter((i) => i.number === "1.1").map((i) => [i.role, i.roleSource])).toEqual([
      ["AI", "heading"],
      ["AI", "heading"],
    ]);
  });

  it("reads a CRLF body like its LF twin, offsets pointing into the CRLF text", () => {
    const crlf = readFixture("duplicate-numbers.crlf.md");
    const lf = readFixture("duplicate-numbers.md");
    expect(crlf).toContain("\r\n");
    const a = parseBacklog(crlf);
    const b = parseBacklog(lf);
    expect(describeItems(a.items)).toEqual(describeItems(b.items));
    expect(a.phases).toEqual(b.phases);
    for (const item of a.items) expect(crlf.slice(item.box.start, item.box.end)).toBe(`[${item.mark}]`);
  });

  it("learns marks and emoji from a one-line legend paragraph (inline-legend.md)", () => {
    const backlog = parseBacklog(readFixture("inline-legend.md"));
    expect(describeItems(backlog.items)).toMatchInlineSnapshot(`
      [
        "0/- done    [x] - 1.1: Pick the feature store (L5)",
        "0/- skipped [🧊] - 1.2: Online serving (L6)",
        "0/- done    [✅] - 1.3: Offline backfill (L7)",
        "1/- open    [?] - 2.1: Drift metrics (L11)",
        "1/- open    [ ] - 2.2: Alerting (L12)",
      ]
    `);
    expect(backlog.phases.map((p) => p.statuses.map((s) => `${s.emoji} ${s.meaning}`))).toEqual([["✅ done"], ["🧊 skipped"]]);
    expect(backlog.items.map((i) => i.markSource)).toEqual(["checkbox", "legend", "legend", "legend", "checkbox"]);
  });
});
