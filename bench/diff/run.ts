/**
 * npm run bench:diff [-- --entries 1000000 --runs 5 --dvc-runs 3 --dvc-timeout 300 --dvc PATH]
 *
 * Two `.dir` manifests of 1,000,000 files (about 1% changed: adds, deletes, modifies, renames) in a
 * temp folder; each case runs in a fresh child process (honest peak RSS), several times:
 *   json-parse   read both manifests + JSON.parse: the floor any diff must pay
 *   mlops-bot    buildDataReport: read + parse + diff + renames + report, through the ArtifactStore
 *   dvc diff     the real `dvc diff --json` between two commits of a DVC repo with the same cache,
 *                when a dvc binary is found and finishes within the time limit
 * Prints one table. Timings are measured here, never asserted in tests.
 */
import { spawnSync } from "node:child_process";
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateManifests, type GeneratedPair } from "./generate-manifests.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");
const args = parseArgs(process.argv.slice(2));

interface Sample {
  ms: number;
  peakRssMB: number;
  found: unknown;
}
interface Row {
  name: string;
  samples: Sample[];
  note?: string;
}

const work = mkdtempSync(path.join(tmpdir(), "mlops-bot-bench-diff-"));
try {
  const cache = path.join(work, "cache");
  process.stdout.write(`generating two manifests of ${args.entries.toLocaleString("en-US")} entries in ${work} ... `);
  const t0 = performance.now();
  const pair = await generateManifests({ cache, entries: args.entries, changed: Math.round(args.entries / 100) });
  console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`expected changes: ${JSON.stringify(pair.expected)}`);

  const rows: Row[] = [];
  for (const name of ["json-parse", "mlops-bot"]) rows.push({ name, samples: repeat(args.runs, () => runNodeCase(name, cache, pair)) });
  rows.push(runDvcCase(work, cache, pair));

  const ours = rows[1]!.samples[0]?.found as Record<string, number> | undefined;
  const agree = ours && JSON.stringify(ours) === JSON.stringify(pair.expected);
  printTable(rows, args.entries);
  console.log(`\nmlops-bot found ${JSON.stringify(ours)}: ${agree ? "as generated" : "DIFFERENT from what was generated"}`);
  const dvcFound = rows[2]!.samples[0]?.found;
  if (dvcFound) console.log(`dvc diff found  ${JSON.stringify(dvcFound)}: ${JSON.stringify(dvcFound) === JSON.stringify(pair.expected) ? "as generated" : "DIFFERENT"}`);
  if (!agree) process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}

