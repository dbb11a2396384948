/** The bench's printed tables: the summary of the rounds and the ratios against each baseline. */
import { loadavg } from "node:os";
import type { LoadResult } from "./wrk.js";

export interface Measurement extends LoadResult {
  readonly round: number;
  readonly server: string;
  readonly case: string;
  readonly rowsPerRequest: number;
}

export interface Memory {
  readonly rss: number;
  readonly pss: number;
  readonly processes: number;
}

export const FLOOR = "floor: onnxruntime-node session.run in-process";

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Rows answered per second of CPU the server (or the floor) used: how much work a core does, whatever share of the cores it got. */
function perCpuSecond(m: Measurement): number {
  return m.cpuSeconds ? m.requests * m.rowsPerRequest / m.cpuSeconds : NaN;
}

export function printRound(m: Measurement): void {
  const load = `load average ${loadavg()[0]!.toFixed(1)}`;
  const unit = m.server === FLOOR ? "calls/s" : "req/s";
  const bad = m.server === FLOOR ? "" : `, non-2xx ${m.non2xx}, errors ${m.errors}`;
  const cpu = m.cpuSeconds === undefined ? "" : `, ${m.cpuSeconds.toFixed(1)} CPU s (${fmt(perCpuSecond(m))} rows per CPU s)`;
  console.log(`round ${m.round} | ${m.case} | ${m.server}: ${fmt(m.rps)} ${unit} (${fmt(m.rps * m.rowsPerRequest)} rows/s), p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms${bad}${cpu}; ${load}`);
}

/** The medians over the rounds per case and server, then ours against each other line. */
export function printSummary(params: { results: Measurement[]; memory: Map<string, Memory>; ours: string }): void {
  const { results, memory, ours } = params;
  const cases = [...new Set(results.map((r) => r.case))];
  const servers = [...new Set(results.map((r) => r.server))];
  const rounds = new Set(results.map((r) => r.round)).size;
  const med = (c: string, s: string) => {
    const rs = results.filter((r) => r.case === c && r.server === s);
    return {
      rps: median(rs.map((r) => r.rps)),
      perCpu: median(rs.map(perCpuSecond)),
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
      rows: rs[0]!.rowsPerRequest,
      non2xx: rs.reduce((n, r) => n + r.non2xx + r.errors, 0),
    };
  };
  console.log(`\nMedians of ${rounds} rounds (requests/s for servers, session.run calls/s for the floor):\n`);
  console.log("| Case | Server | Requests/s | Rows/s | Rows per CPU s | p50 (ms) | p99 (ms) | Non-2xx + errors | RSS (MB) | PSS (MB) |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const c of cases) {
    for (const s of servers) {
      const m = med(c, s);
      const mem = memory.get(s);
      const memCols = mem ? `${fmt(mem.rss)} (${mem.processes} proc.) | ${fmt(mem.pss)}` : "- | -";
      console.log(`| ${c} | ${s} | ${fmt(m.rps)} | ${fmt(m.rps * m.rows)} | ${fmt(m.perCpu)} | ${m.p50.toFixed(2)} | ${m.p99.toFixed(2)} | ${s === FLOOR ? "-" : m.non2xx} | ${memCols} |`);
    }
  }
  console.log(`\nOurs against each (ratio of the medians; per round in brackets). The last column is the ceiling: the floor's rows per CPU s ÷ the baseline's, what a server with no HTTP or JSON cost at all would reach on this onnxruntime:\n`);
  console.log("| Case | Against | Requests/s, ours ÷ it | p99, ours ÷ it | Rows per CPU s, ours ÷ it | Rows per CPU s, floor ÷ it |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: |");
  for (const c of cases) {
    const o = med(c, ours);
    const floor = servers.includes(FLOOR) ? med(c, FLOOR) : undefined;
    for (const s of servers.filter((x) => x !== ours)) {
      const m = med(c, s);
      const perRound = [...new Set(results.map((r) => r.round))].map((round) => {
        const a = results.find((r) => r.round === round && r.case === c && r.server === ours);
        const b = results.find((r) => r.round === round && r.case === c && r.server === s);
        return a && b ? (a.rps / b.rps).toFixed(2) : "?";
      });
      const what = s === FLOOR ? "rows/s, ours ÷ floor" : "";
      const ceiling = s === FLOOR || !floor ? "-" : `${(floor.perCpu / m.perCpu).toFixed(2)}x`;
      console.log(`| ${c} | ${s}${what ? ` (${what})` : ""} | ${(o.rps / m.rps).toFixed(2)}x [${perRound.join(", ")}] | ${s === FLOOR ? "-" : `${(o.p99 / m.p99).toFixed(2)}x`} | ${(o.perCpu / m.perCpu).toFixed(2)}x | ${ceiling} |`);
    }
  }
}
