import { z } from "zod";
import { StorageError } from "../../core/errors.js";
import type { ExperimentTracker, TrackedRun, TrackedRunStatus } from "../../ports/experiment-tracker.js";

/** How the bot authenticates to the tracking server: an `Authorization` header value, or none. */
export type MlflowAuth = () => Promise<string | undefined>;

const runSchema = z.object({
  run: z.object({
    info: z.object({ run_id: z.string(), experiment_id: z.string(), status: z.string() }),
    data: z
      .object({
        tags: z.array(z.object({ key: z.string(), value: z.string() })).default([]),
        metrics: z.array(z.object({ key: z.string(), value: z.number() })).default([]),
      })
      .default({ tags: [], metrics: [] }),
  }),
});

/**
 * MLflow's REST API (2.0) over fetch: experiments by name (created when missing), runs created
 * with tags, ended with a status, read back. `uiUrl` (default: the tracking URI) is where links
 * point. Errors are `StorageError`s that name the call and the HTTP status, never a credential.
 */
export class MlflowTracker implements ExperimentTracker {
  private readonly experiments = new Map<string, string>();

  constructor(private readonly options: { trackingUri: string; uiUrl?: string | undefined; auth?: MlflowAuth; timeoutMs?: number }) {}

  get trackingUri(): string {
    return this.options.trackingUri;
  }

  async startRun(params: { experiment: string; runName: string; tags: Readonly<Record<string, string>> }): Promise<TrackedRun> {
    const experimentId = await this.experimentId(params.experiment);
    const body = { experiment_id: experimentId, run_name: params.runName, start_time: Date.now(), tags: Object.entries(params.tags).map(([key, value]) => ({ key, value })) };
    const created = runSchema.parse(await this.call("POST", "runs/create", body));
    const runId = created.run.info.run_id;
    return { runId, experimentId, runUrl: `${this.ui}/#/experiments/${encodeURIComponent(experimentId)}/runs/${encodeURIComponent(runId)}` };
  }

  async setTags(runId: string, tags: Readonly<Record<string, string>>): Promise<void> {
    await this.call("POST", "runs/log-batch", { run_id: runId, tags: Object.entries(tags).map(([key, value]) => ({ key, value })) });
  }

  async endRun(runId: string, status: TrackedRunStatus): Promise<void> {
    await this.call("POST", "runs/update", { run_id: runId, status, end_time: Date.now() });
  }

  async getRun(runId: string) {
    const found = await this.call("GET", `runs/get?run_id=${encodeURIComponent(runId)}`, undefined, [404]);
    if (found === undefined) return undefined;
    const { run } = runSchema.parse(found);
    return {
      status: run.info.status,
      tags: Object.fromEntries(run.data.tags.map((t) => [t.key, t.value])),
      metrics: Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value])),
    };
  }

  compareUrl(experimentId: string, runIds: readonly string[]): string {
    return `${this.ui}/#/compare-runs?runs=${encodeURIComponent(JSON.stringify(runIds))}&experiments=${encodeURIComponent(JSON.stringify([experimentId]))}`;
  }

  private get ui(): string {
    return (this.options.uiUrl ?? this.options.trackingUri).replace(/\/+$/, "");
  }

  private async experimentId(name: string): Promise<string> {
    const known = this.experiments.get(name);
    if (known) return known;
    const found = await this.call("GET", `experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`, undefined, [404]);
    let id = z.object({ experiment: z.object({ experiment_id: z.string() }) }).safeParse(found).data?.experiment.experiment_id;
    if (!id) {
      // Two bots may create it at once: the loser reads the winner's.
      const created = await this.call("POST", "experiments/create", { name }, [400]);
      id = z.object({ experiment_id: z.string() }).safeParse(created).data?.experiment_id;
      if (!id) return this.experimentIdAfterRace(name);
    }
    this.experiments.set(name, id);
    return id;
  }

  private async experimentIdAfterRace(name: string): Promise<string> {
    const found = await this.call("GET", `experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`);
    const id = z.object({ experiment: z.object({ experiment_id: z.string() }) }).parse(found).experiment.experiment_id;
    this.experiments.set(name, id);
    return id;
  }

  /** One API call; a status in `absentOn` reads as undefined, any other failure throws. */
  private async call(method: "GET" | "POST", path: string, body?: unknown, absentOn: readonly number[] = []): Promise<unknown> {
    const url = `${this.options.trackingUri.replace(/\/+$/, "")}/api/2.0/mlflow/${path}`;
    const authorization = await this.options.auth?.();
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...(authorization ? { authorization } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (e) {
      throw new StorageError(`MLflow at ${this.options.trackingUri} did not answer ${method} ${path.split("?")[0]}: ${(e as Error).message}`);
    }
    if (absentOn.includes(response.status)) return undefined;
    const text = await response.text();
    if (!response.ok) throw new StorageError(`MLflow ${method} ${path.split("?")[0]} answered ${response.status}: ${text.slice(0, 300)}`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new StorageError(`MLflow ${method} ${path.split("?")[0]} answered ${response.status} with something that is not JSON`);
    }
  }
}
