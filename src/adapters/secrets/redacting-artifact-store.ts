import type { ArtifactStore } from "../../ports/artifact-store.js";
import type { SecretValues } from "./secret-values.js";

/**
 * An artifact store that stores nothing containing a known secret value: what is put (results,
 * reports) goes through the redactor first. Streams (job logs) are redacted where they are made,
 * by the runners' log sink; reads pass through.
 */
export function redactingArtifactStore(store: ArtifactStore, secrets: SecretValues): ArtifactStore {
  return {
    get location() {
      return store.location;
    },
    put: (key, data) => store.put(key, secrets.redactBytes(Buffer.from(data))),
    get: (key, options) => store.get(key, options),
    list: (prefix) => store.list(prefix),
    remove: (prefix) => store.remove(prefix),
    openWrite: (key) => store.openWrite(key),
  };
}
