import path from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../../core/errors.js";
import type { ArtifactStore } from "../../ports/artifact-store.js";
import { FsArtifactStore } from "./fs-artifact-store.js";

type Builder = (url: string, options: ArtifactStoreOptions) => Promise<ArtifactStore>;

export interface ArtifactStoreOptions {
  /** A storage emulator's endpoint (tests); production uses the real service and ADC. */
  readonly gcsEndpoint?: string | undefined;
}

/** Artifact stores by URL scheme. */
const builders: Record<string, Builder> = {
  "file:": (url) => Promise.resolve(new FsArtifactStore(fileURLToPath(url))),
  "gs:": async (url, options) => {
    const { GcsArtifactStore } = await import("./gcs-artifact-store.js");
    return GcsArtifactStore.fromUrl(url, { apiEndpoint: options.gcsEndpoint });
  },
};

/**
 * An artifact store from a URL: `gs://bucket/prefix`, `file:///path`, or a plain absolute path.
 * An unknown scheme is a `ConfigError` listing the ones this bot supports.
 */
export async function createArtifactStore(url: string, options: ArtifactStoreOptions = {}, source = "artifact store URL"): Promise<ArtifactStore> {
  if (path.isAbsolute(url)) return new FsArtifactStore(url);
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0].toLowerCase();
  const builder = scheme ? builders[scheme] : undefined;
  if (!builder) {
    throw new ConfigError([
      { file: source, message: `"${url}" is not a supported location; use ${Object.keys(builders).map((s) => `${s}//...`).join(" or ")} or an absolute path` },
    ]);
  }
  return builder(url, options);
}
