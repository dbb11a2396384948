import { userInfo } from "node:os";
import { createJobStore } from "../../adapters/stores/create-job-store.js";
import { loadServerConfig } from "../../config/server-config.js";
import { BotError } from "../../core/errors.js";
import { cancelJob } from "../../jobs/cancel-job.js";
import { retryJob } from "../../jobs/retry-job.js";
import type { JobStore } from "../../ports/job-store.js";
import { renderJobDetails } from "../../report/jobs/render-job-details.js";
import { renderJobList, renderJson } from "../../report/jobs/render-job-list.js";
import { formatProblem } from "../../core/problem.js";
import type { CliIo } from "../cli-command.js";
import type { Parsed } from "../commands/jobs.js";

/** One action on the job store the environment names. */
export async function runJobs(parsed: Parsed, io: CliIo): Promise<number> {
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
}

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

