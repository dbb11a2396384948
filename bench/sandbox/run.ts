/**
 * npm run bench:sandbox — one `/train` of the example project (checkout of the PR head, the real
 * `dvc repro` pipeline, outputs collected, checkout removed), as the bot's worker runs it, with
 * and without the bubblewrap sandbox:
 *
 * - **unsandboxed**: the baseline, what a team without the sandbox runs: the bot's local runner
 *   with `MLOPS_ALLOW_UNSANDBOXED` (the job is a plain child process of the bot);
 * - **sandboxed**: the bot's default local runner, the job in bubblewrap (as `MLOPS_SANDBOX_UID`
 *   when the bench runs as root, like the bot);
 * - **floor**: the pipeline alone, `dvc repro` spawned directly in a checkout made beforehand
 *   (no bot: no checkout, overrides, output collection or clean-up in the time).
 *
 * Every run starts from a fresh checkout, so DVC reruns every stage. BENCH_ROUNDS (default 2)
 * rounds run the subjects in alternating order (A-B-C, C-B-A, ...), so drift on a shared
 * machine falls on every subject alike. The table gives the wall time (median and worst) and the
 * CPU seconds of the run (this process's own, plus every process it started, from
 * /proc/self/stat: what the run cost, whatever share of a shared machine's CPU it got), each with
 * its ratio to the unsandboxed run. So that the sandbox's processes are counted too, every
 * subject's pipeline is started under `reap.py`, a child subreaper that waits for them all.
 */
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LocalProcessRunner } from "../../src/adapters/runners/local-process-runner.js";
import { BubblewrapSandbox } from "../../src/adapters/runners/sandbox/bubblewrap-sandbox.js";
import { NoSandbox } from "../../src/adapters/runners/sandbox/no-sandbox.js";
import { probeBubblewrap } from "../../src/adapters/runners/sandbox/probe-bubblewrap.js";
import { GitSourceProvider } from "../../src/adapters/source/git-source-provider.js";
import { FsArtifactStore } from "../../src/adapters/stores/fs-artifact-store.js";
import { repoConfigSchema } from "../../src/config/repo-config-schema.js";
import { parseInline } from "../../src/core/limits/parse-repository-file.js";
import { buildJobEnv } from "../../src/jobs/build-job-env.js";
import { runTraining } from "../../src/jobs/run-training.js";
import type { ProcessSandbox } from "../../src/adapters/runners/sandbox/process-sandbox.js";
import type { JobRunner } from "../../src/ports/job-runner.js";
import { JOB_PATH, makeExampleOrigin } from "../../test/helpers/example-repo.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const sandboxUid = Number(process.env.MLOPS_SANDBOX_UID ?? 65534);
const dir = mkdtempSync(path.join(os.tmpdir(), "bench-sandbox-"));
const { base, head } = makeExampleOrigin({ dir: path.join(dir, "origin", "octo-org", "ml-repo"), change: { "train.n_estimators": "60" } });
const sources = new GitSourceProvider({ root: path.join(dir, "sources"), cloneUrl: path.join(dir, "origin", "{owner}", "{repo}") });
const artifacts = new FsArtifactStore(path.join(dir, "artifacts"));
const { pipeline } = repoConfigSchema.parse({});
const { env } = buildJobEnv({ botEnv: process.env, jobPath: JOB_PATH, allowed: [], requested: [] });
// The jobs' scratch HOME and /tmp, outside the bench's own folder (which the sandbox's user cannot enter), as the bot keeps them outside its data folder.
const scratchRoot = mkdtempSync(path.join(os.tmpdir(), "bench-sandbox-scratch-"));
chmodSync(scratchRoot, 0o711);

const ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));
const reaper = ["/usr/bin/python3", fileURLToPath(new URL("reap.py", import.meta.url))];

/** CPU seconds used so far by this process and its finished children (and theirs). */
function cpuSeconds(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  const { user, system } = process.cpuUsage();
  return (Number(fields[13]) + Number(fields[14])) / ticks + (user + system) / 1e6; // cutime + cstime (fields 16 and 17)
}

/** `sandbox`, with its launcher started under the reaper. */
function reaped(sandbox: ProcessSandbox): ProcessSandbox {
  return {
    kind: sandbox.kind,
    sweep: () => sandbox.sweep(),
    launch: async (request) => {
      const launch = await sandbox.launch(request);
      const [command = "", ...args] = reaper;
      return { ...launch, command, args: [...args, launch.command, ...launch.args] };
    },
  };
}

