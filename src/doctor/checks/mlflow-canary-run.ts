import { z } from "zod";
import type { MlflowAuth } from "../../adapters/tracking/mlflow-tracker.js";

/** An MLflow REST call that failed: the call, and the HTTP status when there was an answer. */
export class MlflowCallError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = "MlflowCallError";
  }
}

const experimentSchema = z.object({ experiment: z.object({ experiment_id: z.string(), lifecycle_stage: z.string().optional() }) });
const runSchema = z.object({ run: z.object({ info: z.object({ run_id: z.string(), lifecycle_stage: z.string().optional() }) }) });

/**
 * Creates a run in `experiment` (made, or restored, when needed) and deletes it, through MLflow's
 * REST API; checks the run reads back as deleted. Throws `MlflowCallError` naming the failing call.
 */
export async function mlflowCanaryRun(params: { trackingUri: string; auth: MlflowAuth | undefined; experiment: string }): Promise<{ runId: string; experimentId: string }> {
  const call = caller(params.trackingUri, params.auth);
  const name = encodeURIComponent(params.experiment);
  let experiment = (await call("GET", `experiments/get-by-name?experiment_name=${name}`, undefined, true));
  if (experiment === undefined) {
    await call("POST", "experiments/create", { name: params.experiment }, true);
    experiment = await call("GET", `experiments/get-by-name?experiment_name=${name}`);
  }
  const { experiment_id: experimentId, lifecycle_stage: stage } = experimentSchema.parse(experiment).experiment;
  if (stage === "deleted") await call("POST", "experiments/restore", { experiment_id: experimentId });
  const created = runSchema.parse(await call("POST", "runs/create", { experiment_id: experimentId, run_name: "doctor-canary", start_time: Date.now(), tags: [{ key: "mlops-bot.doctor", value: "canary" }] }));
  const runId = created.run.info.run_id;
  await call("POST", "runs/delete", { run_id: runId });
  const after = runSchema.parse(await call("GET", `runs/get?run_id=${encodeURIComponent(runId)}`));
  if (after.run.info.lifecycle_stage !== "deleted") throw new MlflowCallError(`run ${runId} was deleted but reads back as ${after.run.info.lifecycle_stage ?? "active"}`, undefined);
  return { runId, experimentId };
}

/** One call; with `absentOk`, a 404 (or a 400 "already exists") reads as undefined. */
function caller(trackingUri: string, auth: MlflowAuth | undefined) {
  return async (method: "GET" | "POST", path: string, body?: unknown, absentOk = false): Promise<unknown> => {
    const what = `${method} ${path.split("?")[0]}`;
    let response: Response;
    try {
      const authorization = await auth?.();
      response = await fetch(`${trackingUri.replace(/\/+$/, "")}/api/2.0/mlflow/${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...(authorization ? { authorization } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(20_000),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new MlflowCallError(`did not answer ${what}: ${cause?.code ?? cause?.message ?? (e as Error).message}`, undefined);
    }
    const text = await response.text();
    if (absentOk && (response.status === 404 || (response.status === 400 && text.includes("RESOURCE_ALREADY_EXISTS")))) return undefined;
    if (!response.ok) throw new MlflowCallError(`${what} answered ${response.status}: ${text.slice(0, 200)}`, response.status);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new MlflowCallError(`${what} answered ${response.status} with something that is not JSON`, response.status);
    }
  };
}
