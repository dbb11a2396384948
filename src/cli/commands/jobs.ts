import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { createJobStore } from "../../adapters/stores/create-job-store.js";
import { loadServerConfig } from "../../config/server-config.js";
import { BotError } from "../../core/errors.js";
import { jobKinds, jobStates, type JobState } from "../../core/jobs/job.js";
import { cancelJob } from "../../jobs/cancel-job.js";
import { retryJob } from "../../jobs/retry-job.js";
import type { JobFilter, JobStore } from "../../ports/job-store.js";
import { renderJobDetails } from "../../report/jobs/render-job-details.js";
import { renderJobList, renderJson } from "../../report/jobs/render-job-list.js";
import { formatProblem } from "../../core/problem.js";
import type { CliCommand, CliIo } from "../cli-command.js";

const USAGE = `Usage: mlops-bot jobs <list | show ID | cancel ID | retry ID> [options]

Looks at and acts on the bot's job queue, in the job store the bot's environment names
(MLOPS_JOB_STORE: the SQLite file in MLOPS_DATA_DIR, a PostgreSQL database, or a Cloud Storage
prefix; MLOPS_CLOUD_SQL_INSTANCE, MLOPS_GCS_ENDPOINT as for the bot). Run it with the bot's
environment; running bots see every change.

  list [--state S,S] [--kind K] [--repo OWNER/NAME] [--pr N] [--limit N] [--json]
        jobs, newest first (the last 50 unless --limit says otherwise)
  show ID [--json]
        every field of one job: state, lease, reason, input, result
  cancel ID [--reason TEXT]
        a queued job ends now as cancelled; a running one is stopped by its worker within
        seconds; either way the bot reports it on GitHub like a /cancel
  retry ID
        queues an ended job's command again (same commit and input); it supersedes the other
        open jobs of its pull request, like the Re-run button

States: ${jobStates.join(", ")}. Kinds: ${jobKinds.join(", ")}.`;

type Parsed = { action: "list"; filter: JobFilter; pr?: number; limit: number; json: boolean } | { action: "show"; id: string; json: boolean } | { action: "cancel"; id: string; reason?: string } | { action: "retry"; id: string };

/** `mlops-bot jobs list|show|cancel|retry`: operations on the job queue, over any job store. */
export const jobsCommand: CliCommand = {
  name: "jobs",
  summary: "List, show, cancel or retry the bot's jobs (any job store: SQLite, PostgreSQL, Cloud Storage)",
  usage: USAGE,
  async run(args, io) {
    const parsed = parseJobsArgs(args);
    if (typeof parsed === "string") {
      io.err(`mlops-bot jobs: ${parsed}\n\n${USAGE}\n`);
      return 2;
    }
    let store: JobStore | undefined;
    try {
      store = createJobStore(loadServerConfig(io.env, io.cwd));
      return await act(parsed, store, io);
    } catch (e) {
      if (!(e instanceof BotError)) throw e;
      io.err(`mlops-bot jobs: ${e.message}\n`);
      return e.kind === "config" ? 2 : 1;
    } finally {
      await store?.close();
    }
  },
};

async function act(parsed: Parsed, store: JobStore, io: CliIo): Promise<number> {
  if (parsed.action === "list") {
    const jobs = (await store.list(parsed.filter)).filter((j) => parsed.pr === undefined || j.pr === parsed.pr);
    const newest = jobs.reverse().slice(0, parsed.limit);
    io.out(parsed.json ? `${renderJson(newest)}\n` : renderJobList(newest));
    return 0;
  }
  if (parsed.action === "show") {
    const job = await store.get(parsed.id);
    if (!job) return missing(parsed.id, io);
    io.out(parsed.json ? `${renderJson(job)}\n` : renderJobDetails(job));
    return 0;
  }
  const operator = safeUser();
  if (parsed.action === "cancel") {
    const reason = parsed.reason ?? `Cancelled by an operator (${operator}).`;
    const done = await cancelJob({ store, id: parsed.id, reason });
    if (done.outcome === "missing") return missing(parsed.id, io);
    if (done.outcome === "already-ended") {
      io.err(`mlops-bot jobs: job ${parsed.id} already ended (${done.job.state}); nothing to cancel\n`);
      return 1;
    }
    io.out(done.outcome === "cancelled" ? `Cancelled queued job ${parsed.id}.\n` : `Asked the worker running job ${parsed.id} (${done.job.worker ?? "?"}) to stop it.\n`);
    return 0;
  }
  const retried = await retryJob({ store, id: parsed.id, supersededBecause: `Superseded by a retry of job ${parsed.id} by an operator (${operator}).` });
  if (retried.outcome === "missing") return missing(parsed.id, io);
  if (retried.outcome === "not-ended") {
    io.err(`mlops-bot jobs: job ${parsed.id} is ${retried.original.state}; only an ended job can be retried (cancel it first: mlops-bot jobs cancel ${parsed.id})\n`);
    return 1;
  }
  if (retried.outcome === "unreadable") {
    io.err(`mlops-bot jobs: job ${parsed.id}'s stored record is damaged (${formatProblem(retried.original.problem)}), so its command cannot be queued again\n`);
    return 1;
  }
  io.out(`Queued job ${retried.job.id}: ${retried.job.kind} of ${retried.job.headSha.slice(0, 7)} again (retry of ${parsed.id}).\n`);
  return 0;
}

