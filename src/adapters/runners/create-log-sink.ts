import { LogTail } from "../../core/pipeline/log-tail.js";
import type { RunRequest } from "../../ports/job-runner.js";
import { knownSecretValues, type SecretValues } from "../secrets/secret-values.js";

export interface LogSink {
  /** Takes a chunk of the job's output: to the tail, to `onOutput`, and to the log within its limit. */
  write(chunk: Buffer): void;
  /** Passes on what redaction held back (the end of the output); call once the job has ended, before ending the log. */
  finish(): void;
  readonly tail: LogTail;
  readonly bytes: number;
  readonly truncated: boolean;
}

/**
 * Where a runner sends its job's output: the request's log (capped, with a note), its tail and
 * progress, each with every known secret value redacted (a secret split across chunks included).
 */
export function createLogSink(request: Pick<RunRequest, "log" | "logLimitBytes" | "onOutput">, secrets: SecretValues = knownSecretValues): LogSink {
  const tail = new LogTail();
  const redactor = secrets.stream();
  let bytes = 0;
  let kept = 0;
  let truncated = false;
  const pass = (text: string) => {
    if (!text) return;
    tail.push(text);
    request.onOutput?.(text);
    const size = Buffer.byteLength(text);
    if (kept + size <= request.logLimitBytes) {
      request.log.write(text);
      kept += size;
    } else if (!truncated) {
      truncated = true;
      // The part of the chunk that fits is kept (a remote runner's chunks are large), cut between characters.
      const head = new TextDecoder().decode(Buffer.from(text).subarray(0, request.logLimitBytes - kept), { stream: true });
      request.log.write(`${head}\n[mlops-bot: log limit of ${request.logLimitBytes} bytes reached; the rest is not kept]\n`);
      kept += Buffer.byteLength(head);
    }
  };
  return {
    tail,
    get bytes() {
      return bytes;
    },
    get truncated() {
      return truncated;
    },
    write(chunk) {
      bytes += chunk.length;
      pass(redactor.push(chunk));
    },
    finish() {
      pass(redactor.end());
    },
  };
}
