import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { knownSecretValues } from "../../adapters/secrets/secret-values.js";
import { SqliteJobStore } from "../../adapters/stores/sqlite-job-store.js";
import { trainInput } from "../../core/jobs/train-job.js";
import type { TrainingResult } from "../../core/train/training-result.js";
import type { ArtifactStore } from "../../ports/artifact-store.js";
import { createWebHandler } from "../../web/create-web-handler.js";
import { createLinkSigner } from "../../web/link-signer.js";
import { LiveLogs } from "../../web/live-logs.js";
import { withLiveLogs } from "../../web/with-live-logs.js";
import type { TrainTarget } from "./resolve-train-target.js";

export interface LocalJobPage {
  /** The page's signed link, on 127.0.0.1. */
  readonly url: string;
  /** Where the run writes its log and results (`jobs/<id>`), so the page follows them live. */
  readonly prefix: string;
  /** The run's artifact store, its log also fed to the page as it is written. */
  wrap(artifacts: ArtifactStore): ArtifactStore;
  /** Shows the run's end on the page: its result, or why there is none. */
  finish(end: { readonly result: TrainingResult } | { readonly state: "failed" | "cancelled"; readonly reason: string }): Promise<void>;
  close(): Promise<void>;
}

/**
 * `mlops-bot train --open`: the bot's job page for a local run, served on 127.0.0.1 (a free port)
 * from a job store in the data folder, its link signed with a key made for this run only (so
 * another user of the machine who finds the port still gets 404). The log is redacted as the
 * printed one is. Opens the link with `$BROWSER` (`none`: do not), else `xdg-open` or `open`.
 */
export async function serveLocalJobPage(params: { dataDir: string; target: TrainTarget; requestedBy: string; env: NodeJS.ProcessEnv }): Promise<LocalJobPage> {
  const { target } = params;
  mkdirSync(params.dataDir, { recursive: true });
  const store = new SqliteJobStore(path.join(params.dataDir, "jobs.sqlite"));
  const { job } = await store.enqueue({
    kind: "train",
    key: `local:${randomBytes(8).toString("hex")}`,
    group: null,
    repo: { owner: "local", name: path.basename(target.root), installationId: 0 },
    pr: null,
    headSha: target.headSha,
    headRef: null,
    baseRef: target.baseRef,
    baseSha: target.baseSha,
    requestedBy: params.requestedBy,
    commentId: null,
    input: trainInput({ overrides: target.overrides, config: target.config }),
  });
  await store.claimNext({ worker: `cli:${process.pid}`, kinds: ["train"] });
  const redact = (text: string) => knownSecretValues.redact(text);
  const live = new LiveLogs({ redact });
  let artifacts: ArtifactStore | undefined;
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signer = createLinkSigner({ secret: randomBytes(32).toString("hex"), baseUrl: origin, ttlSeconds: 7 * 86_400 });
  const reader: Pick<ArtifactStore, "get"> = { get: (key) => (artifacts ? artifacts.get(key) : Promise.resolve(undefined)) };
  const handler = createWebHandler({ store, artifacts: reader, live, signer, redact });
  server.on("request", (req, res) => void handler(req, res).then((handled) => handled || res.writeHead(404).end("Not found\n")));
  const url = signer.url({ kind: "job", id: job.id });
  openInBrowser(url, params.env);
  return {
    url,
    prefix: `jobs/${job.id}`,
    wrap(store) {
      artifacts = withLiveLogs(store, live);
      return artifacts;
    },
    async finish(end) {
      live.end(job.id);
      if ("result" in end) await store.transition(job.id, "running", end.result.outcome, { result: end.result });
      else await store.transition(job.id, "running", end.state, { reason: end.reason });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

function openInBrowser(url: string, env: NodeJS.ProcessEnv): void {
  const browser = env.BROWSER ?? (process.platform === "darwin" ? "open" : "xdg-open");
  if (!browser || browser === "none") return;
  // argv, never a shell: the URL is one argument. A missing opener is fine: the link is printed.
  const child = spawn(browser, [url], { detached: true, stdio: "ignore" });
  child.on("error", () => undefined);
  child.unref();
}
