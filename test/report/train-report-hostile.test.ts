import type { Nodes } from "mdast";
import { describe, expect, it } from "vitest";
import { parseRepoConfig } from "../../src/config/parse-repo-config.js";
import { parseMarkdownWithMicromark as parseMarkdown } from "../helpers/parse-markdown-with-micromark.js";
import { parseInline } from "../../src/core/limits/parse-repository-file.js";
import { buildPlotComparison } from "../../src/core/plots/build-plot-comparison.js";
import { parsePlotDefinitions } from "../../src/core/plots/parse-plot-definitions.js";
import { compareTraining } from "../../src/core/train/compare-training.js";
import { parseTrainingFiles } from "../../src/core/train/parse-training-files.js";
import type { TrainingResult } from "../../src/core/train/training-result.js";
import { renderTrainReport } from "../../src/report/train/render-train-report.js";

// What a pull request (or whoever named a branch) controls in a train report, made hostile: each
// would mention, link, embed an image or inject HTML if it reached GitHub's markdown as is.
const EVIL = "@admin [x](https://evil.example/a) ![i](https://evil.example/i.png) <img src=x onerror=alert(1)> https://evil.example/b #12";
const BRANCH = "main`" + EVIL.replaceAll(" ", "_") + "`";
/** A file name (no slashes) that is just as hostile. */
const NAME = "@admin [x](javascript:alert(1)) ![i](x.png) <img src=x onerror=alert(1)> #12";
const OURS = ["https://github.com/o/r/runs/1", "https://bot.example.com/jobs/j?exp=1&sig=s", "https://mlflow.example.com/#/experiments/3/runs/r1"];

/** Links, images and raw HTML GitHub's markdown would make of `text`, and the @mentions outside code. */
function active(text: string): string[] {
  const parsed = parseMarkdown(text);
  if (!parsed.ok) throw new Error(parsed.error);
  const found: string[] = [];
  const walk = (node: Nodes): void => {
    if ((node.type === "link" || node.type === "image") && !OURS.includes(node.url)) found.push(`${node.type} ${node.url}`);
    if (node.type === "linkReference" || node.type === "imageReference") found.push(node.type);
    // The bot's own formatting tags may stay; nothing else may open a tag.
    if (node.type === "html" && !node.value.startsWith("<!-- mlops-bot:") && /[<>]/.test(node.value.replace(/<\/?(details( open)?|summary|b|sub|code)>/g, ""))) found.push(`html ${node.value}`);
    if (node.type === "text") for (const m of node.value.matchAll(/@[A-Za-z0-9_-]+|#\d/g)) if (m[0] !== "@octocat" && m[0] !== "#7") found.push(`text ${m[0]}`);
    if ("children" in node) for (const child of node.children) walk(child);
  };
  walk(parsed.value.tree);
  return found;
}

async function report(outcome: "succeeded" | "failed") {
  const dvcYaml = `plots:\n  - ${JSON.stringify(`plots/${NAME}.json`)}:\n      title: ${JSON.stringify(EVIL)}\n      x: ${JSON.stringify(EVIL)}\n      y: loss\n  - plots/cm.csv:\n      template: confusion\n      x: ${JSON.stringify(EVIL)}\n      y: predicted\n`;
  const defs = parsePlotDefinitions({ file: "ml/dvc.yaml", text: dvcYaml });
  if (!defs.ok) throw new Error("fixture");
  const rows = JSON.stringify([0, 1, 2].map((i) => ({ [EVIL]: i, loss: 1 / (i + 1) })));
  const cm = `${JSON.stringify(EVIL)},predicted\n${JSON.stringify(EVIL)},a\na,a\n`;
  const headSha = "5d6e7f8".padEnd(40, "0");
  const baseSha = "1a2b3c4".padEnd(40, "0");
  const metrics = JSON.stringify({ [EVIL]: 0.9, accuracy: 0.95 });
  const result: TrainingResult = {
    outcome,
    durationMs: 9000,
    headSha,
    overrides: [],
    head: { metrics: { "ml/metrics.json": metrics }, params: { "ml/params.yaml": `train:\n  ${JSON.stringify(EVIL)}: ${JSON.stringify(EVIL)}\n` } },
    base: { source: "commit", ref: BRANCH, sha: baseSha, metrics: { "ml/metrics.json": metrics.replace("0.95", "0.9") }, params: { "ml/params.yaml": "train: {}\n" } },
    artifacts: [],
    logKey: "jobs/j/log.txt",
    logTail: [EVIL, "```", EVIL, "~~~", "    " + EVIL],
    ...(outcome === "failed" ? { failingStage: EVIL, error: EVIL } : {}),
    outputNotes: [`\`ml/plots/${EVIL}\` is a link: not collected.`],
    plots: buildPlotComparison({ definitions: defs.value, head: { [`ml/plots/${NAME}.json`]: rows, "ml/plots/cm.csv": cm }, base: { [`ml/plots/${NAME}.json`]: rows, "ml/plots/cm.csv": cm } }),
    // What the tracking server answered, quoted in the report: not the PR's to write, but not ours either.
    mlflow: { runId: "r1", experimentId: "3", runUrl: OURS[2]!, problem: `The MLflow run could not be ended: MLflow POST runs/update answered 400: ${EVIL}` },
  };
  const config = parseRepoConfig(undefined);
  if (!config.ok) throw new Error("config");
  const job = { state: outcome, reason: outcome === "failed" ? "The pipeline failed." : null, requestedBy: "octocat", headSha, baseRef: BRANCH, baseSha, pr: 7 } as const;
  const comparison = compareTraining({ state: outcome, result, parsed: await parseTrainingFiles(result, parseInline()), config: config.value });
  return renderTrainReport({ job, result, comparison, precision: 5, checkUrl: OURS[0], pageUrl: OURS[1] });
}

describe("a train report of a hostile pull request", () => {
  it.each(["succeeded", "failed"] as const)("mentions, links and embeds nothing but the bot's own links (%s run)", async (outcome) => {
    const { summary, comment, text } = await report(outcome);
    expect(summary.match(/```mermaid\n/g)).toHaveLength(1);
    expect(summary).toContain("### Params");
    for (const [name, markdown] of Object.entries({ summary, comment, text })) expect(active(markdown), `${name}:\n${markdown}`).toEqual([]);
    // The comment still says what it compared with: the branch name, quoted whole as code.
    expect(comment).toContain(`base \`\`${BRANCH.slice(0, 99)}…\`\` @ \`1a2b3c4\``);
    expect(comment).toContain("<summary><b>Plots</b>: base <code>main&#96;&#64;admin_&#91;x&#93;(https://evil.example/a)");
  });
});
