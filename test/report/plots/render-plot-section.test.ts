import { describe, expect, it } from "vitest";
import { buildPlotComparison } from "../../../src/core/plots/build-plot-comparison.js";
import { parsePlotDefinitions } from "../../../src/core/plots/parse-plot-definitions.js";
import type { ConfusionPlot, CurvePlot, PlotComparison } from "../../../src/core/plots/plot-comparison.js";
import { CHART_POINTS, renderCurveChart } from "../../../src/report/plots/render-curve-chart.js";
import { renderPlotSection, utf8Length } from "../../../src/report/plots/render-plot-section.js";
import { plotFiles, plotRun } from "../../core/plots/plot-fixtures.js";

const sides = { base: "`main` @ `1a2b3c4`", head: "`5d6e7f8`" };

function compare(head: Record<string, string>, base: Record<string, string> | undefined): PlotComparison {
  const defs = parsePlotDefinitions({ file: "ml/dvc.yaml", text: plotRun("head")["ml/dvc.yaml"]! });
  if (!defs.ok) throw new Error("fixture dvc.yaml must parse");
  return buildPlotComparison({ definitions: defs.value, head, base });
}

/** The numbers of each `line [...]` of a Mermaid chart. */
function lines(markdown: string): number[][] {
  return [...markdown.matchAll(/^ {2}line \[(.*)\]$/gm)].map((m) => m[1]!.split(", ").map(Number));
}

describe("renderPlotSection on the real pipeline's plots", () => {
  it("draws the ROC of base and head in one Mermaid chart and the confusion matrix as a table with deltas", () => {
    const section = renderPlotSection({ comparison: compare(plotFiles("head"), plotFiles("base")), sides, budget: 60_000 });
    expect(section.leftOut).toEqual([]);
    expect(section.markdown).toMatchInlineSnapshot(`
      "### Plots

      **ROC curve \\(test split\\)** · \`plots/roc.json\`

      <sub>🟦 base \`main\` @ \`1a2b3c4\` · 🟧 head \`5d6e7f8\`</sub>

      \`\`\`mermaid
      %%{init: {"themeVariables":{"xyChart":{"plotColorPalette":"#4e79a7, #f28e2b"}}}}%%
      xychart-beta
        title "ROC curve (test split)"
        x-axis "fpr" 0 --> 1
        y-axis "tpr"
        line [0.2935, 0.8756, 0.9005, 0.9453, 0.9552, 0.9652, 0.9751, 0.9801, 0.9801, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 1, 1]
        line [0.2836, 0.8706, 0.9453, 0.9602, 0.9701, 0.9751, 0.9801, 0.9851, 0.9851, 0.9851, 0.9851, 0.9851, 0.9851, 0.9851, 0.9851, 0.9851, 0.9851, 0.9851, 0.99, 0.99, 0.99, 0.99, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 0.995, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
      \`\`\`

      **Confusion matrix \\(test split\\)** · \`plots/confusion.csv\`

      <sub>Head counts, change from the base (\`main\` @ \`1a2b3c4\`) in brackets; bold: where \`predicted\` and \`actual\` agree.</sub>

      | \`predicted\` ＼ \`actual\` | \`0\` | \`1\` |
      | --- | ---: | ---: |
      | **\`0\`** | **287** (+4) | 11 (−3) |
      | **\`1\`** | 12 (−4) | **190** (+3) |"
    `);
    const [base, head] = lines(section.markdown);
    expect(base).toHaveLength(CHART_POINTS);
    expect(head).toHaveLength(CHART_POINTS);
    // A ROC curve never goes down, and ends at (1, 1).
    for (const line of [base!, head!]) {
      expect(line.every((v, i) => i === 0 || v >= line[i - 1]!)).toBe(true);
      expect(line.at(-1)).toBe(1);
    }
    expect(section.markdown).toContain('x-axis "fpr" 0 --> 1');
    expect(section.markdown).toContain('y-axis "tpr"');
    expect(section.markdown).toContain("| **`0`** | **287** (+4) | 11 (−3) |");
  });

  it("resamples a curve of thousands of points to a readable chart", () => {
    const section = renderPlotSection({ comparison: compare(plotFiles("large"), plotFiles("base")), sides, budget: 60_000 });
    const [base, head] = lines(section.markdown);
    expect(head).toHaveLength(CHART_POINTS);
    expect(base).toHaveLength(CHART_POINTS);
    expect(utf8Length(section.markdown)).toBeLessThan(3_000);
    expect(section.markdown).toContain("Not drawn: `plots/confusion.csv` (the run wrote no `ml/plots/confusion.csv`).");
  });

  it("draws the head alone with a note when the base is missing", () => {
    const section = renderPlotSection({ comparison: compare(plotFiles("head"), {}), sides, budget: 60_000 });
    expect(lines(section.markdown)).toHaveLength(1);
    expect(section.markdown).toContain("<sub>🟧 head `5d6e7f8`</sub>");
    expect(section.markdown).toContain("The base has no `ml/plots/roc.json`: head only.");
    expect(section.markdown).toContain("| **`0`** | **287** | 11 |");
  });

  it("leaves plots out, saying which and where to see them, to stay within the budget", () => {
    const comparison = compare(plotFiles("head"), plotFiles("base"));
    const full = renderPlotSection({ comparison, sides, budget: 60_000 }).markdown;
    const budget = utf8Length(full) - 10;
    const cut = renderPlotSection({ comparison, sides, budget, pageUrl: "https://bot.example.com/jobs/1" });
    expect(utf8Length(cut.markdown)).toBeLessThanOrEqual(budget);
    expect(cut.leftOut).toEqual(["plots/confusion.csv"]);
    expect(cut.markdown).toContain("> 1 plot was left out here to stay within GitHub's limits: `plots/confusion.csv`. Every plot is on the [job page](https://bot.example.com/jobs/1).");
    // A budget too small for anything says nothing rather than something broken.
    expect(renderPlotSection({ comparison, sides, budget: 50 })).toEqual({ markdown: "", leftOut: ["plots/roc.json", "plots/confusion.csv"] });
  });

  it("renders nothing when the run has no plots", () => {
    expect(renderPlotSection({ comparison: { plots: [], skipped: [], problems: [] }, sides, budget: 1000 })).toEqual({ markdown: "", leftOut: [] });
  });
});

