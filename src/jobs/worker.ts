import { randomUUID } from "node:crypto";
import { isReadable, type JobKind, type JobRepo, type StoredJob } from "../core/jobs/job.js";
import type { ArtifactStore } from "../ports/artifact-store.js";
import type { CodeHost } from "../ports/code-host.js";
import type { JobStore } from "../ports/job-store.js";
import type { Logger } from "../ports/logger.js";
import { unreadableJobReason } from "../report/jobs/render-unreadable-job.js";
import { errorLogFields, renderError } from "../report/render-error.js";
import { abortedOutcome, CancelReason, ShutdownReason } from "./abort-reasons.js";
import { setWorkerStarted, workerId } from "./is-worker-alive.js";
import { endLeftovers, type LeftoverSweeper } from "./end-leftovers.js";
import { flushOutbox } from "./deliver-outbox.js";
import type { JobExecutor, JobOutcome } from "./job-executor.js";
import { createProgressReporter } from "./progress-reporter.js";
import { recoverExpired, recoverStopped } from "./recover-jobs.js";
import { reportJobEnd, type ReportDeps } from "./report-job-end.js";

export interface WorkerOptions {
  readonly store: JobStore;
  readonly artifacts: ArtifactStore;
  readonly executors: readonly JobExecutor[];
  /** An installation-scoped code host for a job's repository. */
  readonly hostFor: (repo: JobRepo) => Promise<CodeHost>;
  /** Training and build jobs run at once (they take the machine's CPU). */
  readonly concurrency: number;
  /** Data checks run at once, beside them (they only read git and manifests); default 2. */
  readonly lightConcurrency?: number;
  readonly log: Logger;
  /**
   * How often the store is polled for new jobs, cancel requests, lapsed leases and unreported
   * ends: default 1 s, or 10 s when the store notifies (`JobStore.watch`), where the poll is
   * only the fallback.
   */
  readonly pollMs?: number;
  /** Minimum time between two progress updates of one check run. */
  readonly progressEveryMs?: number;
  /**
   * How long a claim holds without renewal (stores that lease claims); the worker renews its
   * jobs' leases every third of it, and any worker recovers a job whose lease lapsed.
   */
  readonly leaseMs?: number;
  /** Run once at start, before the dead jobs are failed: end what dead bot processes left behind (`endLeftovers`). */
  readonly leftoverSweepers?: readonly LeftoverSweeper[];
}

/** Job kinds that only read (no pipeline, no image build): they get their own small pool. */
const LIGHT_KINDS: ReadonlySet<JobKind> = new Set(["diff"]);

const LEASE_LOST_REASON = "This bot instance lost its claim on the job (it could not renew it in time), so another instance ended it.";
const DEFAULT_LEASE_MS = 60_000;
const POLL_MS = 1000;
const WATCHED_POLL_MS = 10_000;

/**
 * Claims queued jobs up to the concurrency limit, runs each through its executor, watches for
 * cancel requests, and makes sure every job that ended is reported on GitHub (retrying until it
 * is), and delivers the commands' answers waiting in the store's outbox. On start it finishes, truthfully, the jobs a dead process left running. Claims are leases
 * where the store supports them: the worker renews its own, and on every poll ends the jobs whose
 * lease lapsed (their worker died, on this host or another).
 */
