/**
 * One status line on a terminal, rewritten in place (`\r`, erase line); nothing at all when the
 * stream is not a styled terminal (a pipe, a CI log, NO_COLOR), so logs never fill with frames.
 */
export interface Progress {
  update(text: string): void;
  /** Erases the line, so what follows starts on a clean one. */
  clear(): void;
}

export function createProgress(params: { styled: boolean; write: (text: string) => void }): Progress {
  if (!params.styled) return { update: () => undefined, clear: () => undefined };
  let shown = false;
  return {
    update(text) {
      params.write(`\r\u001b[2K${text}`);
      shown = true;
    },
    clear() {
      if (shown) params.write("\r\u001b[2K");
      shown = false;
    },
  };
}
