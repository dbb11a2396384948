import type fc from "fast-check";
import { parseRepoConfig } from "../../src/config/parse-repo-config.js";
import { parseRepositoryFile, type ParsedKind } from "../../src/core/limits/parse-repository-file.js";
import { parseOverride } from "../../src/core/overrides/parse-override.js";
import { createInstanceScanner } from "../../src/serve/create-instance-scanner.js";
import { createPredictRequestParser } from "../../src/serve/create-predict-request-parser.js";
import * as arb from "./fuzz-arbitraries.js";

/** One parser under fuzzing: inputs it gets, how to call it, and the crafted 1 MB inputs it must also survive. */
export interface FuzzTarget {
  readonly name: string;
  readonly inputs: fc.Arbitrary<unknown>;
  /** Calls the parser; a throw is a failure (parsers return problems, never throw). */
  readonly run: (input: unknown) => void;
  readonly crafted: ReadonlyArray<readonly [string, () => unknown]>;
}

/** The parser must answer with a result: `{ ok: true, ... }` or `{ ok: false, ... }`. */
function expectResult(outcome: unknown): void {
  if (typeof outcome !== "object" || outcome === null || typeof (outcome as { ok?: unknown }).ok !== "boolean") {
    throw new Error(`returned ${JSON.stringify(outcome)?.slice(0, 100)} instead of a result`);
  }
}

function fileTarget(name: string, kind: ParsedKind, file: string, inputs: fc.Arbitrary<string>): FuzzTarget {
  return { name, inputs, run: (text) => expectResult(parseRepositoryFile({ kind, file, text: text as string })), crafted: arb.craftedTexts };
}

const predict = createPredictRequestParser({ featureCount: 4, featureNames: ["a", "b", "c", "d"], maxBatch: 64 });
const scan = createInstanceScanner({ featureCount: 4, maxBatch: 64 });

export const fuzzTargets: readonly FuzzTarget[] = [
  fileTarget("params (YAML)", "params", "ml/params.yaml", arb.yamlText),
  fileTarget("params (JSON)", "params", "ml/params.json", arb.jsonText),
  fileTarget("params (TOML)", "params", "ml/params.toml", arb.tomlText),
  fileTarget("metrics (JSON)", "metrics", "metrics.json", arb.jsonText),
  fileTarget("dvc.yaml", "dvc-yaml", "dvc.yaml", arb.yamlText),
  fileTarget("dvc.lock", "dvc-lock", "dvc.lock", arb.yamlText),
  fileTarget(".dvc file", "dvc-file", "data/raw.dvc", arb.yamlText),
  fileTarget(".dir manifest", "dir-manifest", ".dvc/cache/files/md5/d4/1d8c.dir", arb.jsonText),
  fileTarget(".dvc/config", "dvc-config", ".dvc/config", arb.iniText),
  { ...fileTarget("backlog body", "backlog", "issue #1", arb.backlogText), crafted: [...arb.craftedTexts, ...arb.craftedBacklogs, ...arb.craftedMarkdown] },
  {
    ...fileTarget("plots", "plots", "plots", arb.plotRequestText),
    // The plot files and dvc.yaml inside the request, crafted (the request itself is the bot's own JSON).
    crafted: arb.craftedTexts.flatMap(([name, make]) => [
      [`${name} in dvc.yaml`, () => JSON.stringify({ dvcYaml: { file: "dvc.yaml", text: make() }, head: {} })],
      [`${name} in a plot file`, () => JSON.stringify({ head: { "plots/a.yaml": make() } })],
    ] as const),
  },
  {
    name: "repo config",
    inputs: arb.yamlText,
    run: (text) => expectResult(parseRepoConfig(text as string)),
    crafted: arb.craftedTexts,
  },
  {
    // As the bot reads a merged pull request's body for the backlog items it completes (in a parse worker).
    ...fileTarget("pull request body", "pr-body", "pull request #1's body", arb.backlogText),
    crafted: [...arb.craftedTexts, ["65,536 characters of `Completes #1 1.1, `", () => "Completes #1 1.1, ".repeat(3640)], ...arb.craftedMarkdown],
  },
  {
    // As the bot reads a comment (in a parse worker, under the comment's byte cap).
    name: "slash commands",
    inputs: arb.commentText,
    run: (text) => {
      const parsed = parseRepositoryFile({ kind: "comment", file: "this comment", text: text as string });
      if (parsed.ok && (!Array.isArray(parsed.value.commands) || !Array.isArray(parsed.value.errors))) throw new Error("no commands or errors");
      expectResult(parsed);
    },
    crafted: [...arb.craftedTexts, ["65,536-character comment of commands", () => "/train a=1\n".repeat(5957)]],
  },
  {
    name: "override",
    inputs: arb.overrideText,
    run: (text) => {
      const parsed = parseOverride(text as string);
      if (parsed !== undefined) expectResult(parsed);
    },
    crafted: arb.craftedTexts.map(([name, make]) => [name, () => `a=${make()}`] as const),
  },
  {
    name: "predict request",
    inputs: arb.predictBody,
    run: (body) => expectResult(predict(body)),
    crafted: [
      ["100,000 instances", () => ({ instances: Array.from({ length: 100_000 }, () => [1, 2, 3, 4]) })],
      ["deep instance", () => ({ instances: [JSON.parse("[".repeat(100_000) + "]".repeat(100_000)) as unknown] })],
      ["1 MB feature name", () => ({ instances: [{ ["a".repeat(1024 * 1024)]: 1 }] })],
    ],
  },
  {
    name: "predict bytes",
    inputs: arb.predictBytes,
    run: (body) => void scan(body as Buffer),
    crafted: arb.craftedTexts.map(([name, make]) => [name, () => Buffer.from(`{"instances": [${make()}]}`)] as const),
  },
];
