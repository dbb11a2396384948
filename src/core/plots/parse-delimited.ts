/**
 * CSV or TSV text -> rows of cells, as Python's `csv` reads it for DVC (RFC 4180 quotes, `""`
 * inside quotes, CRLF or LF). One pass over the text, cells cut by `slice`; stops after `maxRows`
 * rows (the header counts) and says so.
 */
export function parseDelimited(text: string, delimiter: "," | "\t", maxRows: number): { rows: string[][]; truncated: boolean } {
  const rows: string[][] = [];
  const n = text.length;
  let row: string[] = [];
  let i = 0;
  while (i < n) {
    let cell: string;
    if (text[i] === '"') {
      // Quoted cell: up to the closing quote, `""` is one quote.
      let start = i + 1;
      cell = "";
      i = start;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          cell += text.slice(start);
          i = n;
          break;
        }
        cell += text.slice(start, q);
        if (text[q + 1] === '"') {
          cell += '"';
          start = i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      // Anything after the closing quote up to the delimiter belongs to the cell (as csv does).
      const rest = nextBreak(text, i, delimiter);
      cell += text.slice(i, rest);
      i = rest;
    } else {
      const end = nextBreak(text, i, delimiter);
      cell = text.slice(i, end);
      i = end;
    }
    row.push(cell);
    if (i < n && text[i] === delimiter) {
      i++;
      if (i === n) row.push("");
      continue;
    }
    // End of line (or of the text).
    if (i < n && text[i] === "\r" && text[i + 1] === "\n") i++;
    i++;
    if (!(row.length === 1 && row[0] === "")) rows.push(row);
    row = [];
    if (rows.length >= maxRows && i < n) return { rows, truncated: true };
  }
  return { rows, truncated: false };
}

function nextBreak(text: string, from: number, delimiter: string): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === delimiter || c === "\n" || c === "\r") return i;
    i++;
  }
  return i;
}
