import path from "node:path";
import { ServicesClient, type protos } from "@google-cloud/run";
import type { DeployResult } from "../../core/jobs/deploy-job.js";
import { formatGcsUrl, type GcsLocation } from "../../core/parse-gcs-url.js";
import type { ModelDeployer, ModelRolloutRequest } from "../../ports/model-deployer.js";
import { GcsArtifactStore } from "../stores/gcs-artifact-store.js";

type Service = protos.google.cloud.run.v2.IService;

export interface CloudRunModelDeployerOptions {
  /** `projects/<p>/locations/<l>/services/<s>`: the inference service (infra/modules/inference). */
  readonly service: string;
  /** Where models are uploaded: the models bucket (and prefix), which the service's account may read. */
  readonly models: GcsLocation;
  readonly gcsEndpoint?: string | undefined;
  /** Client options (tests: an auth client and the REST fallback); default: ADC over REST. */
  readonly clientOptions?: Record<string, unknown>;
  readonly pollMs?: number;
  /** How long a new revision may take to become ready before the promotion is called failed. */
  readonly readyTimeoutMs?: number;
}

/**
 * Promotes a model on Cloud Run the way `infra/modules/inference` serves one from Cloud Storage:
 * the file goes to `<models>/<service>/<model id>/<file>` (the name `MODEL_PATH` already loads),
 * with `lineage.json` beside it, and the service is updated through the Admin API v2 to a named
 * revision whose Cloud Storage volume mounts only that folder, labelled with its lineage, with all
 * traffic on the latest revision. Cloud Run moves traffic once the revision's startup probe
 * (`/ready`: the model loaded) passes; the deployer waits for that and reports the revision.
 */
export class CloudRunModelDeployer implements ModelDeployer {
  readonly service: string;
  private readonly services: ServicesClient;

  constructor(private readonly options: CloudRunModelDeployerOptions) {
    this.service = options.service;
    this.services = new ServicesClient({ fallback: true, ...options.clientOptions });
  }

  async deploy(request: ModelRolloutRequest): Promise<DeployResult> {
    const base = { service: this.service, modelUri: null, lineageUri: null, revision: null, previousRevision: null, url: null };
    let current: Service;
    try {
      [current] = await this.services.getService({ name: this.service });
    } catch (e) {
      return { ...base, error: `Could not read the Cloud Run service ${this.service}: ${(e as Error).message}` };
    }
    const target = findModelMount(current);
    const previousRevision = shortName(current.latestReadyRevision);
    const url = current.uri ?? null;
    if (!target.ok) return { ...base, previousRevision, url, error: target.error };

    const serviceName = shortName(this.service)!;
    const folder = [this.options.models.prefix, serviceName, request.modelId].filter(Boolean).join("/");
    const store = new GcsArtifactStore({ bucket: this.options.models.bucket, prefix: folder, apiEndpoint: this.options.gcsEndpoint });
    const modelUri = `${formatGcsUrl({ bucket: this.options.models.bucket, prefix: folder })}/${target.file}`;
    const lineageUri = `${formatGcsUrl({ bucket: this.options.models.bucket, prefix: folder })}/lineage.json`;
    request.progress(`Uploading the model to \`${modelUri}\`.`);
    try {
      await store.put(target.file, request.model);
      await store.put("lineage.json", `${JSON.stringify(request.lineage, null, 2)}\n`);
    } catch (e) {
      return { ...base, previousRevision, url, error: `Could not upload the model to ${modelUri}: ${(e as Error).message}` };
    }

    const revision = `${serviceName}-${request.modelId}`.slice(0, 63).replace(/-+$/, "");
    const updated = withModel(current, { target, bucket: this.options.models.bucket, folder, revision, labels: request.labels });
    request.progress(`Rolling \`${serviceName}\` to revision \`${revision}\`.`);
    const done = { ...base, modelUri, lineageUri, previousRevision, url };
    try {
      await this.services.updateService({ service: updated });
    } catch (e) {
      return { ...done, error: `Cloud Run refused the update of ${this.service}: ${(e as Error).message}` };
    }
    return { ...done, revision, ...(await this.waitReady(revision, request.signal)) };
  }

