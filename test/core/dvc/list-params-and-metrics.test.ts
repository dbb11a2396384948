import { describe, expect, it } from "vitest";
import { listParamsAndMetrics } from "../../../src/core/dvc/list-params-and-metrics.js";
import { parseDvcMetadataNow } from "../../../src/core/dvc/parse-dvc-metadata.js";
import { fixtureVersion } from "./fixture-files.js";

describe("listParamsAndMetrics", () => {
  it("finds what dvc params/metrics diff read in the example layout", () => {
    const files = fixtureVersion("v1");
    expect(listParamsAndMetrics({ metadata: parseDvcMetadataNow(files), paths: files.keys() })).toEqual({ params: new Map([["ml/params.yaml", []]]), metrics: ["ml/metrics.json"] });
  });

  it("tracks keys per file, whole files winning, through wdir and top-level lists", () => {
    const dvcYaml = [
      "params: [conf/extra.yaml]",
      "metrics: [eval/summary.json]",
      "stages:",
      "  train:",
      "    wdir: src",
      "    cmd: x",
      "    params: [lr, {../conf/train.toml: [opt.momentum, opt.lr]}, {../conf/extra.yaml: [a]}]",
      "    metrics: [{scores.json: {cache: false}}]",
      "",
    ].join("\n");
    const files = new Map([
      ["p/.dvc/config", ""],
      ["p/dvc.yaml", dvcYaml],
    ]);
    expect(listParamsAndMetrics({ metadata: parseDvcMetadataNow(files), paths: [...files.keys(), "p/src/params.yaml"] })).toEqual({
      params: new Map([
        ["p/conf/extra.yaml", []],
        ["p/conf/train.toml", ["opt.momentum", "opt.lr"]],
        ["p/src/params.yaml", ["lr"]],
      ]),
      metrics: ["p/eval/summary.json", "p/src/scores.json"],
    });
  });
});