function missing(id: string, io: CliIo): number {
  io.err(`mlops-bot jobs: no job ${JSON.stringify(id)} in the job store\n`);
  return 1;
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

/** The action and its options, or what is wrong with them. */
export function parseJobsArgs(args: readonly string[]): Parsed | string {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        state: { type: "string" },
        kind: { type: "string" },
        repo: { type: "string" },
        pr: { type: "string" },
        limit: { type: "string" },
        json: { type: "boolean" },
        reason: { type: "string" },
      },
    }));
  } catch (e) {
    return (e as Error).message.split("\n")[0]!;
  }
  const [action, id, ...extra] = positionals;
  if (!action) return "missing the action: list, show, cancel or retry";
  if (extra.length) return `unexpected ${JSON.stringify(extra[0])}`;
  const allowed: Record<string, readonly string[]> = { list: ["state", "kind", "repo", "pr", "limit", "json"], show: ["json"], cancel: ["reason"], retry: [] };
  const options = allowed[action];
  if (!options) return `unknown action ${JSON.stringify(action)}: use list, show, cancel or retry`;
  const stray = Object.keys(values).find((k) => !options.includes(k));
  if (stray) return `--${stray} does not go with ${action}`;
  if (action === "list") return id ? `list takes no ID (got ${JSON.stringify(id)}); use show` : parseListOptions(values);
  if (!id) return `${action} needs the job's ID (see mlops-bot jobs list)`;
  if (action === "show") return { action, id, json: values.json === true };
  if (action === "cancel") return { action, id, ...(typeof values.reason === "string" ? { reason: values.reason } : {}) };
  return { action: "retry", id };
}

function parseListOptions(values: Record<string, string | boolean | undefined>): Parsed | string {
  const text = (name: string) => (typeof values[name] === "string" ? values[name] : undefined);
  const stateNames = text("state")?.split(",").map((s) => s.trim());
  const states = stateNames?.filter(isState);
  const badState = stateNames?.find((s) => !isState(s));
  if (badState !== undefined) return `--state ${JSON.stringify(badState)} is not a state: use ${jobStates.join(", ")}`;
  const kindName = text("kind");
  const kind = jobKinds.find((k) => k === kindName);
  if (kindName !== undefined && !kind) return `--kind ${JSON.stringify(kindName)} is not a kind: use ${jobKinds.join(", ")}`;
  const repo = text("repo");
  const [owner, name, ...rest] = repo?.split("/") ?? [];
  if (repo !== undefined && (!owner || !name || rest.length)) return `--repo needs OWNER/NAME, got ${JSON.stringify(repo)}`;
  const pr = text("pr");
  if (pr !== undefined && !/^[1-9]\d*$/.test(pr)) return `--pr needs a pull request number, got ${JSON.stringify(pr)}`;
  const limit = text("limit") ?? "50";
  if (!/^[1-9]\d*$/.test(limit)) return `--limit needs a positive whole number, got ${JSON.stringify(limit)}`;
  const filter: JobFilter = {
    ...(states ? { state: states } : {}),
    ...(kind ? { kind } : {}),
    ...(owner && name ? { repo: { owner, name } } : {}),
  };
  return { action: "list", filter, ...(pr ? { pr: Number(pr) } : {}), limit: Number(limit), json: values.json === true };
}

function isState(name: string): name is JobState {
  return jobStates.some((s) => s === name);
}
