import path from "node:path";
import { describe, expect, it } from "vitest";
import { FsArtifactStore } from "../../src/adapters/stores/fs-artifact-store.js";
import { buildDataCheck, type DataCheck, type VersionFiles } from "../../src/core/dvc/build-data-check.js";
import type { DataChange } from "../../src/core/dvc/data-report.js";
import type { ValueChange } from "../../src/core/params/value-change.js";
import { CHECK_RUN_TEXT_LIMIT } from "../../src/report/format/fit-check-run-output.js";
import { renderDataCheck } from "../../src/report/data/render-data-check.js";
import { FIXTURES, fixtureVersion } from "../core/dvc/fixture-files.js";

function files(map: Map<string, string>): VersionFiles {
  return { paths: [...map.keys()].sort(), read: (wanted) => Promise.resolve(new Map([...wanted].filter((p) => map.has(p)).map((p) => [p, map.get(p)!]))) };
}

const cache = new FsArtifactStore(path.join(FIXTURES, "cache"));
const check = (a: string, b: string, edit: (m: Map<string, string>) => void = () => {}) => {
  const head = fixtureVersion(b);
  edit(head);
  return buildDataCheck({ base: files(fixtureVersion(a)), head: files(head), stores: () => Promise.resolve({ stores: new Map([["ml", [cache]]]), problems: [] }) });
};
const sides = { base: { ref: "main", sha: "a".repeat(40) }, head: { ref: "feature", sha: "b".repeat(40) }, trigger: "`pull_request.opened`" };

