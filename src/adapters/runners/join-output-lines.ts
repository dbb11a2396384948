/** How many bytes of one unfinished line a stream may hold back before passing them on anyway. */
const MAX_HELD_BYTES = 64 * 1024;
const NL = 0x0a;
const CR = 0x0d;

export interface OutputLines {
  /** Takes a chunk of the job's stdout. */
  readonly stdout: (chunk: Buffer) => void;
  /** Takes a chunk of the job's stderr. */
  readonly stderr: (chunk: Buffer) => void;
  /** Passes on each stream's unfinished last line; call once both streams have ended. */
  readonly flush: () => void;
}

/**
 * Merges a job's stdout and stderr into one log a whole line at a time. The two arrive through
 * separate pipes, and a program may write one line in several pieces (busybox sh writes "sh: ",
 * then "can't create ...", then the newline): passed on as they come, a stdout line landed in the
 * middle of a stderr line ("sh: BASE-WRITE denied\ncan't create ..."), and a reader looking for
 * the stdout line lost it. So each stream holds its unfinished line until it ends (a newline, or
 * the carriage return of a progress bar), the stream ends, or it passes `maxHeldBytes`. The
 * order of lines across the two streams stays what the pipes gave; within one stream it is kept.
 */
export function joinOutputLines(write: (chunk: Buffer) => void, maxHeldBytes = MAX_HELD_BYTES): OutputLines {
  const stream = () => {
    // The unfinished line, in the pieces it came in (each byte is copied once, however it trickles in).
    let held: Buffer[] = [];
    let heldBytes = 0;
    const pass = (last?: Buffer) => {
      const line = last ? [...held, last] : held;
      held = [];
      heldBytes = 0;
      if (line.length) write(Buffer.concat(line));
    };
    return {
      push(chunk: Buffer) {
        if (!chunk.length) return;
        const end = lineEnd(chunk);
        if (end > 0) {
          pass(chunk.subarray(0, end));
        } else if (held.at(-1)?.at(-1) === CR) {
          pass(); // the carriage return held back was not the first half of \r\n
        }
        const rest = chunk.subarray(end);
        if (rest.length) {
          held.push(rest);
          heldBytes += rest.length;
        }
        if (heldBytes > maxHeldBytes) pass();
      },
      flush: () => pass(),
    };
  };
  const out = stream();
  const err = stream();
  return {
    stdout: (chunk) => out.push(chunk),
    stderr: (chunk) => err.push(chunk),
    flush: () => {
      out.flush();
      err.flush();
    },
  };
}

/** Where the last finished line in `chunk` ends (0 if none): after its last \n, or its last \r unless that is the final byte (a \n may follow). */
function lineEnd(chunk: Buffer): number {
  const nl = chunk.lastIndexOf(NL);
  const cr = chunk.length >= 2 ? chunk.lastIndexOf(CR, chunk.length - 2) : -1;
  return Math.max(nl, cr) + 1;
}