export class Worker {
  readonly id = workerId(randomUUID().slice(0, 8));
  private readonly executors: Map<JobKind, JobExecutor>;
  /** Jobs running here, with the claim (fencing token) this worker holds on each. */
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void>; kind: JobKind | null; claim: string | null }>();
  private timer: NodeJS.Timeout | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private renewing = false;
  private ticking: Promise<void> | undefined;
  private wakeAgain = false;
  private unwatch: (() => void) | undefined;
  private stopped = true;

  constructor(private readonly options: WorkerOptions) {
    this.executors = new Map(options.executors.map((e) => [e.kind, e]));
  }

  async start(): Promise<void> {
    this.stopped = false;
    setWorkerStarted(this.id, true);
    await endLeftovers(this.options.leftoverSweepers ?? [], this.options.log);
    await this.recover();
    this.unwatch = this.options.store.watch?.(() => void this.wake());
    await this.tick();
    this.timer = setInterval(() => void this.wake(), this.options.pollMs ?? (this.unwatch ? WATCHED_POLL_MS : POLL_MS));
    this.timer.unref();
    if (this.options.store.renewLease) {
      this.renewTimer = setInterval(() => void this.renewLeases(), Math.max(1, Math.floor(this.leaseMs / 3)));
      this.renewTimer.unref();
    }
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /**
   * Looks for work now (called after an enqueue, so the job starts without waiting for a poll).
   * A wake during a tick runs one more tick after it: the tick may have looked before the enqueue.
   */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.ticking) {
      this.wakeAgain = true;
      return this.ticking;
    }
    this.ticking = (async () => {
      do {
        this.wakeAgain = false;
        await this.tick();
      } while (this.wakeAgain && !this.stopped);
    })().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  /** Stops claiming; running jobs are cancelled with `reason` and reported. */
  async stop(reason = "The bot was shut down while this job was running; run it again (Train again, /diff or /build) to get a result."): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.unwatch?.();
    for (const { controller } of this.running.values()) controller.abort(new ShutdownReason(reason));
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    await this.ticking;
    if (this.renewTimer) clearInterval(this.renewTimer);
    setWorkerStarted(this.id, false);
  }

  /** Jobs running now, by id (for tests and the health route). */
  get active(): number {
    return this.running.size;
  }

  /** Waits until nothing runs and nothing is queued or unreported (tests). */
  async idle(): Promise<void> {
    for (;;) {
      await this.wake();
      await Promise.allSettled([...this.running.values()].map((r) => r.done));
      const pending = await this.options.store.list({ state: ["queued"] });
      const unreported = await this.options.store.list({ state: ["succeeded", "failed", "cancelled", "timed_out"], reported: false });
      if (this.running.size === 0 && pending.length === 0 && unreported.length === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private recoverDeps() {
    return { store: this.options.store, executors: this.executors, log: this.options.log, worker: this.id };
  }

  private async recover(): Promise<void> {
    await recoverStopped(this.recoverDeps());
  }

  /** Takes over the jobs whose lease lapsed; follows here those whose work runs elsewhere. */
  private async recoverExpired(): Promise<void> {
    if (this.stopped) return;
    const resume = await recoverExpired({ ...this.recoverDeps(), leaseMs: this.leaseMs, runningHere: (id) => this.running.has(id) });
    for (const job of resume) this.launch(job);
  }

  /** Renews the lease of every job this worker runs; a job whose lease was lost is stopped. */
  private async renewLeases(): Promise<void> {
    const { store, log } = this.options;
    if (!store.renewLease || this.renewing) return;
    this.renewing = true;
    try {
      for (const [id, { controller, claim }] of this.running) {
        if (claim === null) continue; // a store that gave no claim: nothing to renew it by
        try {
          const held = await store.renewLease({ id, claim, leaseMs: this.leaseMs });
          if (!held && this.running.has(id) && !controller.signal.aborted) {
            log.warn({ job: id }, "lost the job's lease to another worker: stopping it");
            controller.abort(new ShutdownReason(LEASE_LOST_REASON));
          }
        } catch (e) {
          log.warn({ err: e, job: id }, "could not renew the job's lease; will retry");
        }
      }
    } finally {
      this.renewing = false;
    }
  }

  private async tick(): Promise<void> {
    const { store, concurrency, log } = this.options;
    try {
      await this.propagateCancels();
      await this.recoverExpired();
      // Two pools, so a data check never waits behind an hour of training.
      const pools = [
        { kinds: [...this.executors.keys()].filter((k) => !LIGHT_KINDS.has(k)), limit: concurrency },
        { kinds: [...this.executors.keys()].filter((k) => LIGHT_KINDS.has(k)), limit: this.options.lightConcurrency ?? 2 },
      ];
      for (const pool of pools) {
        while (!this.stopped && pool.kinds.length && [...this.running.values()].filter((r) => r.kind !== null && pool.kinds.includes(r.kind)).length < pool.limit) {
          const job = await store.claimNext({ worker: this.id, kinds: pool.kinds, leaseMs: this.leaseMs });
          if (!job) break;
          this.launch(job);
        }
      }
      await this.reportEnded();
      await this.flushOutbox();
    } catch (e) {
      log.error({ err: e }, "worker tick failed; will retry");
    }
  }

  private launch(job: StoredJob): void {
    const controller = new AbortController();
    const done = this.execute(job, controller.signal).finally(() => {
      this.running.delete(job.id);
      void this.wake();
    });
    this.running.set(job.id, { controller, done, kind: job.kind, claim: job.claim ?? null });
  }

  private async execute(claimed: StoredJob, signal: AbortSignal): Promise<void> {
    const { store } = this.options;
    // Re-read: the command that queued the job may have attached its check run after the claim.
    const job = (await store.get(claimed.id)) ?? claimed;
    const log = this.options.log.child({ job: job.id, kind: job.kind, repo: `${job.repo.owner}/${job.repo.name}`, pr: job.pr });
    const outcome = await this.outcomeOf(job, signal, log);
    const ended = await this.finish(claimed, outcome, log);
    if (ended) await this.report(ended);
  }

  /**
   * Writes a job's outcome, fenced by the claim this worker got with it (`claimed.claim`, not a
   * re-read: a worker that took the job over meanwhile holds a newer one). A lost claim is logged
   * in one line and not retried: the job's current holder decides its end.
   */
  private async finish(claimed: StoredJob, outcome: JobOutcome, log: Logger): Promise<StoredJob | undefined> {
    const { store } = this.options;
    const patch = { reason: outcome.reason ?? null, result: outcome.result };
    if (!claimed.claim) {
      const moved = await store.transition(claimed.id, "running", outcome.state, patch);
      log.info({ state: outcome.state, moved: Boolean(moved) }, "job ended");
      return moved;
    }
    const ended = await store.finish({ id: claimed.id, claim: claimed.claim, to: outcome.state, ...patch });
    if (ended.status === "lost-claim") {
      log.warn({ state: outcome.state }, "lost the job's claim to another worker (its lease lapsed): its outcome was not written");
      return undefined;
    }
    log.info({ state: outcome.state, moved: true }, "job ended");
    return ended.job;
  }

  /** Runs a job through its executor; a damaged record is not run, and a throw is a failure. */
  private async outcomeOf(job: StoredJob, signal: AbortSignal, log: Logger): Promise<JobOutcome> {
    if (!isReadable(job)) {
      log.error({ problem: job.problem }, "the job's stored record is damaged: not running it");
      return { state: "failed", reason: unreadableJobReason(job) };
    }
    const executor = this.executors.get(job.kind);
    if (!executor) return { state: "failed", reason: `This bot cannot run ${job.kind} jobs.` };
    try {
      const host = await this.options.hostFor(job.repo);
      const { store, artifacts } = this.options;
      const progress = createProgressReporter({ host, store, job, log, everyMs: this.options.progressEveryMs ?? 10_000 });
      log.info("job started");
      const outcome = await executor.run(job, { host, store, artifacts, log, signal, progress: progress.update });
      await progress.flush();
      return outcome;
    } catch (e) {
      if (signal.aborted) return abortedOutcome(signal);
      log.error(errorLogFields(e), "job failed with an error");
      // A typed error says what to change; a bug is named without its message (the log has it).
      return { state: "failed", reason: renderError(e, { subject: "The job", retry: "Run it again, and tell the bot's operator if it keeps failing." }) };
    }
  }

  private async propagateCancels(): Promise<void> {
    for (const [id, { controller }] of this.running) {
      if (controller.signal.aborted) continue;
      const job = await this.options.store.get(id);
      if (job?.cancelRequested) controller.abort(new CancelReason(job.reason ?? "Cancelled."));
    }
  }

  private async reportEnded(): Promise<void> {
    const ended = await this.options.store.list({ state: ["succeeded", "failed", "cancelled", "timed_out"], reported: false });
    for (const job of ended) if (!this.running.has(job.id)) await this.report(job);
  }

  /** Delivers commands' answers that GitHub did not take before (or that a dead process held). */
  private async flushOutbox(): Promise<void> {
    const { store, hostFor, log } = this.options;
    if (store.outbox && !this.stopped) await flushOutbox({ outbox: store.outbox, hostFor, log, worker: this.id });
  }

  private report(job: StoredJob): Promise<void> {
    const { store, artifacts, hostFor, log } = this.options;
    const deps: ReportDeps = { store, artifacts, executors: this.executors, hostFor, log, worker: this.id, leaseMs: this.leaseMs };
    return reportJobEnd(deps, job);
  }
}