function runNodeCase(name: string, cache: string, pair: GeneratedPair): Sample {
  const child = spawnSync(process.execPath, ["--import", "tsx", path.join(here, "case.ts"), name, cache, pair.baseHash, pair.headHash], {
    cwd: repoRoot,
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`case ${name} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").pop()!) as Sample;
}

function runDvcCase(workDir: string, cache: string, pair: GeneratedPair): Row {
  const name = "dvc diff";
  const dvc = findDvc();
  if (!dvc) return { name, samples: [], note: "skipped: no dvc binary (pass --dvc PATH, set DVC_BIN, or run scripts/make-dvc-fixtures.sh once)" };
  const repo = path.join(workDir, "dvc-repo");
  mkdirSync(repo);
  const sh = (cmd: string, cmdArgs: string[]): void => {
    const r = spawnSync(cmd, cmdArgs, { cwd: repo, encoding: "utf8", env: { ...process.env, DVC_NO_ANALYTICS: "1" } });
    if (r.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(" ")}: ${r.stderr}`);
  };
  sh("git", ["init", "-q"]);
  sh("git", ["config", "user.email", "bench@example.com"]);
  sh("git", ["config", "user.name", "bench"]);
  sh(dvc, ["init", "-q"]);
  for (const [hash, files] of [
    [pair.baseHash, pair.baseFiles],
    [pair.headHash, pair.headFiles],
  ] as const) {
    writeFileSync(path.join(repo, "data.dvc"), `outs:\n- md5: ${hash}\n  nfiles: ${files}\n  hash: md5\n  path: data\n`);
    sh("git", ["add", "-A"]);
    sh("git", ["commit", "-q", "-m", hash]);
  }
  const objects = path.join(cache, "files", "md5");
  for (const prefix of readdirSync(objects)) {
    mkdirSync(path.join(repo, ".dvc/cache/files/md5", prefix), { recursive: true });
    for (const f of readdirSync(path.join(objects, prefix))) linkSync(path.join(objects, prefix, f), path.join(repo, ".dvc/cache/files/md5", prefix, f));
  }
  const python = existsSync(path.join(path.dirname(dvc), "python")) ? path.join(path.dirname(dvc), "python") : "python3";
  const wrapper = [
    "import json, resource, subprocess, sys, time",
    "t = time.perf_counter()",
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)",
    "ms = (time.perf_counter() - t) * 1000",
    "if r.returncode: sys.exit(r.stderr)",
    "d = json.loads(r.stdout)",
    "files = lambda k: sum(1 for e in d.get(k, []) if not (e['path']['new'] if isinstance(e['path'], dict) else e['path']).endswith('/'))",
    "found = {k: files(k) for k in ('added', 'deleted', 'modified', 'renamed')}",
    "print(json.dumps({'ms': ms, 'peakRssMB': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 'found': found}))",
  ].join("\n");
  const samples: Sample[] = [];
  for (let k = 0; k < args.dvcRuns; k++) {
    const r = spawnSync(python, ["-c", wrapper, dvc, "diff", "--json", "HEAD~1", "HEAD"], { cwd: repo, encoding: "utf8", timeout: args.dvcTimeout * 1000, env: { ...process.env, DVC_NO_ANALYTICS: "1" } });
    if (r.error || r.signal) return { name, samples, note: `skipped: dvc diff did not finish within ${args.dvcTimeout} s` };
    if (r.status !== 0) return { name, samples, note: `skipped: dvc diff failed: ${r.stderr.trim().split("\n").pop()}` };
    samples.push(JSON.parse(r.stdout.trim()) as Sample);
  }
  return { name, samples, note: `${dvc}` };
}

function findDvc(): string | undefined {
  const candidates = [args.dvc, process.env.DVC_BIN, "/tmp/mlops-bot-dvc-venv/bin/dvc", path.join(repoRoot, ".venv/bin/dvc")];
  for (const c of candidates) if (c && existsSync(c)) return c;
  const which = spawnSync("sh", ["-c", "command -v dvc"], { encoding: "utf8" });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : undefined;
}

function repeat(n: number, f: () => Sample): Sample[] {
  return Array.from({ length: n }, f);
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

function printTable(rows: readonly Row[], entries: number): void {
  const floor = median(rows[0]!.samples.map((s) => s.ms));
  const header = ["case", "entries", "runs", "median", "p99 (max)", "min", "peak RSS", "vs parse floor"];
  const lines = rows.map((r) => {
    if (r.samples.length === 0) return [r.name, entries.toLocaleString("en-US"), "0", "-", "-", "-", "-", r.note ?? "-"];
    const ms = r.samples.map((s) => s.ms).sort((a, b) => a - b);
    const rss = Math.max(...r.samples.map((s) => s.peakRssMB));
    return [r.name, entries.toLocaleString("en-US"), String(ms.length), fmt(median(ms)), fmt(quantile(ms, 0.99)), fmt(ms[0]!), `${rss.toFixed(0)} MB`, `${(median(ms) / floor).toFixed(2)}x`];
  });
  const widths = header.map((h, k) => Math.max(h.length, ...lines.map((l) => l[k]!.length)));
  const row = (cells: readonly string[]): string => `| ${cells.map((c, k) => c.padEnd(widths[k]!)).join(" | ")} |`;
  console.log(["", row(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...lines.map(row)].join("\n"));
  for (const r of rows) if (r.note && r.samples.length > 0) console.log(`${r.name}: ${r.note}`);
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

function parseArgs(argv: readonly string[]): { entries: number; runs: number; dvcRuns: number; dvcTimeout: number; dvc: string | undefined } {
  const get = (flag: string): string | undefined => {
    const k = argv.indexOf(flag);
    return k >= 0 ? argv[k + 1] : undefined;
  };
  return {
    entries: Number(get("--entries") ?? 1_000_000),
    runs: Number(get("--runs") ?? 5),
    dvcRuns: Number(get("--dvc-runs") ?? 3),
    dvcTimeout: Number(get("--dvc-timeout") ?? 300),
    dvc: get("--dvc"),
  };
}
