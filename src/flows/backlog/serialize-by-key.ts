/**
 * Runs tasks that share a key one after another, in this process; tasks with other keys run
 * alongside. GitHub sends `issues.opened` and `issues.labeled` for a new labelled issue at the
 * same moment: one at a time, the second finds the first one's progress comment instead of
 * creating another, and sees the state the first one left.
 */
export function serializeByKey(): <T>(key: string, task: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<void>>();
  return async <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    let release = () => {};
    const done = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => done);
    tails.set(key, tail);
    await previous;
    try {
      return await task();
    } finally {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
