import { describe, expect, it } from "vitest";
import { parseInline } from "../../../src/core/limits/parse-repository-file.js";
import { encodePlotFiles } from "../../../src/core/plots/compare-plot-files.js";
import { plotFiles, plotRun } from "./plot-fixtures.js";

const parse = parseInline();

describe("plots through the parse limits (kind `plots`)", () => {
  it("compares a run's plot files with the base's from one request", async () => {
    const text = encodePlotFiles({ dvcYaml: { file: "ml/dvc.yaml", text: plotRun("head")["ml/dvc.yaml"]! }, head: plotFiles("head"), base: plotFiles("base") });
    const outcome = await parse({ kind: "plots", file: "ml/dvc.yaml", text });
    expect(outcome.ok && outcome.value.plots.map((p) => [p.id, p.kind])).toEqual([["plots/roc.json", "curve"], ["plots/confusion.csv", "confusion"]]);
  });

  it("draws undeclared plot files with DVC's default (linear, last field) when there is no dvc.yaml", async () => {
    const outcome = await parse({ kind: "plots", file: "ml/plots", text: encodePlotFiles({ head: { "ml/plots/loss.csv": "epoch,loss\n1,0.5\n2,0.25\n", "ml/plots/img.png": "x" } }) });
    expect(outcome.ok && outcome.value.plots).toMatchObject([{ id: "ml/plots/loss.csv", yLabel: "loss", series: [{ side: "head", points: [[0, 0.5], [1, 0.25]] }] }]);
  });

  it("refuses a request over the kind's cap, or that is not one, with a problem naming the file", async () => {
    const huge = await parse({ kind: "plots", file: "ml/dvc.yaml", text: "x".repeat(64 * 1024 * 1024 + 1) });
    expect(!huge.ok && huge.error[0]!.message).toMatch(/^is larger than the 64 MiB the bot reads of a run's plot files/);
    const bad = await parse({ kind: "plots", file: "ml/dvc.yaml", text: "{}" });
    expect(!bad.ok && bad.error[0]).toEqual({ file: "ml/dvc.yaml", message: "plot files could not be read (not a plot request)" });
  });
});
