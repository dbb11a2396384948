import type { ArtifactStore } from "../../ports/artifact-store.js";
import type { LogSink } from "./create-log-sink.js";

/**
 * How a Cloud Run job's log travels while it runs: `mlops-bot job` uploads it in numbered pieces
 * under the run's folder (`log/000001.txt`, `log/000002.txt`, ...), each written once, and the
 * runner reads them in order as it polls the execution. The task runs the PR's code with the
 * agent's credentials, so anything under the run's folder may have been written by the PR: the
 * runner only ever asks for the next name it expects (it never lists, so no other name is read),
 * reads each piece once and at most `maxPieceBytes + 1` of it, and stops at the log limit.
 */
export const LOG_PIECES = {
  /** The agent uploads what it has every `flushMs`, or as soon as it holds `flushBytes`. */
  flushMs: 2000,
  flushBytes: 256 * 1024,
  /** A piece larger than this was not written by the agent: it is not shown. */
  maxPieceBytes: 1024 * 1024,
  /** More pieces than this are not read (two hours and a half of a piece every two seconds, and more). */
  maxPieces: 99_999,
  /** Pieces read per poll, so one poll never runs long; the rest wait for the next one. */
  perPoll: 200,
  /** At the end, this many missing pieces in a row end the reading (a record can claim any count). */
  maxMissingInRow: 20,
} as const;

/** The key of the n-th piece (from 1) under the run's folder. */
export function logPieceKey(n: number): string {
  return `log/${String(n).padStart(6, "0")}.txt`;
}

/**
 * The runner's side: reads the run's log pieces in order into the job's log sink (redacted and
 * capped there, so the job page's live log shows them as they come).
 */
export class LogPieceReader {
  private next = 1;
  private stopped = false;

  constructor(private readonly params: { artifacts: ArtifactStore; prefix: string; sink: LogSink }) {}

  /** Pieces read so far. */
  get count(): number {
    return this.next - 1;
  }

  /** Reads every piece that is there, in order, up to the first one that is not (yet). */
  async poll(): Promise<void> {
    for (let i = 0; i < LOG_PIECES.perPoll && !this.done(); i++) {
      if (!(await this.readNext())) return;
    }
  }

  /**
   * After the run: reads the rest, up to `expected` pieces (the agent's count, from the completion
   * record) when there is one, noting each missing piece; without one, up to the first missing.
   */
  async finish(expected: number | undefined): Promise<void> {
    let missingInRow = 0;
    const last = Math.min(expected ?? 0, LOG_PIECES.maxPieces);
    for (;;) {
      if (this.done()) return;
      if (await this.readNext()) {
        missingInRow = 0;
        continue;
      }
      if (this.next > last) return;
      if (++missingInRow > LOG_PIECES.maxMissingInRow) return this.note(`log pieces ${this.next} to ${last} are missing; the log ends here`);
      this.note(`log piece ${this.next} of ${last} is missing`);
      this.next++;
    }
  }

  private done(): boolean {
    if (this.stopped || this.params.sink.truncated) return true;
    if (this.next <= LOG_PIECES.maxPieces) return false;
    this.stopped = true;
    this.note(`the job wrote more than ${LOG_PIECES.maxPieces} log pieces; the rest are not read`);
    return true;
  }

  /** Reads piece `next` into the sink and moves on; false when it is not there. */
  private async readNext(): Promise<boolean> {
    const n = this.next;
    const data = await this.params.artifacts.get(`${this.params.prefix}/${logPieceKey(n)}`, { maxBytes: LOG_PIECES.maxPieceBytes });
    if (!data) return false;
    this.next++;
    if (data.length > LOG_PIECES.maxPieceBytes) this.note(`log piece ${n} is over ${LOG_PIECES.maxPieceBytes} bytes, which the job agent never writes: not shown`);
    else this.params.sink.write(data);
    return true;
  }

  private note(text: string): void {
    this.params.sink.write(Buffer.from(`\n[mlops-bot: ${text}]\n`));
  }
}
