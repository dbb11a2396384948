import { randomBytes, randomUUID } from "node:crypto";
import { failed, passed, skipped } from "../../core/doctor/check-outcome.js";
import type { DoctorCheck } from "../doctor-check.js";
import { storeRoundTrip } from "./store-round-trip.js";

/** The artifact store (logs, collected outputs, Cloud Run exchange) takes a canary object, gives it back intact, and deletes it. */
export const artifactStoreCheck: DoctorCheck = {
  id: "artifact-store",
  title: "Artifact store",
  async run(ctx) {
    const tried = "Wrote a canary object to the artifact store, read it back, deleted it, and checked it is gone.";
    if (!ctx.server || !ctx.artifacts) return skipped(tried, "Needs valid server settings.");
    const store = ctx.artifacts();
    const problem = await storeRoundTrip(store, `doctor/canary-${randomUUID()}.txt`, randomBytes(32).toString("hex"));
    if (!problem) return passed(tried, `${store.location}: written, read back intact, deleted.`);
    const fix =
      ctx.server.artifacts.kind === "gcs"
        ? `Check that the bucket of ${ctx.server.artifacts.url} exists and that the bot's service account has roles/storage.objectAdmin on it (infra/modules/iam).`
        : `Make ${ctx.server.artifacts.dir} a writable folder of the bot's user (MLOPS_ARTIFACTS), with room on its disk.`;
    return failed(tried, `${store.location}: ${problem}`, fix);
  },
};
