import type { ComparedPlot, PlotComparison } from "../../core/plots/plot-comparison.js";
import { renderConfusionTable } from "./render-confusion-table.js";
import { renderCurveChart, type SideLabels } from "./render-curve-chart.js";
import { renderUntrustedCode, renderUntrustedText } from "../format/render-untrusted-text.js";

export interface PlotSection {
  readonly markdown: string;
  /** Ids of the plots that did not fit in the budget. */
  readonly leftOut: readonly string[];
}

/**
 * Every plot of a comparison, base and head in one chart or table, in at most `budget` UTF-8
 * bytes (GitHub counts characters, never more than bytes) and `maxPlots` charts: plots are added in
 * order while they fit, and a note names those left out and where to see them (`pageUrl`, the job page). Plots
 * not drawn at all (images, bad paths, missing files) and unreadable files are listed too.
 */
export function renderPlotSection(params: {
  comparison: PlotComparison;
  sides: SideLabels;
  budget: number;
  heading?: string;
  pageUrl?: string | undefined;
  /** Charts at most (GitHub draws each Mermaid chart in a frame of its own: a comment stays readable with a few). */
  maxPlots?: number;
}): PlotSection {
  const { comparison, sides } = params;
  if (comparison.plots.length === 0 && comparison.skipped.length === 0 && comparison.problems.length === 0) return { markdown: "", leftOut: [] };
  const heading = params.heading ?? "### Plots";
  const where = params.pageUrl ? ` Every plot is on the [job page](${params.pageUrl}).` : "";
  const tail = [
    ...(comparison.skipped.length ? ["", `Not drawn: ${comparison.skipped.map((s) => `${renderUntrustedCode(s.id)} (${s.reason})`).join("; ")}.`] : []),
    ...(comparison.problems.length ? ["", "Could not read:", "", ...comparison.problems.slice(0, 10).map((p) => `- ${renderNote(p)}`)] : []),
  ].join("\n");
  const leftOutNote = (ids: readonly string[]) =>
    ids.length ? `\n\n> ${ids.length === 1 ? "1 plot was" : `${ids.length} plots were`} left out here to stay within GitHub's limits: ${ids.map((id) => renderUntrustedCode(id, { max: 60 })).join(", ")}.${where}` : "";

  const parts: string[] = [heading];
  const leftOut: string[] = [];
  let used = utf8Length(heading) + utf8Length(tail);
  for (const plot of comparison.plots) {
    const block = `\n\n${renderPlot(plot, sides)}`;
    const size = utf8Length(block);
    // Keep room for the note that would name every plot still to come.
    const reserve = utf8Length(leftOutNote(comparison.plots.map((p) => p.id)));
    const room = parts.length - 1 < (params.maxPlots ?? Infinity);
    if (room && leftOut.length === 0 && used + size + reserve <= params.budget) {
      parts.push(block);
      used += size;
    } else leftOut.push(plot.id);
  }
  const markdown = parts.join("") + leftOutNote(leftOut) + (tail ? `\n${tail}` : "");
  if (utf8Length(markdown) > params.budget) return { markdown: "", leftOut: comparison.plots.map((p) => p.id) };
  return { markdown, leftOut };
}

function renderPlot(plot: ComparedPlot, sides: SideLabels): string {
  const head = `**${renderUntrustedText(plot.title)}** · ${renderUntrustedCode(plot.id)}`;
  const notes = plot.notes.length ? `\n\n<sub>${plot.notes.map((n) => renderNote(n)).join(" ")}</sub>` : "";
  if (plot.kind === "curve") return `${head}\n\n${renderCurveChart(plot, sides)}${notes}`;
  const what = `Head ${plot.normalized ? "shares of each row" : "counts"}${plot.base ? `, change from the base (${sides.base}) in brackets` : ""}`;
  const legend = `${what}; bold: where ${renderUntrustedCode(plot.yLabel, { max: 30 })} and ${renderUntrustedCode(plot.xLabel, { max: 30 })} agree.`;
  return `${head}\n\n<sub>${legend}</sub>\n\n${renderConfusionTable(plot)}${notes}`;
}

/** Notes are ours, but quote file and field names from the PR inside backticks: keep those as code. */
function renderNote(note: string): string {
  return note
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith("`") && part.endsWith("`") && part.length >= 2 ? renderUntrustedCode(part.slice(1, -1)) : renderUntrustedText(part, 400, { trim: false })))
    .join("");
}

export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
