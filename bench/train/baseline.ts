/**
 * The baseline of bench:train: what a team without the bot runs for each case, from scratch: a
 * fresh clone of the pull request's head, the case's parameter written into `ml/params.yaml`,
 * and `dvc repro` (no cache, so every stage runs). Timed from the clone to the end of the repro.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { JOB_PATH } from "../../test/helpers/example-repo.js";
import type { CaseTiming } from "./ours.js";

/** Sets dotted `section.key=value` overrides in the example's params file (one level deep, as the example has). */
export function applyOverrides(text: string, overrides: string): string {
  let out = text;
  for (const assignment of overrides.split(/\s+/).filter(Boolean)) {
    const [key, value] = assignment.split("=") as [string, string];
    const [section, leaf] = key.split(".") as [string, string];
    const start = out.search(new RegExp(`^${section}:`, "m"));
    const pattern = new RegExp(`^(\\s+${leaf}:\\s*)[^\\s#]+`, "m");
    const tail = out.slice(start).replace(pattern, `$1${value}`);
    if (start < 0 || tail === out.slice(start)) throw new Error(`cannot set ${key} in params.yaml`);
    out = out.slice(0, start) + tail;
  }
  return out;
}

export function baselineRun(params: { origin: string; head: string; overrides: string }): CaseTiming {
  const dir = mkdtempSync(path.join(path.dirname(params.origin), "baseline-"));
  const env = { ...process.env, PATH: JOB_PATH };
  const run = (cwd: string, cmd: string, args: string[]) => execFileSync(cmd, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  try {
    const started = performance.now();
    run(dir, "git", ["init", "-q"]);
    run(dir, "git", ["fetch", "-q", params.origin, params.head]);
    run(dir, "git", ["checkout", "-q", "--detach", params.head]);
    const file = path.join(dir, "ml", "params.yaml");
    if (params.overrides) writeFileSync(file, applyOverrides(readFileSync(file, "utf8"), params.overrides));
    const output = run(path.join(dir, "ml"), "dvc", ["repro"]);
    const seconds = (performance.now() - started) / 1000;
    const stages = [...output.matchAll(/^Running stage '([^']+)':/gm)].map((m) => m[1]!);
    return { seconds, stages, state: "succeeded", calls: 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
