import type { ArtifactLocation } from "../../core/storage/parse-storage-url.js";
import type { ArtifactStore } from "../../ports/artifact-store.js";
import { FsArtifactStore } from "./fs-artifact-store.js";
import { GcsArtifactStore } from "./gcs-artifact-store.js";

export interface ArtifactStoreOptions {
  /** A Cloud Storage emulator's endpoint (tests); unset, Google Cloud with Application Default Credentials. */
  readonly gcsEndpoint?: string | undefined;
}

/** Artifact stores by the kind of location `core/storage/parse-storage-url.ts` parsed (a new kind there must add its builder here). */
const builders: { readonly [K in ArtifactLocation["kind"]]: (location: Extract<ArtifactLocation, { kind: K }>, options: ArtifactStoreOptions) => ArtifactStore } = {
  folder: (location) => new FsArtifactStore(location.dir),
  gcs: (location, options) => new GcsArtifactStore({ ...location.location, apiEndpoint: options.gcsEndpoint }),
};

/** The artifact store at a parsed location: the bot's artifacts, a job's run folder, a DVC remote. */
export function openArtifactStore(location: ArtifactLocation, options: ArtifactStoreOptions = {}): ArtifactStore {
  return location.kind === "gcs" ? builders.gcs(location, options) : builders.folder(location, options);
}
