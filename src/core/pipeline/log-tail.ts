/** What ends a piece of a line too long to keep whole; the next piece continues it. */
export const LINE_CUT_MARKER = " [mlops-bot: line cut, continues]";

/**
 * Keeps the last `max` lines of a stream of text chunks (plus the unfinished one), in time linear
 * in the bytes pushed: each chunk is scanned once, and a line longer than `maxLineChars` is cut
 * into pieces of that length, each but the last ending with `LINE_CUT_MARKER` (a job printing
 * 100 MB on one line costs 100 MB of scanning, and keeps a few KB).
 */
export class LogTail {
  private readonly lines: string[] = [];
  private partial = "";

  constructor(
    private readonly max = 60,
    private readonly maxLineChars = 2000,
  ) {}

  push(text: string): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      const end = nl < 0 ? text.length : nl;
      this.extend(text, start, end);
      if (nl < 0) return;
      this.complete(this.partial.endsWith("\r") ? this.partial.slice(0, -1) : this.partial);
      this.partial = "";
      start = nl + 1;
    }
  }

  snapshot(): string[] {
    const all = this.partial ? [...this.lines, this.partial] : [...this.lines];
    return all.slice(-this.max);
  }

  /** Appends text[start, end) to the unfinished line, cutting it into pieces as it grows. */
  private extend(text: string, start: number, end: number): void {
    let at = start;
    while (at < end) {
      const room = this.maxLineChars - this.partial.length;
      if (room <= 0) {
        this.complete(this.partial + LINE_CUT_MARKER);
        this.partial = "";
        continue;
      }
      const take = Math.min(room, end - at);
      this.partial += text.slice(at, at + take);
      at += take;
    }
  }

  private complete(line: string): void {
    // A progress bar rewrites its line with \r: keep only the last state.
    const shown = line.includes("\r") ? (line.split("\r").filter(Boolean).pop() ?? "") : line;
    this.lines.push(shown);
    if (this.lines.length > this.max) this.lines.shift();
  }
}
