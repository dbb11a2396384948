import type { Worker } from "node:worker_threads";
import { checkFileSize } from "../../core/limits/check-file-size.js";
import { FILE_KIND_NAMES, type ParseLimits } from "../../core/limits/parse-limits.js";
import type { ParsedKind, ParseOutcome, ParseRequest } from "../../core/limits/parse-repository-file.js";
import type { FileParser } from "../../ports/file-parser.js";
import type { Logger } from "../../ports/logger.js";
import { startParseWorker } from "./start-parse-worker.js";
import type { StallHook } from "./stall-hook.js";

export interface WorkerPoolOptions {
  readonly limits: ParseLimits;
  /** Threads at most (started on demand). */
  readonly size: number;
  /** A parse running longer than this is stopped: its worker is terminated and replaced. */
  readonly timeoutMs: number;
  /** Heap of one worker (old generation), in MiB; a parse that needs more kills only its worker. */
  readonly memoryMb: number;
  readonly log?: Logger | undefined;
  /** Tests only: a request for this file never finishes in its worker (see `stall-hook.ts`). */
  readonly stallHook?: StallHook;
}

interface Task {
  readonly request: ParseRequest;
  readonly resolve: (outcome: ParseOutcome) => void;
}

interface Slot {
  readonly worker: Worker;
  ready: boolean;
  task: (Task & { id: number; timer: NodeJS.Timeout }) | undefined;
}

/**
 * The bot's `FileParser`: a pool of worker threads, each with a capped heap (`resourceLimits`),
 * that run the pure parsers. A parse past the deadline, or one that runs its worker out of
 * memory, ends that worker (a new one takes its place) and comes back as a problem naming the
 * file and the limit; the bot's own thread never runs a parser, so it keeps answering. Files over
 * their kind's byte cap are refused here, before they are copied to a worker.
 */
export class WorkerPoolFileParser implements FileParser {
  private readonly slots = new Set<Slot>();
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {}

  readonly parse = <K extends ParsedKind>(request: ParseRequest<K>): Promise<ParseOutcome<K>> => {
    if (this.closed) return Promise.resolve(failure(request, "was not read: the bot is shutting down") as ParseOutcome<K>);
    const tooBig = request.kind === "dvc-config" ? undefined : checkFileSize({ kind: request.kind, file: request.file, text: request.text, limits: this.options.limits });
    if (tooBig) return Promise.resolve({ ok: false, error: [tooBig] });
    return new Promise((resolve) => {
      this.queue.push({ request, resolve: resolve as (outcome: ParseOutcome) => void });
      this.pump();
    });
  };

  /** Workers started and ready (busy or idle). */
  get readyWorkers(): number {
    return [...this.slots].filter((s) => s.ready).length;
  }

  warm(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const slot = [...this.slots][0] ?? this.spawn();
    if (slot.ready) return Promise.resolve();
    return new Promise((resolve) => {
      slot.worker.once("message", () => resolve());
      slot.worker.once("error", () => resolve());
      slot.worker.once("exit", () => resolve());
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.resolve(failure(task.request, "was not read: the bot is shutting down"));
    await Promise.all(
      [...this.slots].map(async (slot) => {
        this.end(slot, "was not read: the bot is shutting down");
        await slot.worker.terminate();
      }),
    );
  }

  /** Hands queued requests to idle workers, starting workers up to the pool size. */
  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      const slot = [...this.slots].find((s) => s.ready && !s.task);
      if (!slot) {
        if (this.slots.size >= this.options.size) return;
        this.spawn();
        continue;
      }
      const task = this.queue.shift()!;
      const id = this.nextId++;
      const timer = setTimeout(() => this.timeout(slot), this.options.timeoutMs);
      slot.task = { ...task, id, timer };
      slot.worker.postMessage({ id, request: task.request });
    }
  }

  private spawn(): Slot {
    const worker = startParseWorker({
      workerData: { limits: this.options.limits, stallHook: this.options.stallHook },
      resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, this.options.memoryMb / 8)), stackSizeMb: 4 },
    });
    const slot: Slot = { worker, ready: false, task: undefined };
    this.slots.add(slot);
    worker.unref();
    worker.on("message", (message: { ready?: true; id?: number; outcome?: ParseOutcome }) => {
      if (message.ready) {
        slot.ready = true;
        this.pump();
        return;
      }
      const task = slot.task;
      if (!task || task.id !== message.id) return;
      clearTimeout(task.timer);
      slot.task = undefined;
      task.resolve(message.outcome!);
      this.pump();
    });
    worker.on("error", (e: Error & { code?: string }) => {
      if (!slot.ready) {
        // It never started (a broken install): fail what waits instead of starting workers forever.
        this.options.log?.error({ err: e }, "a parse worker could not start");
        this.slots.delete(slot);
        for (const task of this.queue.splice(0)) task.resolve(failure(task.request, `was not read: the bot's parse workers cannot start (${e.message})`));
        return;
      }
      const outOfMemory = e.code === "ERR_WORKER_OUT_OF_MEMORY";
      this.options.log?.warn({ err: { name: e.name, code: e.code, message: e.message }, file: slot.task?.request.file }, "a parse worker failed; starting another");
      this.retire(slot, outOfMemory ? `needed more than the ${this.options.memoryMb} MiB of memory the bot gives one file` : `could not be read: the parser stopped (${e.code ?? e.name})`);
    });
    worker.on("exit", () => this.retire(slot, "could not be read: the parser stopped"));
    return slot;
  }

  private timeout(slot: Slot): void {
    const file = slot.task?.request.file;
    this.options.log?.warn({ file, timeoutMs: this.options.timeoutMs }, "a parse ran past its deadline: stopping its worker");
    this.retire(slot, `took longer than the ${this.options.timeoutMs / 1000} s the bot gives one file to parse`);
    void slot.worker.terminate();
  }

  /** Takes a worker out of the pool: its request (if any) gets `message` as its problem. */
  private retire(slot: Slot, message: string): void {
    if (!this.slots.delete(slot)) return;
    this.end(slot, message);
    this.pump();
  }

  private end(slot: Slot, message: string): void {
    const task = slot.task;
    slot.task = undefined;
    if (!task) return;
    clearTimeout(task.timer);
    task.resolve(failure(task.request, message));
  }
}

function failure(request: ParseRequest, message: string): ParseOutcome {
  return { ok: false, error: [{ file: request.file, message: `${message} (${FILE_KIND_NAMES[request.kind]})` }] };
}
