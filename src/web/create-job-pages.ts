import type { WebConfig } from "../config/web-config.js";
import type { ArtifactStore } from "../ports/artifact-store.js";
import type { JobStore } from "../ports/job-store.js";
import type { Logger } from "../ports/logger.js";
import { createWebHandler } from "./create-web-handler.js";
import { createLinkSigner, type LinkSigner } from "./link-signer.js";
import { LiveLogs } from "./live-logs.js";
import { withLiveLogs } from "./with-live-logs.js";

export interface JobPages {
  /** The artifact store jobs write through: their logs also feed the live logs. */
  readonly artifacts: ArtifactStore;
  readonly live: LiveLogs;
  /** The HTTP handler (Probot `addHandler`); undefined when the pages are off. */
  readonly handler: ReturnType<typeof createWebHandler> | undefined;
  readonly signer: LinkSigner | undefined;
  /** The signed URL of a job's page; undefined when the pages are off. */
  readonly jobPageUrl: ((jobId: string) => string) | undefined;
}

/**
 * The job pages of one bot process: live logs fed by the job logs written through `artifacts`,
 * redacted with `redact` (the bot's known secret values), and (with a web config) the handler and
 * link signer.
 */
export function createJobPages(params: { web: WebConfig | undefined; store: JobStore; artifacts: ArtifactStore; redact: (text: string) => string; log?: Logger }): JobPages {
  const scrub = params.redact;
  const live = new LiveLogs({ redact: scrub });
  const artifacts = withLiveLogs(params.artifacts, live);
  if (!params.web) return { artifacts, live, handler: undefined, signer: undefined, jobPageUrl: undefined };
  const signer = createLinkSigner({ secret: params.web.secret, baseUrl: params.web.publicUrl, ttlSeconds: params.web.ttlSeconds });
  const handler = createWebHandler({ store: params.store, artifacts, live, signer, redact: scrub, ...(params.log ? { log: params.log } : {}) });
  return { artifacts, live, handler, signer, jobPageUrl: (jobId) => signer.url({ kind: "job", id: jobId }) };
}
