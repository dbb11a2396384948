import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { googleAuthLibrary } from "google-gax";
import { checkCloudRunExchange } from "./contract/cloud-run-contract.js";
import { reportContractProblems } from "./contract/nock-contract-hook.js";
import { ROOT } from "./example-repo.js";

const RUN_API = "https://run.googleapis.com";

/** REST fallback options for the Cloud Run clients in tests: a static token instead of ADC. */
export function cloudRunClientOptions(): Record<string, unknown> {
  const auth = new googleAuthLibrary.OAuth2Client();
  auth.setCredentials({ access_token: "ya29.test-token", expiry_date: Date.now() + 3_600_000 });
  return { fallback: true, authClient: auth };
}

interface Execution {
  name: string;
  process?: ChildProcess;
  exit?: number | null;
  cancelled: boolean;
  /** Forced end without running anything (a task that dies before the agent reports). */
  forced?: { state: "CONDITION_FAILED"; message: string };
}

/**
 * Cloud Run cannot run here: nock answers the Admin API v2 (REST, as the client's fallback mode
 * speaks it) for one job, and each `jobs:run` starts the overridden container args as a local
 * process — `mlops-bot job ...` from this checkout — as a Cloud Run task would. Shapes follow
 * the v2 reference: `jobs.run` returns a long-running Operation whose metadata is the Execution;
 * `executions.get` returns the Execution with its `Completed` condition and counts.
 */
export class FakeCloudRun {
  readonly runs: Array<{ body: any; execution: string }> = [];
  readonly cancels: string[] = [];
  private readonly executions = new Map<string, Execution>();
  private count = 0;
  private readonly interceptors: nock.Interceptor[] = [];
  /** Set before a run to make its task fail without running the agent. */
  nextRunFails: { message: string } | undefined;

  constructor(
    readonly job: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    const run = nock(RUN_API).persist().post(`/v2/${job}:run`).query(true);
    run.reply(200, (_uri, body) => this.start(body));
    const get = nock(RUN_API).persist().get(new RegExp(`^/v2/${job}/executions/[^/:?]+(\\?.*)?$`));
    get.reply((uri) => this.describe(uri.split("?")[0]!.slice("/v2/".length)));
    const cancel = nock(RUN_API).persist().post(new RegExp(`^/v2/${job}/executions/[^/:?]+:cancel(\\?.*)?$`));
    cancel.reply(200, (uri) => this.cancel(uri.split(":cancel")[0]!.slice("/v2/".length)));
    this.interceptors.push(run, get, cancel);
  }

  private start(body: any) {
    const name = `${this.job}/executions/train-${++this.count}`;
    const execution: Execution = { name, cancelled: false };
    this.executions.set(name, execution);
    this.runs.push({ body, execution: name });
    if (this.nextRunFails) {
      execution.forced = { state: "CONDITION_FAILED", message: this.nextRunFails.message };
      this.nextRunFails = undefined;
    } else {
      // proto3 JSON leaves out an empty repeated field: a run without variables has no `env`.
      const override = body.overrides.containerOverrides[0] as { args: string[]; env?: Array<{ name: string; value: string }> };
      const [binary, ...args] = override.args;
      if (binary !== "mlops-bot") throw new Error(`unexpected container args ${override.args.join(" ")}`);
      const env = { ...this.env, ...Object.fromEntries((override.env ?? []).map((e) => [e.name, e.value])) };
      execution.process = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: ROOT, env, stdio: "ignore" });
      execution.process.on("exit", (code) => (execution.exit = code));
    }
    return {
      name: `${this.job.replace(/\/jobs\/.*/, "")}/operations/${name.split("/").pop()}`,
      metadata: { "@type": "type.googleapis.com/google.cloud.run.v2.Execution", name, job: this.job.split("/").pop(), taskCount: 1 },
      done: false,
    };
  }

  private describe(name: string): [number, unknown] {
    const e = this.executions.get(name);
    if (!e) return [404, { error: { code: 404, message: `Execution ${name} not found`, status: "NOT_FOUND" } }];
    return [200, this.execution(name, e)];
  }

  private execution(name: string, e: Execution) {
    // The template Cloud Run ran the task with: the training job's container and its limits (infra/'s defaults).
    const template = { containers: [{ image: "europe-west1-docker.pkg.dev/ml-project/mlops-bot/training:latest", resources: { limits: { cpu: "2", memory: "4Gi" } } }], maxRetries: 0 };
    const base = { name, job: this.job.split("/").pop(), taskCount: 1, createTime: new Date().toISOString(), template };
    if (e.forced) return { ...base, failedCount: 1, completionTime: new Date().toISOString(), conditions: [{ type: "Completed", ...e.forced }] };
    if (e.exit === undefined) return { ...base, runningCount: 1, conditions: [{ type: "Completed", state: "CONDITION_PENDING" }] };
    const done = { ...base, completionTime: new Date().toISOString() };
    if (e.cancelled) return { ...done, cancelledCount: 1, conditions: [{ type: "Completed", state: "CONDITION_FAILED", executionReason: "CANCELLED", message: "The execution was cancelled." }] };
    return e.exit === 0
      ? { ...done, succeededCount: 1, conditions: [{ type: "Completed", state: "CONDITION_SUCCEEDED" }] }
      : { ...done, failedCount: 1, conditions: [{ type: "Completed", state: "CONDITION_FAILED", executionReason: "NON_ZERO_EXIT_CODE", message: "Task failed with a non-zero exit code." }] };
  }

  private cancel(name: string) {
    this.cancels.push(name);
    const e = this.executions.get(name);
    if (e) {
      e.cancelled = true;
      e.process?.kill("SIGKILL");
      if (!e.process) e.exit = null;
    }
    return { name: `${this.job.replace(/\/jobs\/.*/, "")}/operations/cancel-${this.cancels.length}`, done: false };
  }

  private server: Server | undefined;

  /**
   * Also serves the same API over HTTP on 127.0.0.1, for a bot in another process (nock reaches
   * only this one). Returns the Cloud Run client options that point there.
   */
  async listen(): Promise<{ port: number; clientOptions: Record<string, unknown> }> {
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d.toString()));
      req.on("end", () => {
        const url = (req.url ?? "").split("?")[0]!;
        const requestBody: unknown = body ? JSON.parse(body) : undefined;
        const reply = ([status, value]: [number, unknown]) => {
          reportContractProblems(checkCloudRunExchange({ method: req.method ?? "GET", path: req.url ?? "/", requestBody, status, responseBody: value }));
          res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
        };
        if (req.method === "POST" && url === `/v2/${this.job}:run`) return reply([200, this.start(requestBody ?? {})]);
        if (req.method === "POST" && url.endsWith(":cancel")) return reply([200, this.cancel(url.slice("/v2/".length, -":cancel".length))]);
        if (req.method === "GET" && url.startsWith(`/v2/${this.job}/executions/`)) return reply(this.describe(url.slice("/v2/".length)));
        reply([404, { error: { code: 404, message: "Not found", status: "NOT_FOUND" } }]);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    this.server = server;
    const port = (server.address() as AddressInfo).port;
    return { port, clientOptions: { ...cloudRunClientOptions(), apiEndpoint: "127.0.0.1", port, protocol: "http" } };
  }

  /** Kills every task still running and removes the API's interceptors (end of test). */
  stop(): void {
    for (const e of this.executions.values()) e.process?.kill("SIGKILL");
    for (const i of this.interceptors) nock.removeInterceptor(i);
    this.server?.close();
  }
}
