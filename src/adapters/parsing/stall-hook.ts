/**
 * Tests only: a parse that never finishes, so the pool's deadline and memory cap can be tested
 * without a file that happens to be slow on this machine (a faster machine would finish it).
 * The bot never sets it (`WorkerPoolOptions.stallHook` is absent outside tests).
 */
export interface StallHook {
  /** The request file name that triggers it. */
  readonly file: string;
  /** `spin`: a busy loop forever; `allocate`: keeps allocating until the heap cap stops it. */
  readonly how: "spin" | "allocate";
}

export function runStallHook(hook: StallHook, file: string): void {
  if (file !== hook.file) return;
  if (hook.how === "spin") {
    for (;;) {
      // Never returns: only the pool's deadline (terminating this worker) ends it.
    }
  }
  const kept: number[][] = [];
  for (;;) kept.push(new Array<number>(1 << 16).fill(kept.length));
}
