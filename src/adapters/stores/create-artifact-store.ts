import path from "node:path";
import { ConfigError } from "../../core/errors.js";
import { parseStorageUrl } from "../../core/storage/parse-storage-url.js";
import type { ArtifactStore } from "../../ports/artifact-store.js";
import { openArtifactStore, type ArtifactStoreOptions } from "./open-artifact-store.js";

export type { ArtifactStoreOptions } from "./open-artifact-store.js";

/**
 * An artifact store from a URL: `gs://bucket/prefix`, `file:///path`, or a plain absolute path
 * (the schemes of `core/storage/parse-storage-url.ts`). Another scheme, or a relative path, is a
 * `ConfigError` naming `source` and the forms accepted.
 */
export function createArtifactStore(url: string, options: ArtifactStoreOptions = {}, source = "artifact store URL"): Promise<ArtifactStore> {
  const location = parseStorageUrl(url, ["path", "file", "gs"]);
  if (!location.ok) return Promise.reject(new ConfigError([{ file: source, message: location.error }]));
  if (location.value.kind === "folder" && !path.isAbsolute(location.value.dir)) {
    return Promise.reject(new ConfigError([{ file: source, message: `\`${url}\` is a relative path; give an absolute one` }]));
  }
  return Promise.resolve(openArtifactStore(location.value, options));
}
