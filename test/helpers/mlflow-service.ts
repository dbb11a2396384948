import { testServicesEnv } from "./test-services-env.js";

/** The test MLflow server's URI (scripts/start-test-mlflow.sh), when the test services have one. */
export const MLFLOW_URI = testServicesEnv().MLOPS_TEST_MLFLOW_URI;

/** Waits until the server answers /health (its first start migrates its database: up to a few minutes on a busy machine). */
export async function waitForMlflow(uri: string, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`${uri}/health`, { signal: AbortSignal.timeout(5000) }).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`the MLflow test server at ${uri} did not answer /health (see $MLOPS_TEST_SERVICES_DIR/mlflow/server.log)`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
