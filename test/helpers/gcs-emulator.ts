import { randomUUID } from "node:crypto";
import { testServicesEnv } from "./test-services-env.js";

export interface GcsEmulator {
  /** The emulator's endpoint, e.g. `http://127.0.0.1:9023` (the bot's `MLOPS_GCS_ENDPOINT`). */
  readonly endpoint: string;
  /** A bucket that exists in the emulator. */
  readonly bucket: string;
  /** A fresh `gs://bucket/<name>-<random>` location, so tests never see each other's objects. */
  url(name?: string): string;
}

/**
 * The Cloud Storage emulator (fake-gcs-server) started by scripts/start-test-services.sh (npm test
 * starts it), read from the environment or the script's env file. Undefined when it is not
 * running; with MLOPS_REQUIRE_GCS=1 or MLOPS_REQUIRE_DOCKER=1 (CI: the test services are
 * required) its absence is an error instead.
 */
export function gcsEmulator(): GcsEmulator | undefined {
  const env = testServicesEnv();
  const endpoint = env.MLOPS_TEST_GCS_ENDPOINT;
  const bucket = env.MLOPS_TEST_GCS_BUCKET ?? "mlops-test";
  if (!endpoint) {
    if (process.env.MLOPS_REQUIRE_GCS === "1" || process.env.MLOPS_REQUIRE_DOCKER === "1") {
      throw new Error("the test services are required here, but no Cloud Storage emulator runs: run scripts/start-test-services.sh");
    }
    return undefined;
  }
  return { endpoint, bucket, url: (name = "t") => `gs://${bucket}/${name}-${randomUUID().slice(0, 8)}` };
}