/** One /train as the worker runs it: checkout, pipeline through `runner`, outputs collected, checkout removed. */
async function trainOnce(runner: JobRunner, index: number): Promise<void> {
  const source = await sources.checkout({ repo: { owner: "octo-org", name: "ml-repo" }, sha: head, alsoFetch: [base] });
  try {
    const result = await runTraining({
      source,
      base: { ref: "main", sha: base },
      pipeline,
      network: true,
      overrides: [],
      runner,
      env,
      artifacts,
      prefix: `jobs/bench-${index}`,
      signal: new AbortController().signal,
      parse: parseInline(),
    });
    if (result.outcome !== "succeeded" || Object.keys(result.head.metrics).length === 0) {
      throw new Error(`the run did not succeed (${result.outcome}): ${result.logTail.slice(-5).join(" | ")}`);
    }
  } finally {
    await source.release();
  }
}

/** The floor: `dvc repro` alone, in a clone made before the clock starts. */
function pipelineAlone(index: number): Promise<() => Promise<void>> {
  const clone = path.join(dir, `floor-${index}`);
  execFileSync("git", ["clone", "-q", path.join(dir, "origin", "octo-org", "ml-repo"), clone]);
  execFileSync("git", ["-c", "advice.detachedHead=false", "checkout", "-q", head], { cwd: clone });
  return Promise.resolve(() =>
    new Promise<void>((resolve, reject) => {
      const [command = "", ...args] = [...reaper, ...pipeline.train];
      const child = spawn(command, args, { cwd: path.join(clone, pipeline.workdir), env: { ...env, HOME: clone }, stdio: "ignore" });
      child.on("error", reject);
      child.on("exit", (code) => {
        rmSync(clone, { recursive: true, force: true });
        if (code === 0) resolve();
        else reject(new Error(`dvc repro exited with ${code}`));
      });
    }),
  );
}

interface Subject {
  readonly name: string;
  /** Prepares one run (untimed) and returns the timed part. */
  prepare(index: number): Promise<() => Promise<void>>;
}

function subjects(): Subject[] {
  const hostUser = process.getuid?.() === 0 ? { uid: sandboxUid, gid: sandboxUid } : undefined;
  const probe = probeBubblewrap(hostUser);
  if (!probe.ok) throw new Error(`bench:sandbox needs the sandbox: ${probe.message}`);
  const unsandboxed = new LocalProcessRunner({ sandbox: reaped(new NoSandbox({ scratchRoot })) });
  const sandboxed = new LocalProcessRunner({ sandbox: reaped(new BubblewrapSandbox({ bwrap: probe.bwrap, jobPath: JOB_PATH, hostUser, protect: [dir], scratchRoot })) });
  return [
    { name: "unsandboxed (MLOPS_ALLOW_UNSANDBOXED)", prepare: (i) => Promise.resolve(() => trainOnce(unsandboxed, i)) },
    { name: "sandboxed (bubblewrap, the default)", prepare: (i) => Promise.resolve(() => trainOnce(sandboxed, i)) },
    { name: "floor: dvc repro alone", prepare: pipelineAlone },
  ];
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main(): Promise<void> {
  const list = subjects();
  const wall = new Map<string, number[]>(list.map((s) => [s.name, []]));
  const cpu = new Map<string, number[]>(list.map((s) => [s.name, []]));
  let index = 0;
  await (await list[0]!.prepare(index++))(); // warm-up: the venv's files into the page cache, git's first run
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? list : [...list].reverse();
    for (const subject of order) {
      const timed = await subject.prepare(index++);
      const cpuBefore = cpuSeconds();
      const start = performance.now();
      await timed();
      wall.get(subject.name)!.push((performance.now() - start) / 1000);
      cpu.get(subject.name)!.push(cpuSeconds() - cpuBefore);
      process.stderr.write(`round ${round + 1}/${rounds}: ${subject.name} ${wall.get(subject.name)!.at(-1)!.toFixed(2)} s\n`);
    }
  }
  const baseWall = median(wall.get(list[0]!.name)!);
  const baseCpu = median(cpu.get(list[0]!.name)!);
  const rows = list.map((s) => {
    const w = wall.get(s.name)!;
    const c = cpu.get(s.name)!;
    return [s.name, String(w.length), median(w).toFixed(2), Math.max(...w).toFixed(2), `${(median(w) / baseWall).toFixed(3)}x`, median(c).toFixed(2), `${(median(c) / baseCpu).toFixed(3)}x`];
  });
  const header = ["one /train of the example", "runs", "wall median s", "wall max s", "wall vs unsandboxed", "CPU median s", "CPU vs unsandboxed"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  console.log(`bench:sandbox — ${rounds} rounds in alternating order, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), node ${process.version}`);
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
  for (const row of rows) console.log(line(row));
}

try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(scratchRoot, { recursive: true, force: true });
}
