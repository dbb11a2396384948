import type { Logger } from "../ports/logger.js";

/**
 * Work a webhook starts but does not wait for (a /doctor run takes longer than GitHub waits for
 * an answer): tracked, so that a stopping process lets it finish, and logged when it fails.
 */
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();

  start(name: string, task: () => Promise<void>, log: Logger): void {
    const run = task()
      .catch((e: unknown) => log.error({ err: e, task: name }, "background task failed"))
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Resolves when every task started so far has ended. */
  async drain(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  get size(): number {
    return this.running.size;
  }
}
