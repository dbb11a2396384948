/**
 * npm run bench:train — a `/train` end to end against `dvc repro` from scratch, in the same run.
 *
 * Four cases on one pull request of the example project (`ml/`): the first `/train`, a Re-run
 * of the same commit (the check run's button), a `/train train.n_estimators=60` and a
 * `/train data.n_samples=2500`. Ours: the whole bot (webhook to reported check run, GitHub's API
 * faked with nock, the real pipeline on the local runner, the shared DVC cache on its defaults),
 * a fresh bot per round. Baseline: for each case, a fresh clone of the head with the case's
 * parameter and `dvc repro` (every stage runs). Rounds alternate A-B-B-A; the table gives the
 * median of the rounds, how much of the bot's time was the pipeline itself (the runner's wall
 * time), the stages each side ran, and the ratio ours / baseline.
 *
 * BENCH_ROUNDS (default 2: four rounds in all) tunes the run. Needs the project venv (`dvc`).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { makeExampleOrigin } from "../../test/helpers/example-repo.js";
import { OWNER, REPO } from "../../test/helpers/payloads.js";
import { baselineRun } from "./baseline.js";
import { CASES, OVERRIDES, oursRound, type CaseName, type CaseTiming } from "./ours.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const dir = mkdtempSync(path.join(tmpdir(), "mlops-bench-train-"));
const originRoot = path.join(dir, "origin");
const origin = path.join(originRoot, OWNER, REPO);
const { base, head } = makeExampleOrigin({ dir: origin, change: {} });

type Side = "ours" | "dvc repro";
const samples: Array<{ side: Side; round: number; times: Record<CaseName, CaseTiming> }> = [];
const order: Side[] = Array.from({ length: rounds }, (_, i): Side[] => (i % 2 === 0 ? ["ours", "dvc repro"] : ["dvc repro", "ours"])).flat();
const load = [loadavg()[0]!];
console.log(`bench:train on ${cpus().length} CPUs, load average ${load[0]!.toFixed(2)} at the start; ${order.join(", ")}`);
try {
  for (const [i, side] of order.entries()) {
    const round = Math.floor(i / 2) + 1;
    let times: Record<CaseName, CaseTiming>;
    if (side === "ours") {
      times = await oursRound({ dir: mkdtempSync(path.join(dir, "bot-")), originRoot, head, base });
    } else {
      times = {} as Record<CaseName, CaseTiming>;
      for (const name of CASES) times[name] = baselineRun({ origin, head, overrides: OVERRIDES[name] });
    }
    for (const name of CASES) if (times[name].state !== "succeeded") throw new Error(`${side} ${name}: the job ended ${times[name].state}`);
    samples.push({ side, round, times });
    console.log(`round ${round} ${side.padEnd(9)} ${CASES.map((c) => `${c}: ${times[c].seconds.toFixed(2)} s`).join(" | ")}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
load.push(loadavg()[0]!);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const of = (side: Side, name: CaseName) => samples.filter((s) => s.side === side).map((s) => s.times[name]);
const stagesOf = (timings: CaseTiming[]) => [...new Set(timings.map((t) => t.stages.join(", ") || "none"))].join(" / ");
const first = median(of("ours", "first /train").map((t) => t.seconds));

console.log("");
console.log("| case | /train, bot (s) | of which the pipeline in the job (s) | dvc repro from scratch (s) | ours / dvc repro | ours / first /train | stages run by the bot | stages run by dvc repro | GitHub calls |");
console.log("|---|---:|---:|---:|---:|---:|---|---|---:|");
for (const name of CASES) {
  const ours = of("ours", name);
  const baseline = of("dvc repro", name);
  const a = median(ours.map((t) => t.seconds));
  const b = median(baseline.map((t) => t.seconds));
  const calls = [...new Set(ours.map((t) => t.calls))].join(" / ");
  const pipeline = median(ours.map((t) => t.pipelineSeconds ?? Number.NaN));
  console.log(`| ${name} | ${a.toFixed(2)} | ${pipeline.toFixed(2)} | ${b.toFixed(2)} | ${(a / b).toFixed(2)}x | ${(a / first).toFixed(2)}x | ${stagesOf(ours)} | ${stagesOf(baseline)} | ${calls} |`);
}
console.log("");
console.log(`Medians of ${rounds} rounds each (A-B-B-A). The pipeline in the job: the runner's wall time (sandbox start, dvc repro); the rest is the bot's (intake, mirror and checkout, cache set-up, outputs, report). GitHub calls: every API call of the case but the token exchange, progress updates (one per 10 s, the default) included.`);
console.log(`Load average ${load[0]!.toFixed(2)} at the start, ${load[1]!.toFixed(2)} at the end, on ${cpus().length} CPUs: a shared machine's numbers.`);
