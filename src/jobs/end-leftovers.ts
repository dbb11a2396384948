import type { Logger } from "../ports/logger.js";

/** Something that ends what dead bot processes left behind (their jobs' processes, folders, containers); returns what it removed. */
export type LeftoverSweeper = () => Promise<string[]>;

/**
 * Restart recovery beyond the job records: runs every sweeper (checkouts, sandbox scratch
 * folders, job containers), each on its own so one that fails does not keep the others from
 * running, and logs what was ended.
 */
export async function endLeftovers(sweepers: readonly LeftoverSweeper[], log: Logger): Promise<void> {
  for (const sweep of sweepers) {
    try {
      const removed = await sweep();
      if (removed.length) log.warn({ removed }, "ended what a stopped bot process left behind (its jobs' processes, checkouts, scratch folders, containers)");
    } catch (e) {
      log.warn({ err: e }, "could not end what a stopped bot process left behind; will try at the next start");
    }
  }
}
