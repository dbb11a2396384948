import { Writable } from "node:stream";
import type { ArtifactStore } from "../ports/artifact-store.js";
import type { LiveLogs } from "./live-logs.js";

const JOB_LOG = /^jobs\/([^/]+)\/log\.txt$/;

/**
 * The artifact store, with every job log written through it also fed to the live logs as it is
 * written (and ended with it), so the job page tails what the runner stores, whichever runner it
 * is. Other keys and every read pass straight through.
 */
export function withLiveLogs(artifacts: ArtifactStore, live: LiveLogs): ArtifactStore {
  return {
    get location() {
      return artifacts.location;
    },
    put: (key, data) => artifacts.put(key, data),
    get: (key, options) => artifacts.get(key, options),
    list: (prefix) => artifacts.list(prefix),
    remove: (prefix) => artifacts.remove(prefix),
    openWrite(key) {
      const inner = artifacts.openWrite(key);
      const jobId = JOB_LOG.exec(key)?.[1];
      if (!jobId) return inner;
      const decoder = new TextDecoder();
      return new Writable({
        write(chunk: Buffer | string, _encoding, callback) {
          live.append(jobId, typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
          inner.write(chunk, callback);
        },
        final(callback) {
          live.append(jobId, decoder.decode());
          live.end(jobId);
          inner.end(callback);
        },
        destroy(error, callback) {
          live.end(jobId);
          inner.destroy(error ?? undefined);
          callback(error);
        },
      });
    },
  };
}
