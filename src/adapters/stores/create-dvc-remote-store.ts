import path from "node:path";
import { fileURLToPath } from "node:url";
import { err, ok, type Result } from "../../core/result.js";
import type { ArtifactStore } from "../../ports/artifact-store.js";
import { FsArtifactStore } from "./fs-artifact-store.js";
import { GcsArtifactStore } from "./gcs-artifact-store.js";

interface RemoteOptions {
  readonly relativeTo: string | undefined;
  /** A Cloud Storage emulator's endpoint (tests); unset, Google Cloud with Application Default Credentials. */
  readonly gcsEndpoint: string | undefined;
}

interface RemoteBuilder {
  /** How the supported form is written, for messages. */
  readonly example: string;
  build(url: string, options: RemoteOptions): Result<ArtifactStore, string>;
}

/**
 * DVC remote stores by URL scheme (`""` is a plain path). A `gs://bucket/path` remote is read
 * through the GCS artifact store; the manifest reader tries both DVC layouts in it
 * (`files/md5/xx/...` and the older `xx/...`), as in a folder.
 */
const builders: Readonly<Record<string, RemoteBuilder>> = {
  "": { example: "/srv/dvc-remote", build: (url, options) => localFolder(url, options.relativeTo) },
  file: { example: "file:///srv/dvc-remote", build: (url, options) => localFolder(fileURLToPath(url), options.relativeTo) },
  gs: { example: "gs://bucket/dvc-remote", build: (url, options) => ok(GcsArtifactStore.fromUrl(url, { apiEndpoint: options.gcsEndpoint })) },
};

/**
 * The artifact store of a DVC remote URL (as written in `.dvc/config`), or why there is none: a
 * scheme with no builder yet (`s3://`, `ssh://`...) is "not supported yet", listing the
 * supported forms. A relative path is resolved against `relativeTo` (the `.dvc/` folder of a
 * checkout, as DVC does); without it (the bot reads no checkout) it is refused.
 */
export function createDvcRemoteStore(params: { url: string; relativeTo?: string | undefined; gcsEndpoint?: string | undefined }): Result<ArtifactStore, string> {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(params.url)?.[1]?.toLowerCase() ?? "";
  const builder = builders[scheme];
  if (!builder) {
    const examples = Object.values(builders).map((b) => `\`${b.example}\``);
    return err(`\`${scheme}://\` remotes are not supported yet; supported: ${examples.slice(0, -1).join(", ")} or ${examples.at(-1)}`);
  }
  try {
    return builder.build(params.url, { relativeTo: params.relativeTo, gcsEndpoint: params.gcsEndpoint });
  } catch (e) {
    return err(`remote URL \`${params.url}\` cannot be used: ${(e as Error).message}`);
  }
}

function localFolder(folder: string, relativeTo: string | undefined): Result<ArtifactStore, string> {
  if (path.isAbsolute(folder)) return ok(new FsArtifactStore(folder));
  if (relativeTo === undefined) {
    return err(`the remote \`${folder}\` is a relative path, which only means something in a checkout; the bot reads none, so give it an absolute path`);
  }
  return ok(new FsArtifactStore(path.resolve(relativeTo, folder)));
}
