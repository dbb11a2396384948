import { Writable } from "node:stream";
import { LOG_PIECES, logPieceKey } from "../../adapters/runners/cloud-run-log-pieces.js";
import type { ArtifactStore } from "../../ports/artifact-store.js";

/**
 * The agent's side of the live log: what the pipeline prints (already redacted and capped by the
 * runner's log sink) is uploaded as numbered pieces under the run's folder, every `flushMs` or
 * each `flushBytes`, never more than `maxPieceBytes` in one. A piece is written once; one that
 * fails to upload is tried again with the next flush under the same number, so the numbers have
 * no gaps. `close` uploads the rest and says how many pieces there are (for the completion record).
 */
export class LogPieceUploader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private count = 0;
  private uploading: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private lastError: string | undefined;

  constructor(
    private readonly params: { store: ArtifactStore; flushMs?: number; flushBytes?: number; onError?: (message: string) => void },
  ) {
    this.timer = setInterval(() => void this.flush(), params.flushMs ?? LOG_PIECES.flushMs);
    this.timer.unref();
  }

  write(chunk: Buffer): Promise<void> {
    if (chunk.length === 0) return Promise.resolve();
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    return this.pendingBytes >= (this.params.flushBytes ?? LOG_PIECES.flushBytes) ? this.flush() : Promise.resolve();
  }

  /** A stream into the uploader that does not close it when it ends (the runner ends its log; notes follow). */
  writable(): Writable {
    return new Writable({
      write: (chunk: Buffer | string, _encoding, callback) => {
        this.write(Buffer.from(chunk)).then(() => callback(), callback);
      },
      final: (callback) => {
        this.flush().then(() => callback(), callback);
      },
    });
  }

  /** Uploads what is held, one upload at a time, in order. */
  flush(): Promise<void> {
    this.uploading = this.uploading.then(() => this.uploadPending());
    return this.uploading;
  }

  /** Uploads the rest (trying a failed piece a few more times); the number of pieces written. */
  async close(): Promise<number> {
    clearInterval(this.timer);
    for (let attempt = 0; attempt < 3 && this.pendingBytes > 0; attempt++) await this.flush();
    if (this.pendingBytes > 0) this.params.onError?.(`the last ${this.pendingBytes} bytes of the log could not be uploaded: ${this.lastError ?? "unknown error"}`);
    return this.count;
  }

  private async uploadPending(): Promise<void> {
    while (this.pendingBytes > 0 && this.count < LOG_PIECES.maxPieces) {
      const all = Buffer.concat(this.pending);
      const piece = all.subarray(0, LOG_PIECES.maxPieceBytes);
      // Writes that come in during the upload are added after the rest.
      this.pending = [all.subarray(piece.length)];
      this.pendingBytes = all.length - piece.length;
      try {
        await this.params.store.put(logPieceKey(this.count + 1), piece);
      } catch (e) {
        // Kept, under the same number, for the next flush.
        this.pending.unshift(piece);
        this.pendingBytes += piece.length;
        this.lastError = (e as Error).message;
        return;
      }
      this.count++;
    }
  }
}
