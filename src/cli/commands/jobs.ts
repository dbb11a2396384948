import { jobKinds, jobStates, type JobState } from "../../core/jobs/job.js";
import { err, ok, type Result } from "../../core/result.js";
import type { JobFilter } from "../../ports/job-store.js";
import { defineCommand } from "../define-command.js";
import type { ParsedArgs } from "../parse-cli-args.js";

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

export type Parsed = { action: "list"; filter: JobFilter; pr?: number; limit: number; json: boolean } | { action: "show"; id: string; json: boolean } | { action: "cancel"; id: string; reason?: string } | { action: "retry"; id: string };

const options = {
  state: { type: "string" },
  kind: { type: "string" },
  repo: { type: "string" },
  pr: { type: "string" },
  limit: { type: "string" },
  json: { type: "boolean" },
  reason: { type: "string" },
} as const;

/** `mlops-bot jobs list|show|cancel|retry`: operations on the job queue, over any job store. */
export const jobsCommand = defineCommand({
  name: "jobs",
  summary: "List, show, cancel or retry the bot's jobs (any job store: SQLite, PostgreSQL, Cloud Storage)",
  usage: USAGE,
  options,
  valueNames: { state: "states (S,S)", kind: "a kind", repo: "OWNER/NAME", pr: "a pull request number", limit: "a number", reason: "a reason" },
  positionals: true,
  check: checkJobsArgs,
  load: async () => (await import("../jobs/run-jobs.js")).runJobs,
});

/** The action and its options, or what is wrong with them. */
function checkJobsArgs({ values, positionals }: ParsedArgs<typeof options>): Result<Parsed, string> {
  const [action, id, ...extra] = positionals;
  if (!action) return err("missing the action: list, show, cancel or retry");
  if (extra.length) return err(`unexpected ${JSON.stringify(extra[0])}`);
  const allowed: Record<string, readonly string[]> = { list: ["state", "kind", "repo", "pr", "limit", "json"], show: ["json"], cancel: ["reason"], retry: [] };
  const names = allowed[action];
  if (!names) return err(`unknown action ${JSON.stringify(action)}: use list, show, cancel or retry`);
  const stray = Object.keys(values).find((k) => !names.includes(k));
  if (stray) return err(`--${stray} does not go with ${action}`);
  if (action === "list") return id ? err(`list takes no ID (got ${JSON.stringify(id)}); use show`) : parseListOptions(values);
  if (!id) return err(`${action} needs the job's ID (see mlops-bot jobs list)`);
  if (action === "show") return ok({ action, id, json: values.json === true });
  if (action === "cancel") return ok({ action, id, ...(values.reason !== undefined ? { reason: values.reason } : {}) });
  return ok({ action: "retry", id });
}

function parseListOptions(values: Record<string, string | boolean | undefined>): Result<Parsed, string> {
  const text = (name: string) => (typeof values[name] === "string" ? values[name] : undefined);
  const stateNames = text("state")?.split(",").map((s) => s.trim());
  const states = stateNames?.filter(isState);
  const badState = stateNames?.find((s) => !isState(s));
  if (badState !== undefined) return err(`--state ${JSON.stringify(badState)} is not a state: use ${jobStates.join(", ")}`);
  const kindName = text("kind");
  const kind = jobKinds.find((k) => k === kindName);
  if (kindName !== undefined && !kind) return err(`--kind ${JSON.stringify(kindName)} is not a kind: use ${jobKinds.join(", ")}`);
  const repo = text("repo");
  const [owner, name, ...rest] = repo?.split("/") ?? [];
  if (repo !== undefined && (!owner || !name || rest.length)) return err(`--repo needs OWNER/NAME, got ${JSON.stringify(repo)}`);
  const pr = text("pr");
  if (pr !== undefined && !/^[1-9]\d*$/.test(pr)) return err(`--pr needs a pull request number, got ${JSON.stringify(pr)}`);
  const limit = text("limit") ?? "50";
  if (!/^[1-9]\d*$/.test(limit)) return err(`--limit needs a positive whole number, got ${JSON.stringify(limit)}`);
  const filter: JobFilter = {
    ...(states ? { state: states } : {}),
    ...(kind ? { kind } : {}),
    ...(owner && name ? { repo: { owner, name } } : {}),
  };
  return ok({ action: "list", filter, ...(pr ? { pr: Number(pr) } : {}), limit: Number(limit), json: values.json === true });
}

function isState(name: string): name is JobState {
  return jobStates.some((s) => s === name);
}
