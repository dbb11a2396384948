import type { ArtifactStore } from "../../ports/artifact-store.js";

/** Puts `content` at `key`, reads it back, removes it and checks it is gone; what went wrong, or undefined. Removes the canary whatever happens. */
export async function storeRoundTrip(store: ArtifactStore, key: string, content: string): Promise<string | undefined> {
  try {
    await store.put(key, content);
    const back = await store.get(key);
    if (back === undefined) return "the canary was written but reads as missing";
    if (back.toString("utf8") !== content) return "the canary read back differs from what was written";
    await store.remove(key);
    if ((await store.get(key)) !== undefined) return "the canary is still there after it was deleted";
    return undefined;
  } catch (e) {
    await store.remove(key).catch(() => undefined);
    return (e as Error).message;
  }
}