describe("renderDataCheck", () => {
  it("keeps a hostile head branch name inside its code span in the intro (a backtick cannot end it)", async () => {
    const report = renderDataCheck({ check: await check("v0", "v1"), ...sides, head: { ref: "x`**bold**`y", sha: "b".repeat(40) } });
    expect(report.summary).toContain("→ ``x`**bold**`y`` (`bbbbbbb`)");
  });

  it("shows the summary line as title, datasets, files, params and metrics (fixture v0..v1, from the real dvc)", async () => {
    const report = renderDataCheck({ check: await check("v0", "v1"), ...sides, options: { maxFileRows: 3 } });
    expect(report.conclusion).toBe("success");
    expect(report.title).toBe("3 datasets changed: +4 files, -4 files, 3 modified, 2 renamed, +4 B · 6 params changed · 3 metrics changed");
    expect(report.summary).toMatchInlineSnapshot(`
      "Comparing \`main\` (\`aaaaaaa\`) → \`feature\` (\`bbbbbbb\`), as \`dvc diff\`, \`dvc params diff\` and \`dvc metrics diff\` would. Asked by \`pull_request.opened\`.

      ### Data

      **3 datasets changed: +4 files, -4 files, 3 modified, 2 renamed, +4 B**

      | Dataset | Change | Files | Size |
      | --- | --- | --- | --- |
      | \`ml/data/labels.csv\` | ✏️ modified | 1 modified | +2 B (9 B → 11 B) |
      | \`ml/data/prepared\` 📁 | ✏️ modified | +2, -2, 1 modified, 1 renamed | +1 B (30 B → 31 B) |
      | \`ml/data/raw\` 📁 | ✏️ modified | +2, -2, 1 modified, 1 renamed | +1 B (30 B → 31 B) |

      <details><summary>13 file changes</summary>

      | Change | Path |
      | --- | --- |
      | ✏️ modified | \`ml/data/labels.csv\` |
      | ✏️ modified | \`ml/data/prepared/a.txt\` |
      | ➖ deleted | \`ml/data/prepared/b.txt\` |
      | … | 10 more not shown |

      </details>

      ### Params

      | Path | Param | main | feature |
      | --- | --- | --- | --- |
      | ml/params.yaml | prepare.name | first | second |
      | ml/params.yaml | prepare.split | 0.2 | 0.25 |
      | ml/params.yaml | train.batch | - | 32 |
      | ml/params.yaml | train.dropout | 0.5 | - |
      | ml/params.yaml | train.epochs | 10 | 12 |
      | ml/params.yaml | train.layers | [8, 4] | [8, 4, 2] |

      ### Metrics (committed files)

      | Path | Metric | main | feature | Change |
      | --- | --- | --- | --- | --- |
      | ml/metrics.json | accuracy | 0.88 | 0.875 | -0.005 |
      | ml/metrics.json | classes.cat.f1 | 0.84 | 0.85 | 0.01 |
      | ml/metrics.json | loss | 0.4 | 0.5 | 0.1 |
      "
    `);
  });

  it("fails on a head file DVC cannot read, naming it, and still reports the rest", async () => {
    const broken = await check("v0", "v1", (head) => head.set("ml/params.yaml", "prepare: [1,\n"));
    const report = renderDataCheck({ check: broken, ...sides });
    expect(report.conclusion).toBe("failure");
    expect(report.title).toBe("3 datasets changed: +4 files, -4 files, 3 modified, 2 renamed, +4 B · 3 metrics changed · ml/params.yaml cannot be read at head");
    expect(report.summary).toContain("**❌ ml/params.yaml cannot be read at head.**");
    expect(report.summary).toMatch(/### ⚠️ Other problems\n\n- head: ml\/params\.yaml:\d+:\d+: /);
    expect(report.summary).toContain("| `ml/data/raw` 📁 | ✏️ modified |");
  });

  it("is neutral when a manifest is not in cache, or when nothing is tracked by DVC", async () => {
    const incomplete = renderDataCheck({ check: await check("v2", "v3"), ...sides });
    expect(incomplete.conclusion).toBe("neutral");
    expect(incomplete.title).toMatch(/ · incomplete: 1 manifest not in cache$/);
    const none = renderDataCheck({ check: await buildDataCheck({ base: files(new Map()), head: files(new Map([["README.md", "hi"]])), stores: () => Promise.resolve({ stores: new Map(), problems: [] }) }), ...sides });
    expect(none).toMatchObject({ conclusion: "neutral", title: "No DVC-tracked data" });
    expect(none.summary).toContain("Nothing is tracked by DVC in either version");
  });

  it("stays within GitHub's limit in bytes whatever the size, cutting each list with a count", () => {
    const changes: DataChange[] = Array.from({ length: 50_000 }, (_, i) => ({ root: "ml", kind: "added", path: `データ/ファイル-${String(i).padStart(6, "0")}-${"長い名前".repeat(8)}.csv`, isDir: false, dataset: "データ" }));
    const values: ValueChange[] = Array.from({ length: 500 }, (_, i) => ({ path: "ml/params.yaml", key: `p${i}`, old: i, new: i + 1, changed: true }));
    const huge: DataCheck = {
      roots: ["ml"],
      data: {
        roots: ["ml"],
        datasets: [{ root: "ml", kind: "modified", path: "データ", isDir: true, source: "ml/データ.dvc", sizeDelta: 1e9, files: { added: 50_000, deleted: 0, modified: 0, renamed: 0 }, complete: true }],
        changes,
        notInCache: [],
        problems: [],
        totals: { datasets: 1, files: { added: 50_000, deleted: 0, modified: 0, renamed: 0 }, sizeDelta: 1e9, sizeUnknown: 0 },
      },
      params: values,
      metrics: [],
      problems: [],
      broken: { base: [], head: [] },
    };
    for (const maxFileRows of [200, 5_000]) {
      const report = renderDataCheck({ check: huge, ...sides, options: { maxFileRows } });
      expect(Buffer.byteLength(report.summary)).toBeLessThanOrEqual(CHECK_RUN_TEXT_LIMIT);
      expect(report.title).toBe("1 dataset changed: +50,000 files, +1.0 GB · 500 params changed");
      expect(report.summary).toMatch(/\| … \| [\d,]+ more not shown \|/);
      expect(report.summary).toContain("… 400 more params changed, not shown.");
      expect(report.summary.endsWith("No metric changes.\n")).toBe(true);
    }
  });
});
