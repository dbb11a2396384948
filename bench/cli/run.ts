/**
 * npm run bench:cli [-- --rounds 10]
 *
 * Start-up time of the `mlops-bot` command, as a user waits for it: the whole process, from
 * spawn to exit, of
 *   --help   on an empty folder (loads the dispatcher and the command specs)
 *   diff     `diff --json` on a throwaway repository of the example project (scripts/make-example-repo.sh)
 * run by
 *   package  the installed package: `npm pack` (compiled dist/), installed into an empty prefix,
 *            its bin run as a user runs it
 *   tsx      the entry the CLI had before the package was built: the TypeScript sources through
 *            tsx's loader in the same process (`node --import tsx src/cli/main.ts`), tsx's
 *            transform cache warm (the warm-up round fills it)
 *   node -e 0  the floor: a Node.js process that loads nothing
 * in alternating rounds (A-B-B-A: package, tsx, tsx, package; the next round starts with tsx),
 * after one warm-up round that is not counted. Prints one table; timings are never asserted in tests.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const rounds = Number(process.argv[process.argv.indexOf("--rounds") + 1] ?? 10) || 10;
const work = mkdtempSync(path.join(tmpdir(), "mlops-bot-bench-cli-"));

interface Variant {
  readonly name: string;
  readonly command: readonly string[];
}
interface Case {
  readonly name: string;
  readonly cwd: string;
  readonly args: readonly string[];
}

function sh(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** One run's wall time in ms; the exit code must be the expected one (0), so a broken start is not timed as fast. */
function timeOnce(command: readonly string[], c: Case): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(command[0]!, [...command.slice(1), ...c.args], { cwd: c.cwd, env: { ...process.env, NO_COLOR: "1" }, encoding: "utf8", maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${command.join(" ")} ${c.args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

try {
  console.log(`bench:cli: npm pack and install into an empty prefix in ${work} ...`);
  sh("npm", ["pack", "--silent", "--pack-destination", work], root);
  const tarball = path.join(work, readdirSync(work).find((f) => f.endsWith(".tgz"))!);
  const prefix = path.join(work, "prefix");
  sh("npm", ["install", "-g", "--prefix", prefix, "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error", tarball], root, { ...process.env, ONNXRUNTIME_NODE_INSTALL: "skip" });
  sh("bash", [path.join(root, "scripts/make-example-repo.sh"), path.join(work, "repo")], root);
  const empty = mkdtempSync(path.join(work, "empty-"));

  const packaged: Variant = { name: "package", command: [path.join(prefix, "bin", "mlops-bot")] };
  const tsx: Variant = { name: "tsx", command: [process.execPath, "--import", new URL("../../node_modules/tsx/dist/esm/index.mjs", import.meta.url).href, path.join(root, "src/cli/main.ts")] };
  const cases: Case[] = [
    { name: "--help", cwd: empty, args: ["--help"] },
    { name: "diff --json", cwd: path.join(work, "repo"), args: ["diff", "--json"] },
  ];
  const floor = { name: "node -e 0", cwd: empty, args: [] } satisfies Case;
  const floorCommand = [process.execPath, "-e", "0"];

  const samples = new Map<string, number[]>();
  const add = (key: string, ms: number) => samples.set(key, [...(samples.get(key) ?? []), ms]);
  for (const c of cases) for (const v of [packaged, tsx]) timeOnce(v.command, c); // warm-up: disk cache, tsx's transform cache
  timeOnce(floorCommand, floor);
  for (let round = 0; round < rounds; round++) {
    const [a, b] = round % 2 === 0 ? [packaged, tsx] : [tsx, packaged];
    for (const c of cases) for (const v of [a, b, b, a]) add(`${c.name}|${v.name}`, timeOnce(v.command, c));
    add("floor", timeOnce(floorCommand, floor));
    add("floor", timeOnce(floorCommand, floor));
  }

  const header = ["command", "package (median)", "tsx entry (median)", "package / tsx", "package min", "tsx min", "runs each"];
  const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
  const lines = cases.map((c) => {
    const p = samples.get(`${c.name}|package`)!;
    const t = samples.get(`${c.name}|tsx`)!;
    return [`mlops-bot ${c.name}`, fmt(median(p)), fmt(median(t)), `${(median(p) / median(t)).toFixed(2)}x`, fmt(Math.min(...p)), fmt(Math.min(...t)), String(p.length)];
  });
  const f = samples.get("floor")!;
  lines.push(["node -e 0 (floor)", fmt(median(f)), "-", "-", fmt(Math.min(...f)), "-", String(f.length)]);
  const widths = header.map((h, k) => Math.max(h.length, ...lines.map((l) => l[k]!.length)));
  const row = (cells: readonly string[]) => `| ${cells.map((cell, k) => cell.padEnd(widths[k]!)).join(" | ")} |`;
  console.log(["", row(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...lines.map(row)].join("\n"));
  console.log(`\n${rounds} rounds A-B-B-A after a warm-up; Node.js ${process.version}; package ${path.basename(tarball)} installed in ${sh("du", ["-sh", prefix], root).split("\t")[0]}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
