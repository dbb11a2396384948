/** Keeps the last `max` complete lines of a stream of text chunks (plus the unfinished one). */
export class LogTail {
  private readonly lines: string[] = [];
  private partial = "";

  constructor(private readonly max = 60) {}

  push(text: string): void {
    const parts = (this.partial + text).split(/\r?\n/);
    this.partial = parts.pop() ?? "";
    for (const line of parts) {
      // A progress bar rewrites its line with \r: keep only the last state.
      this.lines.push(line.includes("\r") ? (line.split("\r").filter(Boolean).pop() ?? "") : line);
      if (this.lines.length > this.max) this.lines.shift();
    }
  }

  snapshot(): string[] {
    const all = this.partial ? [...this.lines, this.partial] : [...this.lines];
    return all.slice(-this.max);
  }
}
