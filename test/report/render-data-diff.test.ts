import path from "node:path";
import { describe, expect, it } from "vitest";
import { FsArtifactStore } from "../../src/adapters/stores/fs-artifact-store.js";
import { buildDataReport } from "../../src/core/dvc/build-data-report.js";
import { createManifestReader } from "../../src/core/dvc/create-manifest-reader.js";
import type { DataChange, DataReport } from "../../src/core/dvc/data-report.js";
import { renderByteSize } from "../../src/report/format/render-byte-size.js";
import { renderDataDiff } from "../../src/report/data/render-data-diff.js";
import { renderDataSummary } from "../../src/report/data/render-data-summary.js";
import { FIXTURES, fixtureVersion } from "../core/dvc/fixture-files.js";

const readManifest = createManifestReader({ stores: () => [new FsArtifactStore(path.join(FIXTURES, "cache"))] });
const report = (a: string, b: string) => buildDataReport({ base: fixtureVersion(a), head: fixtureVersion(b), readManifest });

describe("renderDataDiff", () => {
  it("renders datasets, file changes and a missing manifest (v0..v3)", async () => {
    expect(renderDataDiff(await report("v0", "v3"))).toMatchInlineSnapshot(`
      "**7 datasets changed: +6 files, -5 files, 2 modified, 4 renamed, +7 B**

      | Dataset | Change | Files | Size |
      | --- | --- | --- | --- |
      | \`ml/data/extra\` 📁 | ➕ added | unknown (not in cache) | +9 B |
      | \`ml/data/labels.csv\` | ➖ deleted | -1 | -9 B |
      | \`ml/data/later\` 📁 | ➕ added | +1 | +3 B |
      | \`ml/data/images\` → \`ml/data/pictures\` 📁 | 🔀 renamed | 2 renamed | ±0 B |
      | \`ml/data/prepared\` 📁 | ✏️ modified | +2, -2, 1 modified, 1 renamed | +1 B (30 B → 31 B) |
      | \`ml/data/raw\` 📁 | ✏️ modified | +2, -2, 1 modified, 1 renamed | +1 B (30 B → 31 B) |
      | \`ml/later.txt\` | ➕ added | +1 | +2 B |

      <details><summary>17 file changes</summary>

      | Change | Path |
      | --- | --- |
      | 🔀 renamed | \`ml/data/images/1.png\` → \`ml/data/pictures/1.png\` |
      | 🔀 renamed | \`ml/data/images/2.png\` → \`ml/data/pictures/2.png\` |
      | ➖ deleted | \`ml/data/labels.csv\` |
      | ➕ added | \`ml/data/later/l1\` |
      | ✏️ modified | \`ml/data/prepared/a.txt\` |
      | ➖ deleted | \`ml/data/prepared/b.txt\` |
      | ➖ deleted | \`ml/data/prepared/d1.txt\` |
      | ➕ added | \`ml/data/prepared/e.txt\` |
      | 🔀 renamed | \`ml/data/prepared/sub/c.txt\` → \`ml/data/prepared/sub/c2.txt\` |
      | ➕ added | \`ml/data/prepared/sub/new.txt\` |
      | ✏️ modified | \`ml/data/raw/a.txt\` |
      | ➖ deleted | \`ml/data/raw/b.txt\` |
      | ➖ deleted | \`ml/data/raw/d1.txt\` |
      | ➕ added | \`ml/data/raw/e.txt\` |
      | 🔀 renamed | \`ml/data/raw/sub/c.txt\` → \`ml/data/raw/sub/c2.txt\` |
      | ➕ added | \`ml/data/raw/sub/new.txt\` |
      | ➕ added | \`ml/later.txt\` |

      </details>

      ⚠️ Not in the DVC cache or remote, so listed without their files:
      - \`ml/data/extra\` at head (\`deb2a7b41ea2cd4f02eeee3ac6a4400d.dir\`)
      "
    `);
  });

  it("cuts long file lists with a count of what was left out", async () => {
    expect(renderDataDiff(await report("v0", "v1"), { maxFileRows: 3 })).toMatchInlineSnapshot(`
      "**3 datasets changed: +4 files, -4 files, 3 modified, 2 renamed, +4 B**

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
      "
    `);
  });

  it("stays within maxLength however many files changed", () => {
    const changes: DataChange[] = Array.from({ length: 5000 }, (_, k) => ({ root: "ml", kind: "added", path: `data/raw/file-${k}.csv`, isDir: false, newHash: "h", dataset: "data/raw" }));
    const big: DataReport = {
      roots: ["ml"],
      datasets: [{ root: "ml", kind: "modified", path: "data/raw", isDir: true, source: "ml/data/raw.dvc", sizeDelta: 5_000_000, files: { added: 5000, deleted: 0, modified: 0, renamed: 0 }, complete: true }],
      changes,
      notInCache: [],
      problems: [],
      totals: { datasets: 1, files: { added: 5000, deleted: 0, modified: 0, renamed: 0 }, sizeDelta: 5_000_000, sizeUnknown: 0 },
    };
    for (const maxLength of [65_535, 4000, 600]) {
      const text = renderDataDiff(big, { maxLength });
      expect(text.length).toBeLessThanOrEqual(maxLength);
      expect(text).toContain("more not shown");
    }
    expect(renderDataDiff(big, { maxLength: 100 })).toHaveLength(100);
  });
});

describe("renderDataSummary", () => {
  it("says what changed in one line", async () => {
    expect(renderDataSummary(await report("v0", "v1"))).toMatchInlineSnapshot(`"3 datasets changed: +4 files, -4 files, 3 modified, 2 renamed, +4 B"`);
    expect(renderDataSummary(await report("v1", "v1"))).toBe("No data changes.");
    expect(
      renderDataSummary({ totals: { datasets: 2, files: { added: 1204, deleted: 3, modified: 17, renamed: 0 }, sizeDelta: 48_200_000, sizeUnknown: 0 } }),
    ).toBe("2 datasets changed: +1,204 files, -3 files, 17 modified, +48.2 MB");
    expect(renderDataSummary({ totals: { datasets: 1, files: { added: 0, deleted: 1, modified: 0, renamed: 0 }, sizeDelta: 0, sizeUnknown: 1 } })).toBe("1 dataset changed: -1 file");
  });

  it("formats byte sizes", () => {
    expect([0, 999, 1000, 48_200_000, -1_500, 999_960, 3e12].map((b) => renderByteSize(b, { signed: true }))).toEqual(["±0 B", "+999 B", "+1.0 kB", "+48.2 MB", "-1.5 kB", "+1.0 MB", "+3.0 TB"]);
  });
});
