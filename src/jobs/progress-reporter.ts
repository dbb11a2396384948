import type { JobFields } from "../core/jobs/job.js";
import type { CheckRunOutput, CodeHost } from "../ports/code-host.js";
import type { JobStore } from "../ports/job-store.js";
import type { Logger } from "../ports/logger.js";

/** Throttled check-run updates of a running job: the latest output wins; at most one call per `everyMs`. */
export function createProgressReporter(params: { host: CodeHost; store: JobStore; job: Pick<JobFields, "id" | "checkRunId">; log: Logger; everyMs: number }) {
  const { host, store, job, log, everyMs } = params;
  let last = 0;
  let pending: CheckRunOutput | undefined;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  const send = () => {
    timer = undefined;
    const output = pending;
    pending = undefined;
    if (!output) return;
    last = Date.now();
    inFlight = inFlight
      .then(async () => {
        // The command that queued the job may attach its check run after the claim.
        const checkRunId = job.checkRunId ?? (await store.get(job.id))?.checkRunId;
        if (checkRunId) await host.updateCheckRun(checkRunId, { status: "in_progress", output });
      })
      .catch((e: unknown) => log.warn({ err: e }, "progress update failed"));
  };
  return {
    update: (output: CheckRunOutput) => {
      pending = output;
      if (timer) return;
      const wait = Math.max(0, last + everyMs - Date.now());
      timer = setTimeout(send, wait);
      timer.unref();
    },
    flush: async () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = undefined;
      await inFlight;
    },
  };
}
