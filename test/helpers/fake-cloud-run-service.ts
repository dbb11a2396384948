import nock from "nock";

const RUN_API = "https://run.googleapis.com";

/**
 * The inference service as `infra/modules/inference` creates it with a `gs://` model, in the
 * Cloud Run Admin API v2's shapes (REST, as the client's fallback mode speaks it): `services.get`
 * answers the Service; `services.patch` (updateService) takes the whole Service and answers a
 * long-running Operation whose metadata is the Service; the next `get` shows the new revision
 * reconciling, the one after that ready (or failed, with `nextRevisionFails`). Every request and
 * answer is held to the v2 protos by the contract hook.
 */
export class FakeCloudRunService {
  readonly updates: any[] = [];
  /** Set before a promotion to make its revision fail its startup probe. */
  nextRevisionFails: string | undefined;
  private service: any;
  private pending: { revision: string; fails?: string | undefined; polls: number } | undefined;
  private readonly interceptors: nock.Interceptor[] = [];

  constructor(
    readonly name: string,
    options: { modelInImage?: boolean; modelsBucket?: string } = {},
  ) {
    const short = name.split("/").pop()!;
    const first = `${name}/revisions/${short}-00001-abc`;
    const container = {
      name: "inference",
      image: "europe-west1-docker.pkg.dev/ml-project/mlops-bot/inference:3f2a9c1",
      ports: [{ containerPort: 8080 }],
      env: options.modelInImage ? [] : [{ name: "MODEL_PATH", value: "/model/model.onnx" }],
      resources: { limits: { cpu: "1", memory: "512Mi" }, cpuIdle: true, startupCpuBoost: true },
      volumeMounts: options.modelInImage ? [] : [{ name: "model", mountPath: "/model" }],
      startupProbe: { periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 60, httpGet: { path: "/ready", port: 8080 } },
      livenessProbe: { periodSeconds: 15, timeoutSeconds: 3, failureThreshold: 3, httpGet: { path: "/health", port: 8080 } },
    };
    this.service = {
      name,
      uid: "9f1c2a7e-0000-4000-8000-000000000001",
      generation: "1",
      uri: `https://${short}-abc123xyz-ew.a.run.app`,
      template: {
        serviceAccount: `${short}@ml-project.iam.gserviceaccount.com`,
        executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
        scaling: { minInstanceCount: 0, maxInstanceCount: 5 },
        maxInstanceRequestConcurrency: 80,
        volumes: options.modelInImage ? [] : [{ name: "model", gcs: { bucket: options.modelsBucket ?? "ml-project-mlops-bot-models", readOnly: true, mountOptions: ["only-dir=first"] } }],
        containers: [container],
      },
      traffic: [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 100 }],
      observedGeneration: "1",
      terminalCondition: { type: "Ready", state: "CONDITION_SUCCEEDED" },
      latestReadyRevision: first,
      latestCreatedRevision: first,
      reconciling: false,
      etag: '"gen-1"',
    };
    const path = `/v2/${name}`;
    const get = nock(RUN_API).persist().get(path).query(true);
    get.reply(() => [200, this.describe()]);
    const patch = nock(RUN_API).persist().patch(path).query(true);
    patch.reply((_uri, body) => [200, this.update(body)]);
    this.interceptors.push(get, patch);
  }

  /** The revision that serves now (short name). */
  get serving(): string {
    return String(this.service.latestReadyRevision).split("/").pop()!;
  }

  private describe(): unknown {
    const p = this.pending;
    if (p && ++p.polls >= 2) {
      this.pending = undefined;
      if (p.fails) {
        this.service = { ...this.service, reconciling: false, terminalCondition: { type: "Ready", state: "CONDITION_FAILED", message: p.fails } };
      } else {
        this.service = { ...this.service, reconciling: false, latestReadyRevision: `${this.name}/revisions/${p.revision}`, terminalCondition: { type: "Ready", state: "CONDITION_SUCCEEDED" } };
      }
    }
    return this.service;
  }

  private update(body: any): unknown {
    this.updates.push(body);
    const generation = String(Number(this.service.generation) + 1);
    const revision = String(body.template.revision);
    this.service = {
      ...this.service,
      template: body.template,
      traffic: body.traffic,
      labels: body.labels,
      generation,
      observedGeneration: generation,
      reconciling: true,
      latestCreatedRevision: `${this.name}/revisions/${revision}`,
      terminalCondition: { type: "Ready", state: "CONDITION_PENDING" },
      etag: `"gen-${generation}"`,
    };
    this.pending = { revision, fails: this.nextRevisionFails, polls: 0 };
    this.nextRevisionFails = undefined;
    return {
      name: `${this.name.replace(/\/services\/.*/, "")}/operations/update-${this.updates.length}`,
      metadata: { "@type": "type.googleapis.com/google.cloud.run.v2.Service", ...this.service },
      done: false,
    };
  }

  stop(): void {
    for (const i of this.interceptors) nock.removeInterceptor(i);
  }
}
