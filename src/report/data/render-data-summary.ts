import type { DataReport } from "../../core/dvc/data-report.js";
import { renderByteSize } from "../format/render-byte-size.js";

/**
 * One line for a check-run title or a comment: `2 datasets changed: +1,204 files, -3 files,
 * 17 modified, 2 renamed, +48.2 MB`; `No data changes.` when nothing changed.
 */
export function renderDataSummary(report: Pick<DataReport, "totals">): string {
  const { datasets, files, sizeDelta, sizeUnknown } = report.totals;
  if (datasets === 0) return "No data changes.";
  const parts: string[] = [];
  if (files.added > 0) parts.push(`+${count(files.added)} ${plural(files.added, "file")}`);
  if (files.deleted > 0) parts.push(`-${count(files.deleted)} ${plural(files.deleted, "file")}`);
  if (files.modified > 0) parts.push(`${count(files.modified)} modified`);
  if (files.renamed > 0) parts.push(`${count(files.renamed)} renamed`);
  if (sizeUnknown < datasets) parts.push(renderByteSize(sizeDelta, { signed: true }) + (sizeUnknown > 0 ? ` (size of ${sizeUnknown} unknown)` : ""));
  const head = `${count(datasets)} ${plural(datasets, "dataset")} changed`;
  return parts.length > 0 ? `${head}: ${parts.join(", ")}` : head;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
