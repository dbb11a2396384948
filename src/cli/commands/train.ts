import { parseOverride, type Override } from "../../core/overrides/parse-override.js";
import { err, ok } from "../../core/result.js";
import { defineCommand } from "../define-command.js";

const usage = `Usage: mlops-bot train [--base REF] [--head REF] [--json] [--markdown FILE] [--open] [--quiet] [--sandbox] [key=value ...]

Trains the commit at HEAD of the git repository in the current folder (in a separate worktree,
so your files are not touched), compares its metrics and params with the base, and prints the
same report the bot posts on a pull request.

  --base REF        what to compare with: the merge-base of HEAD and REF (default: main)
  --head REF        train this commit instead of HEAD (a branch, tag or sha)
  --json            print the result as JSON instead (metrics and params shaped like
                    \`dvc metrics diff --json\` and \`dvc params diff --json\`, gates, conclusion)
  --markdown FILE   also write the report as markdown (for CI job summaries and PR comments)
  --open            serve the bot's job page for this run on 127.0.0.1 (live log, stages, metrics,
                    params, interactive plots, files) and open it in your browser ($BROWSER, or
                    xdg-open / open; BROWSER=none only prints the link); after the report it stays
                    up until Ctrl-C
  --quiet           do not stream the pipeline's output (on a terminal, show one progress line)
  --sandbox         run the pipeline in the bot's bubblewrap sandbox (for code you do not trust,
                    e.g. reviewing a pull request): it sees only its checkout, a scratch HOME and
                    /tmp, and the tools on PATH, read-only
  key=value         parameter overrides, checked against the params file like /train's

The pipeline, params, metrics and gates come from .github/mlops-bot.yml in the working tree
(defaults: \`dvc repro\` in ml/). Checkouts, logs and results go to $MLOPS_DATA_DIR, by default
the user cache folder ($XDG_CACHE_HOME/mlops-bot, else ~/.cache/mlops-bot), never the repository.
Exit code: 0 when the run succeeded and every gate passed, 1 when not, 2 on a usage error,
130 when interrupted (Ctrl-C: the pipeline is stopped and its worktree removed).`;

export interface TrainInput {
  readonly base: string;
  readonly head: string;
  readonly json: boolean;
  readonly markdown: string | undefined;
  readonly open: boolean;
  readonly quiet: boolean;
  readonly sandbox: boolean;
  readonly overrides: readonly Override[];
}

/** `mlops-bot train`: the /train loop on your own machine, reported in the terminal. */
export const trainCommand = defineCommand({
  name: "train",
  summary: "Train HEAD locally and print the metric and params diff against a base",
  usage,
  options: {
    base: { type: "string", default: "main" },
    head: { type: "string", default: "HEAD" },
    json: { type: "boolean", default: false },
    markdown: { type: "string" },
    open: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
    sandbox: { type: "boolean", default: false },
  },
  valueNames: { base: "a branch, tag or commit", head: "a branch, tag or commit", markdown: "a file to write" },
  positionals: true,
  check({ values, positionals }) {
    // The same reading as /train's: `"a.b"=1` names the key `a.b`; each key once.
    const assignments = positionals.map((p) => parseOverride(p));
    const bad = positionals.filter((_, i) => !assignments[i]);
    if (bad.length) return err(`overrides are key=value; got ${bad.map((b) => `"${b}"`).join(", ")}`);
    const invalid = assignments.flatMap((a) => (a && !a.ok ? [a.error] : []));
    if (invalid.length) return err(invalid.join("; ").replaceAll("`", ""));
    const overrides = assignments.flatMap((a) => (a?.ok ? [a.value] : []));
    return ok<TrainInput>({ ...values, markdown: values.markdown, overrides });
  },
  cleansUpOnInterrupt: true,
  load: async () => (await import("../train/run-train.js")).runTrain,
});
