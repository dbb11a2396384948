/**
 * npm run bench:backlog — the CPU time a backlog webhook spends in pure code (the GitHub calls
 * come on top), on a generated backlog body as long as the bot reads (the fixture `gcp-terraform.md`
 * repeated with renumbered phases up to GitHub's cap on issue bodies, 65,536 characters, within
 * the backlog limits' 2,500 lines). Baseline: micromark's GFM parse of the same body, what a team
 * would reach for (the bot reads markdown with its own linear reader). Answers whether the work may run inline
 * in the webhook (GitHub gives up after 10 s) or needs the job queue.
 *
 * BENCH_RUNS (default 15) sets the runs per case.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BACKLOG_SHAPE_LIMITS } from "../../src/core/backlog/check-backlog-shape.js";
import { computeBacklogProgress } from "../../src/core/backlog/compute-backlog-progress.js";
import { confirmBacklogTransition } from "../../src/core/backlog/confirm-backlog-transition.js";
import { decideBacklogAction } from "../../src/core/backlog/decide-backlog-action.js";
import { findItemReferences } from "../../src/core/backlog/find-item-references.js";
import { parseBacklog } from "../../src/core/backlog/parse-backlog.js";
import { parseMarkdownWithMicromark } from "../../test/helpers/parse-markdown-with-micromark.js";
import { planItemTicks } from "../../src/core/backlog/plan-item-ticks.js";
import { renderBacklogProgress } from "../../src/report/backlog/render-backlog-progress.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const runs = Number(process.env.BENCH_RUNS ?? 15);
const unit = readFileSync(path.join(root, "test/fixtures/backlogs/gcp-terraform.md"), "utf8");
let body = "";
const unitLines = unit.split("\n").length;
// Up to GitHub's cap and the backlog limits (2,500 lines; a longer body is not read at all: core/backlog/check-backlog-shape.ts).
for (let k = 0; body.length + unit.length <= 65_000 && body.split("\n").length + unitLines <= BACKLOG_SHAPE_LIMITS.maxLines; k++) body += unit.replace(/(\d+)\.(\d+)/g, (_m, a: string, b: string) => `${Number(a) + 10 * k}.${b}`);
const items = parseBacklog(body).items;
const open = items.filter((i) => i.state === "open" && i.number !== null && i.role !== null);
const refs = (n: number) => findItemReferences(`Completes #12 ${open.slice(0, n).map((i) => `[${i.role}] ${i.number}`).join(", ")}`);
const before = body.replace(/- \[x\]/, "- [ ]");
const config = { close_when_done: true, reopen_when_unticked: true };

const cases: Array<[string, () => unknown]> = [
  ["micromark GFM parse (baseline)", () => parseMarkdownWithMicromark(body)],
  ["parseBacklog", () => parseBacklog(body)],
  ["issues.edited, progress only", () => renderBacklogProgress({ progress: computeBacklogProgress(parseBacklog(body)), issueNumber: 12 })],
  [
    "issues.edited, close or reopen",
    () => {
      const backlog = parseBacklog(body);
      renderBacklogProgress({ progress: computeBacklogProgress(backlog), issueNumber: 12 });
      const decision = decideBacklogAction({ backlog, issue: { state: "closed", stateReason: "completed" }, config });
      return confirmBacklogTransition({ decision, before: parseBacklog(before), senderIsBot: false });
    },
  ],
  ["pull_request.closed, 1 item", () => planItemTicks({ body, references: refs(1) })],
  ["pull_request.closed, 10 items", () => planItemTicks({ body, references: refs(10) })],
];

// Rounds in alternating order (A-B-…-B-A): each round runs every case once, odd rounds backwards,
// so a machine that gets busier or quieter during the run weighs on every case alike.
for (const [, fn] of cases) fn(); // warm-up
const times = cases.map(() => [] as number[]);
for (let round = 0; round < runs; round++) {
  const order = cases.map((_, i) => i);
  if (round % 2 === 1) order.reverse();
  for (const i of order) {
    const start = performance.now();
    cases[i]![1]();
    times[i]!.push(performance.now() - start);
  }
}
const rows = cases.map(([name], i) => {
  const sorted = [...times[i]!].sort((a, b) => a - b);
  return { name, median: sorted[Math.floor(sorted.length / 2)] ?? 0, p99: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0 };
});

const baseline = rows[0]?.median ?? 1;
console.log(`Backlog body: ${Buffer.byteLength(body)} bytes, ${body.split("\n").length} lines, ${items.length} items; ${runs} rounds in alternating order (p99 = slowest run below 100 runs)\n`);
console.log(`${"Case".padEnd(34)}  ${"median ms".padStart(9)}  ${"p99 ms".padStart(7)}  ${"x baseline".padStart(10)}`);
for (const r of rows) console.log(`${r.name.padEnd(34)}  ${r.median.toFixed(1).padStart(9)}  ${r.p99.toFixed(1).padStart(7)}  ${(r.median / baseline).toFixed(2).padStart(10)}`);
