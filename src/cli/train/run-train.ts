import { EXIT_USAGE, interruptedExitCode, type CliIo } from "../cli-command.js";
import type { TrainInput } from "../commands/train.js";
import { createProgress } from "../create-progress.js";
import { localUser, printTrainResult } from "./print-train-result.js";
import { resolveTrainTarget, type TrainTarget } from "./resolve-train-target.js";
import type { LocalJobPage } from "./serve-local-job-page.js";
import { cliDataDir, trainLocally } from "./train-locally.js";

/** `mlops-bot train`: resolve what to train, train it in a worktree, print the report; exit on its conclusion. */
export async function runTrain(input: TrainInput, io: CliIo): Promise<number> {
  const target = await resolveTrainTarget({ cwd: io.cwd, base: input.base, head: input.head, overrides: input.overrides });
  if (!target.ok) {
    io.err(`mlops-bot train: ${target.error}\n`);
    return EXIT_USAGE;
  }
  for (const note of target.value.notes) io.err(`note: ${note}\n`);
  if (io.signal?.aborted) return interruptedExitCode(io.signal);

  // --open: the bot's job page for this run, on 127.0.0.1; after the report it stays up until Ctrl-C.
  // Loaded only then: it brings the SQLite store and the web pages.
  const page = input.open ? await (await import("./serve-local-job-page.js")).serveLocalJobPage({ dataDir: cliDataDir({ cwd: io.cwd, env: io.env }), target: target.value, requestedBy: localUser(io.env), env: io.env }) : undefined;
  if (page) io.err(`Job page: ${page.url}\n`);
  try {
    const code = await trainAndReport(input, io, target.value, page);
    const signal = io.signal;
    if (page && signal && !signal.aborted && code !== EXIT_USAGE) {
      io.err(`The job page stays up at ${page.url} until Ctrl-C.\n`);
      await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
    }
    return code;
  } finally {
    await page?.close();
  }
}

async function trainAndReport(input: TrainInput, io: CliIo, target: TrainTarget, page: LocalJobPage | undefined): Promise<number> {
  const progress = createProgress({ styled: input.quiet && io.styled?.err === true, write: (text) => io.err(text) });
  const started = Date.now();
  let stage = "";
  const tick = () => progress.update(`training${stage ? `: stage ${stage}` : ""} · ${formatElapsed(Date.now() - started)}`);
  const timer = input.quiet && io.styled?.err ? setInterval(tick, 1000) : undefined;
  const trained = await trainLocally({
    target,
    cwd: io.cwd,
    page,
    env: io.env,
    sandbox: input.sandbox,
    signal: io.signal,
    onStart: (what) => io.err(`${what}\n`),
    onOutput: (text) => {
      stage = /Running stage '([^']+)'/.exec(text)?.[1] ?? stage;
      if (input.quiet) tick();
      else io.err(text);
    },
  }).finally(() => {
    clearInterval(timer);
    progress.clear();
  });
  await page?.finish(
    !trained.ok ? { state: "failed", reason: trained.error } : trained.value.interrupted ? { state: "cancelled", reason: "Interrupted (Ctrl-C)." } : { result: trained.value.result },
  );
  if (!trained.ok) {
    io.err(`mlops-bot train ${trained.error}\n`);
    return EXIT_USAGE;
  }
  if (trained.value.interrupted) {
    io.err(`mlops-bot train: interrupted; the pipeline was stopped and its worktree removed. Its log so far: ${trained.value.runDir}/log.txt\n`);
    return interruptedExitCode(io.signal);
  }
  const comparison = await printTrainResult({ io, target, local: trained.value, json: input.json, markdown: input.markdown });
  return comparison.conclusion === "success" ? 0 : 1;
}

function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
