import { fuzzTargets } from "./fuzz-targets.js";
import { runFuzzTarget, type FuzzReport } from "./run-fuzz-target.js";

/**
 * `npm run fuzz`: every parser of hostile input (repository files, the repo config, slash
 * commands and overrides, /predict bodies) gets FUZZ_RUNS generated inputs (default 100,000,
 * seed FUZZ_SEED or the time) and crafted 1 MB inputs. Prints a table of runs, throws and the
 * slowest input per parser; exits 1 when any parser threw or took more than 1 s on one input.
 */
const runs = Number(process.env.FUZZ_RUNS ?? 100_000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const only = process.env.FUZZ_ONLY;
const LIMIT_MS = 1000;
const out = (line: string) => void process.stdout.write(`${line}\n`);

out(`fuzzing ${only ? `"${only}"` : `${fuzzTargets.length} parsers`}: ${runs.toLocaleString("en-US")} generated inputs each, plus the crafted ones (seed ${seed}, node ${process.version})\n`);
const reports: FuzzReport[] = [];
for (const target of fuzzTargets.filter((t) => !only || t.name === only)) {
  const started = Date.now();
  const report = runFuzzTarget(target, { numRuns: runs, seed });
  reports.push(report);
  process.stderr.write(`${target.name}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

out("| Parser | Runs | Throws | Slowest input | Slowest time |");
out("| --- | ---: | ---: | --- | ---: |");
for (const r of reports) {
  out(`| ${r.name} | ${r.runs.toLocaleString("en-US")} | ${r.throws} | ${r.slowestInput.replaceAll("|", "\\|")} | ${r.slowestMs.toFixed(1)} ms |`);
}
const thrown = reports.filter((r) => r.throws > 0);
const slow = reports.filter((r) => r.slowestMs > LIMIT_MS);
for (const r of thrown) out(`\n${r.name} threw on ${r.firstThrow!.input}: ${r.firstThrow!.error}`);
for (const r of slow) out(`\n${r.name} took ${r.slowestMs.toFixed(0)} ms (over ${LIMIT_MS} ms) on ${r.slowestInput}`);
out(`\n${thrown.length === 0 && slow.length === 0 ? "ok" : "FAILED"}: ${reports.reduce((n, r) => n + r.throws, 0)} throws, ${slow.length} parsers over ${LIMIT_MS} ms on one input`);
process.exitCode = thrown.length === 0 && slow.length === 0 ? 0 : 1;
