import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The bot's metrics, in a prom-client registry of its own (tests run several bots in one
 * process), with prom-client's default process and Node.js metrics. No label carries a
 * repository, a user or a pull request: only event names, job kinds and states, and GitHub's
 * route templates (`/repos/{owner}/{repo}/check-runs`), so the page says nothing about whom the
 * bot serves.
 */
export interface BotMetrics {
  readonly registry: Registry;
  /** A webhook delivery the app handled (`issue_comment.created`), and how it ended. */
  webhook(event: string, outcome: "handled" | "failed"): void;
  /** A job reached `state`. */
  job(kind: string, state: string): void;
  /** A job waited `seconds` in the queue before a worker claimed it. */
  queueWait(kind: string, seconds: number): void;
  /** A job ran `seconds` from its claim to its end, and ended in `state`. */
  runTime(kind: string, state: string, seconds: number): void;
  /** A GitHub API call (route template, method, status) and the rate limit GitHub said is left. */
  githubCall(call: { method: string; route: string; status: number; remaining?: number | undefined; resource?: string | undefined }): void;
  /** A training run ended: its wall time on its runner, and its estimated cost when it has one. */
  trainingRun(run: { runner: string; seconds: number; cost?: { amount: number; currency: string } | undefined }): void;
}

/** Seconds, from one second to six hours: webhook-fast jobs up to long trainings. */
const DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14_400, 21_600];

export function createBotMetrics(): BotMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const webhooks = new Counter({ name: "mlops_bot_webhooks_total", help: "Webhook deliveries handled, by event and outcome", labelNames: ["event", "outcome"], registers: [registry] });
  const jobs = new Counter({ name: "mlops_bot_jobs_total", help: "Jobs that reached each state, by kind", labelNames: ["kind", "state"], registers: [registry] });
  const queueWait = new Histogram({
    name: "mlops_bot_job_queue_wait_seconds",
    help: "Time a job waited in the queue before a worker claimed it",
    labelNames: ["kind"],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const runTime = new Histogram({
    name: "mlops_bot_job_run_seconds",
    help: "Time from a job's claim to its end, by kind and final state",
    labelNames: ["kind", "state"],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const calls = new Counter({
    name: "mlops_bot_github_api_requests_total",
    help: "GitHub API requests, by method, route template and status",
    labelNames: ["method", "route", "status"],
    registers: [registry],
  });
  const remaining = new Gauge({
    name: "mlops_bot_github_rate_limit_remaining",
    help: "Requests left in GitHub's rate limit window, as its last answer said, by resource",
    labelNames: ["resource"],
    registers: [registry],
  });
  const trainingSeconds = new Counter({
    name: "mlops_bot_training_seconds_total",
    help: "Wall time of ended training runs, by runner",
    labelNames: ["runner"],
    registers: [registry],
  });
  const trainingCost = new Counter({
    name: "mlops_bot_training_cost_total",
    help: "Estimated cost of ended training runs (MLOPS_PRICES), by runner and currency",
    labelNames: ["runner", "currency"],
    registers: [registry],
  });
  return {
    registry,
    webhook: (event, outcome) => webhooks.inc({ event, outcome }),
    job: (kind, state) => jobs.inc({ kind, state }),
    queueWait: (kind, seconds) => queueWait.observe({ kind }, Math.max(0, seconds)),
    runTime: (kind, state, seconds) => runTime.observe({ kind, state }, Math.max(0, seconds)),
    githubCall: (call) => {
      calls.inc({ method: call.method, route: call.route, status: String(call.status) });
      if (call.remaining !== undefined && Number.isFinite(call.remaining)) remaining.set({ resource: call.resource ?? "core" }, call.remaining);
    },
    trainingRun: (run) => {
      trainingSeconds.inc({ runner: run.runner }, Math.max(0, run.seconds));
      if (run.cost) trainingCost.inc({ runner: run.runner, currency: run.cost.currency }, Math.max(0, run.cost.amount));
    },
  };
}
