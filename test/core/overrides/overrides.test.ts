import { describe, expect, it } from "vitest";
import { applyOverrides } from "../../../src/core/overrides/apply-overrides.js";
import { validateOverrides } from "../../../src/core/overrides/validate-overrides.js";
import { flattenParamLeaves } from "../../../src/core/params/flatten-param-leaves.js";
import { parseParamsFile } from "../../../src/core/params/parse-params-file.js";

const yaml = [
  "# Parameters",
  "data:",
  "  n_samples: 2000   # rows",
  "train:",
  "  model: gradient_boosting",
  "  learning_rate: 0.1",
  "  n_estimators: 100",
  "  warm_start: false",
  "  layers: [64, 32]",
  "",
].join("\n");

function files(text = yaml, file = "ml/params.yaml") {
  const parsed = parseParamsFile({ file, text });
  if (!parsed.ok) throw new Error("fixture must parse");
  return [{ file, leaves: flattenParamLeaves(parsed.value) }];
}

describe("validateOverrides", () => {
  it("types each override by its leaf", () => {
    const result = validateOverrides({
      overrides: [
        { key: "train.learning_rate", value: "0.05" },
        { key: "train.n_estimators", value: "200" },
        { key: "train.warm_start", value: "True" },
        { key: "train.model", value: "random_forest" },
      ],
      files: files(),
    });
    expect(result).toEqual({
      ok: true,
      value: [
        { file: "ml/params.yaml", key: "train.learning_rate", value: 0.05, type: "float" },
        { file: "ml/params.yaml", key: "train.n_estimators", value: 200, type: "int" },
        { file: "ml/params.yaml", key: "train.warm_start", value: true, type: "bool" },
        { file: "ml/params.yaml", key: "train.model", value: "random_forest", type: "string" },
      ],
    });
  });

  it("lists every problem and the valid keys", () => {
    const result = validateOverrides({
      overrides: [
        { key: "lr", value: "0.1" },
        { key: "learning_rate", value: "0.1" },
        { key: "train.n_estimators", value: "2.5" },
        { key: "train", value: "x" },
        { key: "train.layers", value: "[1]" },
      ],
      files: files(),
    });
    expect(result).toEqual({
      ok: false,
      error: [
        "`lr` is not a parameter in `ml/params.yaml`.",
        "`learning_rate` is not a parameter in `ml/params.yaml`. Did you mean `train.learning_rate`?",
        "`train.n_estimators` is an integer in `ml/params.yaml` (line 7); `2.5` is not (write e.g. `200`).",
        "`train` is not a parameter in `ml/params.yaml`. It is a group; set one of its keys, e.g. `train.model=…`.",
        "`train.layers` is a list in `ml/params.yaml` (line 9); `[1]` is not: lists cannot be overridden from a comment.",
        "Valid keys: `data.n_samples`, `train.model`, `train.learning_rate`, `train.n_estimators`, `train.warm_start`.",
      ],
    });
  });
});

describe("applyOverrides", () => {
  it("changes only the overridden YAML scalars, keeping comments and float-ness", () => {
    const out = applyOverrides({
      file: "ml/params.yaml",
      text: yaml,
      overrides: [
        { file: "ml/params.yaml", key: "train.learning_rate", value: 1, type: "float" },
        { file: "ml/params.yaml", key: "data.n_samples", value: 500, type: "int" },
        { file: "ml/params.yaml", key: "train.model", value: "true", type: "string" },
      ],
    });
    expect(out).toBe(yaml.replace("0.1", "1.0").replace("2000", "500").replace("gradient_boosting", '"true"'));
    const reparsed = parseParamsFile({ file: "ml/params.yaml", text: out });
    expect(reparsed.ok && reparsed.value.data.train).toMatchObject({ learning_rate: 1, model: "true" });
    expect(reparsed.ok && reparsed.value.leaves.get("train.learning_rate")?.type).toBe("float");
  });

  it("rewrites JSON and TOML params", () => {
    expect(applyOverrides({ file: "p.json", text: '{"a": {"b": 1}}', overrides: [{ file: "p.json", key: "a.b", value: 2, type: "int" }] })).toBe(
      '{\n  "a": {\n    "b": 2\n  }\n}\n',
    );
    expect(applyOverrides({ file: "p.toml", text: "[a]\nb = 1\n", overrides: [{ file: "p.toml", key: "a.b", value: 3, type: "int" }] })).toBe("[a]\nb = 3\n");
  });
});
