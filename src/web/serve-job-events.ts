import type { IncomingMessage, ServerResponse } from "node:http";
import type { StoredJob } from "../core/jobs/job.js";
import { loadJobPageState } from "./job-page-state.js";
import type { LogLine } from "./live-logs.js";
import { readJobLog } from "./read-job-log.js";
import { isEnded } from "./render/job-status.js";
import { startEventStream, writeEvent } from "./send.js";
import { defaultLogKey, type WebDeps } from "./web-deps.js";

const BATCH = 200;
const HEARTBEAT_MS = 15_000;

/**
 * The job page's live stream (server-sent events): `log` events carry numbered lines (the event
 * id is the last line's number, so a reconnecting browser's Last-Event-ID resumes right after
 * it), `status` events the re-rendered sections whenever the job's state or stages change, and
 * `end` once the job ended and every line was sent. Lines come from this process's live output
 * when it runs the job, else from the stored log, polled.
 */
export async function serveJobEvents(deps: WebDeps, req: IncomingMessage, res: ServerResponse, job: StoredJob, after: number): Promise<void> {
  startEventStream(res);
  let closed = false;
  let sent = after;
  const cleanups: Array<() => void> = [];
  const close = () => {
    closed = true;
    for (const c of cleanups.splice(0)) c();
  };
  req.on("close", close);
  res.on("error", close);
  const sendLines = (lines: readonly LogLine[]) => {
    const fresh = lines.filter((l) => l.n > sent);
    for (let i = 0; i < fresh.length && !closed; i += BATCH) {
      const batch = fresh.slice(i, i + BATCH);
      writeEvent(res, "log", batch.map((l) => [l.n, l.text]), batch.at(-1)!.n);
      sent = batch.at(-1)!.n;
    }
  };

  let liveEnded = false;
  const followLive = () => {
    const { missed, unsubscribe } = deps.live.subscribe(job.id, sent, (lines, ended) => {
      sendLines(lines);
      if (ended) liveEnded = true;
    });
    if (missed > 0) writeEvent(res, "gap", { lines: missed });
    cleanups.push(unsubscribe);
  };
  let following = deps.live.has(job.id);
  if (following) followLive();

  const heartbeat = setInterval(() => !closed && res.write(": keep-alive\n\n"), HEARTBEAT_MS);
  cleanups.push(() => clearInterval(heartbeat));

  let statusKey = "";
  let current: StoredJob | undefined = job;
  try {
    while (!closed) {
      current = await deps.store.get(job.id);
      if (!current) break;
      // This process may start running the job after the page connected.
      if (!following && deps.live.has(job.id)) {
        following = true;
        followLive();
      }
      if (!following) {
        const stored = await readJobLog(deps.artifacts, defaultLogKey(job.id), deps.redact).catch(() => undefined);
        if (stored) sendLines(stored.lines);
      }
      const state = await loadJobPageState(deps, current, { withLines: false });
      const key = JSON.stringify([state.sections, state.plots.length]);
      if (key !== statusKey) {
        statusKey = key;
        writeEvent(res, "status", { state: current.state, sections: state.sections, plots: state.plots });
      }
      if (isEnded(current.state) && (!following || liveEnded || !deps.live.has(job.id))) {
        writeEvent(res, "end", { state: current.state });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, deps.pollMs ?? 1000));
    }
  } catch (e) {
    deps.log?.warn({ err: e, job: job.id }, "job page stream failed");
  } finally {
    close();
    res.end();
  }
}