  /** Polls the service until the revision serves, fails, or the wait runs out. */
  private async waitReady(revision: string, signal: AbortSignal): Promise<{ url?: string | null; error?: string }> {
    const until = Date.now() + (this.options.readyTimeoutMs ?? 15 * 60_000);
    for (;;) {
      let status: Service;
      try {
        [status] = await this.services.getService({ name: this.service });
      } catch (e) {
        return { error: `The revision ${revision} was created, but the service could not be read back: ${(e as Error).message}` };
      }
      const url = status.uri ?? null;
      if (shortName(status.latestReadyRevision) === revision) return { url };
      const failed = status.terminalCondition?.state === "CONDITION_FAILED" && shortName(status.latestCreatedRevision) === revision;
      if (failed) return { url, error: `The revision ${revision} did not become ready (${status.terminalCondition?.message ?? "no message"}); traffic stays on the previous revision.` };
      if (signal.aborted) return { url, error: `Stopped waiting for revision ${revision} (${String(signal.reason)}); Cloud Run moves traffic to it if it becomes ready.` };
      if (Date.now() > until) return { url, error: `The revision ${revision} was not ready after ${Math.round((this.options.readyTimeoutMs ?? 900_000) / 60_000)} minutes; Cloud Run moves traffic to it only if it becomes ready.` };
      await new Promise((r) => setTimeout(r, this.options.pollMs ?? 5000));
    }
  }
}

interface ModelMount {
  readonly container: number;
  readonly volume: string;
  readonly file: string;
}

/** Where the service loads its model: `MODEL_PATH` in a folder mounted from a Cloud Storage volume (also the doctor's test of the service). */
export function findModelMount(service: Service): { ok: true; container: number; volume: string; file: string } | { ok: false; error: string } {
  const containers = service.template?.containers ?? [];
  for (const [i, container] of containers.entries()) {
    const modelPath = container.env?.find((e) => e.name === "MODEL_PATH")?.value;
    if (!modelPath) continue;
    const mount = container.volumeMounts?.find((m) => m.mountPath && path.posix.dirname(modelPath) === m.mountPath.replace(/\/+$/, ""));
    const volume = mount && service.template?.volumes?.find((v) => v.name === mount.name);
    if (volume?.gcs) return { ok: true, container: i, volume: volume.name!, file: path.posix.basename(modelPath) };
  }
  return {
    ok: false,
    error:
      "The service serves the model baked into its image (no MODEL_PATH in a Cloud Storage volume), so the bot cannot swap it. Create the service with `inference_model_uri = \"gs://<models bucket>/<folder>/model.onnx\"` (docs/deploy.md, step 14), or promote by image by hand.",
  };
}

/** The service with its model volume on the new folder, a named revision with lineage labels, all traffic on the latest revision. */
function withModel(current: Service, params: { target: ModelMount; bucket: string; folder: string; revision: string; labels: Readonly<Record<string, string>> }): Service {
  const template = current.template ?? {};
  const volumes = (template.volumes ?? []).map((v) =>
    v.name !== params.target.volume
      ? v
      : { ...v, gcs: { ...v.gcs, bucket: params.bucket, readOnly: true, mountOptions: [...(v.gcs?.mountOptions ?? []).filter((o) => !o.startsWith("only-dir=")), `only-dir=${params.folder}`] } },
  );
  return {
    ...current,
    template: { ...template, revision: params.revision, labels: { ...template.labels, ...params.labels }, volumes },
    traffic: [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 100 }],
  };
}

function shortName(name: string | null | undefined): string | null {
  return name ? name.split("/").pop()! : null;
}