describe("hostile text in plots", () => {
  const curve: CurvePlot = {
    kind: "curve",
    id: "plots/x.json",
    title: 'Loss"]\n```\n@org/team see https://evil.example <img src=x onerror=alert(1)>',
    template: "linear",
    xLabel: 'ep"och`%%{init}%%',
    yLabel: "loss\n  line [1, 2]",
    notes: [],
    xCategories: null,
    series: [{ side: "head", label: "loss", points: [[0, 1], [1, 0.5]], total: 2 }],
  };

  it("cannot break out of the Mermaid block, mention anyone, link anywhere or inject HTML", () => {
    const markdown = renderPlotSection({ comparison: { plots: [curve], skipped: [], problems: [] }, sides, budget: 10_000 }).markdown;
    const chart = markdown.slice(markdown.indexOf("```mermaid"));
    expect(chart.split("\n").filter((l) => l.startsWith("```"))).toEqual(["```mermaid", "```"]);
    expect(chart.match(/^ {2}line /gm)).toHaveLength(1);
    expect(chart).not.toMatch(/%%\{init\}/);
    // Outside the chart (Mermaid draws text, it never links or mentions), text is inert.
    const text = markdown.slice(0, markdown.indexOf("```mermaid"));
    expect(text).toContain("@\u200borg");
    expect(text).not.toMatch(/@org/);
    expect(text).not.toContain("https://evil");
    expect(text).toMatch(/\\<\u200b?img/);
    expect(text).not.toMatch(/(^|[^\\])<img/);
  });

  it("keeps class labels and field names inert in the confusion table", () => {
    const matrix: ConfusionPlot = {
      kind: "confusion",
      id: "c.csv",
      title: "t",
      xLabel: "a|b",
      yLabel: "@admin",
      notes: [],
      normalized: true,
      classes: ["x|y", "`z`"],
      head: [[1, 3], [0, 0]],
      base: [[1, 1], [0, 0]],
    };
    const markdown = renderPlotSection({ comparison: { plots: [matrix], skipped: [], problems: [] }, sides, budget: 10_000 }).markdown;
    expect(markdown).toContain("| `@admin` ＼ `a\\|b` | `x\\|y` | `` `z` `` |");
    expect(markdown).toContain("| **`x\\|y`** | **0.25** (−0.25) | 0.75 (+0.25) |");
    expect(markdown).toContain("| **`` `z` ``** | 0.00 (=) | **0.00** (=) |");
  });

  it("draws named x values on a categorical axis", () => {
    const chart = renderCurveChart({ ...curve, title: "F1 per class", xLabel: "class", yLabel: "f1", xCategories: ["cat", "dog"], series: [{ side: "head", label: "f1", points: [[0, 0.8], [1, 0.6]], total: 2 }] }, sides);
    expect(chart).toContain('x-axis "class" ["cat", "dog"]');
    expect(chart).toContain("line [0.8, 0.6]");
  });
});
