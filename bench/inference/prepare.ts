/** What `npm run bench:inference` makes before it measures: the model, the baselines' venv, the compiled server. */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const venv = path.join(root, ".venv-bench");
export const models = path.join(root, "ml/models");
export const serverJs = path.join(venv, "serve-dist/serve/main.js");

export interface Parity {
  readonly instances: number[][];
  readonly probabilities: number[][];
  readonly labels: number[];
  readonly classes: number[];
  readonly tolerance: number;
}

export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  const result = spawnSync(command, args, { cwd: options.cwd ?? root, env: options.env ?? process.env, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
}

/** ml/models/{model.onnx, model.pkl, parity.json}: from the pipeline when any is missing. */
function ensureModel(): void {
  if (["model.onnx", "model.pkl", "parity.json"].every((f) => existsSync(path.join(models, f)))) return;
  console.log("bench: ml/models/ is incomplete; running the pipeline (dvc repro in ml/)");
  if (!existsSync(path.join(root, ".venv/bin/dvc"))) run("bash", ["scripts/setup-python.sh"]);
  run(path.join(root, ".venv/bin/dvc"), ["repro"], { cwd: path.join(root, "ml"), env: { ...process.env, PATH: `${path.join(root, ".venv/bin")}:${process.env.PATH ?? ""}` } });
}

/** <repo>/.venv-bench with the baselines' pinned packages; skipped when the stamp matches. */
function ensureBenchVenv(): void {
  const files = ["bench/inference/requirements.txt", "ml/requirements.txt"].map((f) => readFileSync(path.join(root, f)));
  const want = createHash("sha256").update(Buffer.concat(files)).digest("hex");
  const stamp = path.join(venv, ".requirements.sha256");
  if (existsSync(stamp) && readFileSync(stamp, "utf8").trim() === want) return;
  console.log("bench: installing FastAPI, uvicorn, scikit-learn and onnxruntime into .venv-bench (first run: about a minute)");
  if (!existsSync(path.join(venv, "bin/python"))) run(process.env.PYTHON ?? "python3", ["-m", "venv", venv]);
  run(path.join(venv, "bin/python"), ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", "bench/inference/requirements.txt"]);
  writeFileSync(stamp, `${want}\n`);
}

/** wrk, the load generator (Debian's package): its absence stops the bench with what to run. */
function ensureWrk(): void {
  const found = spawnSync("wrk", ["--version"], { encoding: "utf8" });
  if (found.error) throw new Error("bench: wrk is not installed; install it with `apt-get install wrk` (Debian/Ubuntu) and run the bench again");
}

/** Everything the bench needs; returns the parity set (ml/models/parity.json). */
export function prepare(): Parity {
  ensureWrk();
  ensureModel();
  ensureBenchVenv();
  console.log("bench: compiling the server (docker/inference/tsconfig.json), as the image runs it");
  run(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "docker/inference/tsconfig.json", "--outDir", path.join(venv, "serve-dist")]);
  return JSON.parse(readFileSync(path.join(models, "parity.json"), "utf8")) as Parity;
}

/** Labels equal and every probability within the parity tolerance of scikit-learn's (parity.json), or the row that is not. */
export function checkParity(parity: Parity, rows: number[], labels: ArrayLike<number | bigint>, probabilities: (k: number, c: number) => number): string | undefined {
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    if (Number(labels[k]) !== parity.labels[i]) return `row ${i}: label ${labels[k]}, scikit-learn says ${parity.labels[i]}`;
    for (let c = 0; c < parity.classes.length; c++) {
      const diff = Math.abs(probabilities(k, c) - parity.probabilities[i]![c]!);
      if (!(diff <= parity.tolerance)) return `row ${i}, class ${parity.classes[c]}: off by ${diff} (tolerance ${parity.tolerance})`;
    }
  }
  return undefined;
}
