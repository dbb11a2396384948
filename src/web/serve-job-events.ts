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
  const stream = openJobStream(deps, req, res, job.id, after);
  let statusKey = "";
  try {
    while (!stream.closed) {
      const current = await deps.store.get(job.id);
      if (!current) break;
      await stream.catchUp();
      const state = await loadJobPageState(deps, current, { withLines: false });
      const key = JSON.stringify([state.sections, state.plots.length]);
      if (key !== statusKey) {
        statusKey = key;
        writeEvent(res, "status", { state: current.state, sections: state.sections, plots: state.plots });
      }
      if (isEnded(current.state) && stream.allLinesSent()) {
        writeEvent(res, "end", { state: current.state });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, deps.pollMs ?? 1000));
    }
  } catch (e) {
    deps.log?.warn({ err: e, job: job.id }, "job page stream failed");
  } finally {
    stream.close();
    res.end();
  }
}

interface JobStream {
  readonly closed: boolean;
  /** Sends the lines not sent yet: from this process's live output once it runs the job (it may start after the page connected), else from the stored log. */
  catchUp(): Promise<void>;
  /** Whether an ended job's last line went out: its stored log was read, or its live output ended. */
  allLinesSent(): boolean;
  close(): void;
}

/** The stream's log side: lines numbered from `after`, a heartbeat, and what to undo when the browser goes away. */
function openJobStream(deps: WebDeps, req: IncomingMessage, res: ServerResponse, jobId: string, after: number): JobStream {
  let closed = false;
  let sent = after;
  let following = false;
  let liveEnded = false;
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
  const followLive = () => {
    following = true;
    const { missed, unsubscribe } = deps.live.subscribe(jobId, sent, (lines, ended) => {
      sendLines(lines);
      if (ended) liveEnded = true;
    });
    if (missed > 0) writeEvent(res, "gap", { lines: missed });
    cleanups.push(unsubscribe);
  };
  if (deps.live.has(jobId)) followLive();
  const heartbeat = setInterval(() => !closed && res.write(": keep-alive\n\n"), HEARTBEAT_MS);
  cleanups.push(() => clearInterval(heartbeat));
  return {
    get closed() {
      return closed;
    },
    catchUp: async () => {
      if (!following && deps.live.has(jobId)) followLive();
      if (following) return;
      const stored = await readJobLog(deps.artifacts, defaultLogKey(jobId), deps.redact).catch(() => undefined);
      if (stored) sendLines(stored.lines);
    },
    allLinesSent: () => !following || liveEnded || !deps.live.has(jobId),
    close,
  };
}
