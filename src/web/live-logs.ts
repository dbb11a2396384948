import { StageTracker, type StageProgress } from "../core/pipeline/track-stages.js";

/** One line of a job's output, numbered from 1 in the order it arrived. */
export interface LogLine {
  readonly n: number;
  readonly text: string;
}

type Listener = (lines: readonly LogLine[], ended: boolean) => void;

interface Feed {
  lines: LogLine[];
  next: number;
  partial: string;
  ended: boolean;
  endedAt: number;
  listeners: Set<Listener>;
  stages: StageTracker;
}

/**
 * The live output of the jobs this process runs, for the job page's log tail: chunks are cut into
 * numbered lines (a long line is cut every `maxLineChars`), redacted, and the last `keepLines` of
 * each job are kept and pushed to subscribers. A feed is dropped `keepEndedMs` after its job ends
 * (the stored log serves it from then on). Memory: jobs × keepLines × maxLineChars at most.
 */
export class LiveLogs {
  private readonly feeds = new Map<string, Feed>();

  constructor(
    private readonly options: { redact: (text: string) => string; keepLines?: number; maxLineChars?: number; keepEndedMs?: number; now?: () => number },
  ) {}

  private get keepLines(): number {
    return this.options.keepLines ?? 2000;
  }

  /** Adds a chunk of a job's output. */
  append(jobId: string, text: string): void {
    const feed = this.feed(jobId);
    if (feed.ended) return;
    const max = this.options.maxLineChars ?? 4000;
    const parts = (feed.partial + text).split(/\r?\n/);
    feed.partial = parts.pop() ?? "";
    // A line that never ends is still shown, in pieces.
    while (feed.partial.length > max) {
      parts.push(feed.partial.slice(0, max));
      feed.partial = feed.partial.slice(max);
    }
    const added: LogLine[] = [];
    for (const raw of parts) {
      const visible = raw.includes("\r") ? (raw.split("\r").filter(Boolean).pop() ?? "") : raw;
      for (let i = 0; i < Math.max(visible.length, 1); i += max) added.push({ n: feed.next++, text: this.options.redact(visible.slice(i, i + max)) });
    }
    if (added.length) this.push(feed, added, false);
  }

  /** The job ended: the unfinished line is flushed and subscribers are told. */
  end(jobId: string): void {
    const feed = this.feeds.get(jobId);
    if (!feed || feed.ended) return;
    const added = feed.partial ? [{ n: feed.next++, text: this.options.redact(feed.partial) }] : [];
    feed.partial = "";
    feed.ended = true;
    feed.endedAt = this.now();
    this.push(feed, added, true);
    this.prune();
  }

  /** True while this process holds the job's output (running, or ended a short while ago). */
  has(jobId: string): boolean {
    return this.feeds.has(jobId);
  }

  /**
   * Lines after `after` (what a reconnecting page already has) and every later one, until the
   * job ends. `missed` counts lines no longer kept. Returns the unsubscribe function.
   */
  subscribe(jobId: string, after: number, listener: Listener): { missed: number; unsubscribe: () => void } {
    const feed = this.feed(jobId);
    const first = feed.lines[0]?.n ?? feed.next;
    const missed = Math.max(0, first - after - 1);
    listener(
      feed.lines.filter((l) => l.n > after),
      feed.ended,
    );
    if (feed.ended) return { missed, unsubscribe: () => {} };
    feed.listeners.add(listener);
    return { missed, unsubscribe: () => feed.listeners.delete(listener) };
  }

  private feed(jobId: string): Feed {
    let feed = this.feeds.get(jobId);
    if (!feed) this.feeds.set(jobId, (feed = { lines: [], next: 1, partial: "", ended: false, endedAt: 0, listeners: new Set(), stages: new StageTracker() }));
    return feed;
  }

  /** The DVC stages seen so far in the job's output (empty when this process does not hold it). */
  stages(jobId: string): StageProgress[] {
    return this.feeds.get(jobId)?.stages.snapshot() ?? [];
  }

  private push(feed: Feed, added: LogLine[], ended: boolean): void {
    for (const line of added) feed.stages.push(line.text);
    feed.lines.push(...added);
    if (feed.lines.length > this.keepLines) feed.lines.splice(0, feed.lines.length - this.keepLines);
    for (const listener of feed.listeners) listener(added, ended);
    if (ended) feed.listeners.clear();
  }

  private prune(): void {
    const keep = this.options.keepEndedMs ?? 10 * 60_000;
    for (const [id, feed] of this.feeds) if (feed.ended && this.now() - feed.endedAt > keep) this.feeds.delete(id);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
