import path from "node:path";
import { err, ok, type Result } from "../../core/result.js";
import { parseStorageUrl } from "../../core/storage/parse-storage-url.js";
import type { ArtifactStore } from "../../ports/artifact-store.js";
import { openArtifactStore } from "./open-artifact-store.js";

/**
 * The artifact store of a DVC remote URL (as written in `.dvc/config`), or why there is none: a
 * plain path, `file://` or `gs://` (the table in `core/storage/parse-storage-url.ts`); another
 * scheme (`s3://`, `ssh://`...) is not supported (yet), and the message lists what is. A `gs://`
 * remote is read through the GCS artifact store; the manifest reader tries both DVC layouts in it
 * (`files/md5/xx/...` and the older `xx/...`), as in a folder. A relative path is resolved
 * against `relativeTo` (the `.dvc/` folder of a checkout, as DVC does); without it (the bot reads
 * no checkout) it is refused.
 */
export function createDvcRemoteStore(params: { url: string; relativeTo?: string | undefined; gcsEndpoint?: string | undefined }): Result<ArtifactStore, string> {
  const location = parseStorageUrl(params.url, ["path", "file", "gs"]);
  if (!location.ok) return err(`the remote cannot be used: ${location.error}`);
  const options = { gcsEndpoint: params.gcsEndpoint };
  if (location.value.kind === "gcs" || path.isAbsolute(location.value.dir)) return ok(openArtifactStore(location.value, options));
  if (params.relativeTo === undefined) {
    return err(`the remote \`${location.value.dir}\` is a relative path, which only means something in a checkout; the bot reads none, so give it an absolute path`);
  }
  return ok(openArtifactStore({ kind: "folder", dir: path.resolve(params.relativeTo, location.value.dir) }, options));
}
