import { describe, expect, it } from "vitest";
import { parsePlotDefinitions } from "../../../src/core/plots/parse-plot-definitions.js";
import { dvcPlotsDiff, plotRun } from "./plot-fixtures.js";

const parse = (text: string) => parsePlotDefinitions({ file: "ml/dvc.yaml", text });

describe("parsePlotDefinitions", () => {
  it("reads the example's stage plots as DVC does (ids, x, y, template, title)", () => {
    const parsed = parse(plotRun("head")["ml/dvc.yaml"]!);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const dvc = dvcPlotsDiff();
    expect(parsed.value.definitions.map((d) => d.id).sort()).toEqual(Object.keys(dvc).sort());
    const roc = parsed.value.definitions.find((d) => d.id === "plots/roc.json")!;
    expect(roc).toMatchObject({ template: "linear", title: dvc["plots/roc.json"]!.content.title.text });
    expect(roc.sources).toEqual([{ file: "ml/plots/roc.json", x: dvc["plots/roc.json"]!.content.encoding!.x.field, y: "tpr", xFile: undefined }]);
    const confusion = parsed.value.definitions.find((d) => d.id === "plots/confusion.csv")!;
    const spec = dvc["plots/confusion.csv"]!.content.spec!;
    expect(confusion).toMatchObject({ template: "confusion", title: dvc["plots/confusion.csv"]!.content.title.text });
    expect(confusion.sources).toEqual([{ file: "ml/plots/confusion.csv", x: spec.encoding.x.field, y: spec.encoding.y.field, xFile: undefined }]);
    expect(parsed.value.skipped).toEqual([]);
  });

  it("reads top-level plots: a file, a name whose y maps files to fields, x per file, labels", () => {
    const parsed = parse(`
plots:
  - logs/loss.tsv
  - Precision-Recall:
      template: simple
      x: recall
      y:
        eval/prc.json: precision
        eval/other.json: [precision, threshold]
      x_label: Recall
      y_label: Precision
      title: PR curves
  - joined:
      x: {eval/steps.csv: step}
      y: {eval/values.csv: value}
stages:
  train:
    wdir: sub
    cmd: python train.py
    plots:
      - ../plots/acc.csv:
          y: [train, test]
`);
    expect(parsed.ok && parsed.value).toEqual({
      skipped: [],
      definitions: [
        { id: "sub/../plots/acc.csv", template: "linear", title: undefined, xLabel: undefined, yLabel: undefined, sources: [
          { file: "ml/plots/acc.csv", x: undefined, y: "train", xFile: undefined },
          { file: "ml/plots/acc.csv", x: undefined, y: "test", xFile: undefined },
        ] },
        { id: "logs/loss.tsv", template: "linear", title: undefined, xLabel: undefined, yLabel: undefined, sources: [{ file: "ml/logs/loss.tsv", x: undefined, y: undefined, xFile: undefined }] },
        { id: "Precision-Recall", template: "simple", title: "PR curves", xLabel: "Recall", yLabel: "Precision", sources: [
          { file: "ml/eval/prc.json", x: "recall", y: "precision", xFile: undefined },
          { file: "ml/eval/other.json", x: "recall", y: "precision", xFile: undefined },
          { file: "ml/eval/other.json", x: "recall", y: "threshold", xFile: undefined },
        ] },
        { id: "joined", template: "linear", title: undefined, xLabel: undefined, yLabel: undefined, sources: [{ file: "ml/eval/values.csv", x: "step", y: "value", xFile: "ml/eval/steps.csv" }] },
      ],
    });
  });

  it("skips, with the reason, what it must not read or cannot draw (hostile paths, images, templates)", () => {
    const parsed = parse(`
plots:
  - ../../etc/passwd.json
  - /etc/shadow.csv
  - https://example.com/x.json
  - plots/\${name}.json
  - plots/importance.png
  - odd: {template: my_custom, y: {plots/a.json: v}}
stages:
  s:
    wdir: ../..
    cmd: x
    plots: [secrets.json]
`);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.definitions.map((d) => [d.id, d.template])).toEqual([["odd", "linear"]]);
    expect(parsed.value.skipped.map((s) => `${s.id}: ${s.reason}`)).toEqual([
      "../../secrets.json: its path leaves the repository (`..`)",
      "../../etc/passwd.json: its path leaves the repository (`..`)",
      "/etc/shadow.csv: its path is absolute or a URL; plots must be files in the repository",
      "https://example.com/x.json: its path is absolute or a URL; plots must be files in the repository",
      "plots/${name}.json: its path is templated (`${...}`), which the report does not resolve",
      "plots/importance.png: an image: not drawn in the report (it is stored with the run's artifacts)",
      "odd: template `my_custom` is not one of DVC's built-in templates; drawn as `linear`",
    ]);
  });

  it("refuses invalid, huge, deep or alias-bombed YAML with a problem naming the file, never throwing", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`), "plots: *j"].join("\n");
    const cases = {
      invalid: "stages: [unclosed",
      unresolvedAlias: "plots: *oops",
      deep: `${"[".repeat(500_000)}${"]".repeat(500_000)}`,
      huge: `# ${"x".repeat(2 * 1024 * 1024)}`,
      bomb,
    };
    for (const [name, text] of Object.entries(cases)) {
      const parsed = parse(text);
      expect(parsed.ok, name).toBe(false);
      if (!parsed.ok) expect(parsed.error[0]!.file, name).toBe("ml/dvc.yaml");
    }
  });

  it("reads an empty or plot-less dvc.yaml as no plots", () => {
    for (const text of ["", "stages: {}", "stages:\n  a:\n    cmd: x\n", "plots: 3"]) {
      expect(parse(text)).toEqual({ ok: true, value: { definitions: [], skipped: [] } });
    }
  });
});
