import { LogTail } from "../../core/pipeline/log-tail.js";
import type { RunRequest } from "../../ports/job-runner.js";

export interface LogSink {
  /** Takes a chunk of the job's output: to the tail, to `onOutput`, and to the log within its limit. */
  write(chunk: Buffer): void;
  readonly tail: LogTail;
  readonly bytes: number;
  readonly truncated: boolean;
}

/** Where a runner sends its job's output: the request's log (capped, with a note), its tail and progress. */
export function createLogSink(request: Pick<RunRequest, "log" | "logLimitBytes" | "onOutput">): LogSink {
  const tail = new LogTail();
  let bytes = 0;
  let truncated = false;
  return {
    tail,
    get bytes() {
      return bytes;
    },
    get truncated() {
      return truncated;
    },
    write(chunk) {
      const text = chunk.toString("utf8");
      tail.push(text);
      request.onOutput?.(text);
      if (bytes + chunk.length <= request.logLimitBytes) request.log.write(chunk);
      else if (!truncated) {
        truncated = true;
        request.log.write(`\n[mlops-bot: log limit of ${request.logLimitBytes} bytes reached; the rest is not kept]\n`);
      }
      bytes += chunk.length;
    },
  };
}
