import type { ArtifactStore } from "../../ports/artifact-store.js";
import { dirManifestKeys } from "./dir-manifest-keys.js";

/** Reads a `.dir` manifest of a DVC root: its text and where it was found, or undefined. */
export type ManifestReader = (ref: { root: string; hash: string }) => Promise<{ file: string; text: string } | undefined>;

const SAFE_HASH = /^[0-9a-z]{2,}\.dir$/i;

/**
 * A manifest reader over DVC caches and remotes behind the `ArtifactStore` port: for each root,
 * the stores are tried in order (cache first, then remotes), each in both layouts. A hash that is
 * not hex-like (`../x.dir`) is refused (the reader throws), so a key never leaves its folder.
 */
export function createManifestReader(params: { stores: (root: string) => readonly ArtifactStore[] }): ManifestReader {
  return async ({ root, hash }) => {
    // The hash comes from a PR's files and becomes a key: never let it name another path.
    if (!SAFE_HASH.test(hash)) throw new Error(`\`${hash}\` is not a .dir hash`);
    for (const store of params.stores(root)) {
      for (const key of dirManifestKeys(hash)) {
        const data = await store.get(key);
        if (data) return { file: `${store.location}/${key}`, text: data.toString("utf8") };
      }
    }
    return undefined;
  };
}
