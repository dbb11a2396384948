import { err, ok, type Result } from "./result.js";

/** A place in Cloud Storage: a bucket and a key prefix (no leading or trailing `/`; may be empty). */
export interface GcsLocation {
  readonly bucket: string;
  readonly prefix: string;
}

/** Bucket names as Cloud Storage allows them: 3-222 characters, lowercase, digits, `-_.`. */
const BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

/** `gs://bucket/some/prefix` -> `{ bucket, prefix }`, or what is wrong with the URL. */
export function parseGcsUrl(url: string): Result<GcsLocation, string> {
  const match = /^gs:\/\/([^/]*)\/?(.*)$/.exec(url.trim());
  if (!match) return err(`\`${url}\` is not a Cloud Storage URL; write it as gs://bucket/prefix`);
  const bucket = match[1] ?? "";
  const prefix = (match[2] ?? "").replace(/\/+$/, "");
  if (!BUCKET.test(bucket)) return err(`\`${bucket}\` in \`${url}\` is not a bucket name (lowercase letters, digits, -, _ and .)`);
  if (prefix !== "" && prefix.split("/").some((part) => part === "" || part === "." || part === "..")) {
    return err(`the prefix \`${prefix}\` in \`${url}\` has an empty, \`.\` or \`..\` segment`);
  }
  return ok({ bucket, prefix });
}

/** `gs://bucket/prefix`, for messages. */
export function formatGcsUrl(location: GcsLocation): string {
  return `gs://${location.bucket}${location.prefix ? `/${location.prefix}` : ""}`;
}
