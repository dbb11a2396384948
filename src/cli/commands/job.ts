import { err, ok } from "../../core/result.js";
import { defineCommand } from "../define-command.js";

const usage = `Usage: mlops-bot job --run URL --workdir DIR [--timeout SECONDS] [--log-limit BYTES] [--dvc-base URL [--dvc-own URL]] [--collect PATH ...] [--env NAME ...] -- COMMAND [ARG ...]

The entry point of the training image on Cloud Run (and anywhere a job runs away from the bot):
downloads the run's source tarball from URL/source.tar.gz, runs COMMAND (argv, no shell) in DIR,
and uploads its log as it runs, in numbered pieces URL/log/000001.txt, URL/log/000002.txt, ...
(every 2 seconds or 256 KiB; redacted; at most BYTES in all, default 20 MiB), then the collected
paths under URL/files/ and URL/completion.json (which says how many log pieces there are).
With --dvc-base, a plain "dvc repro" restores from that DVC cache layer ("dvc repro --pull"; the
default branch's), after the layer at --dvc-own (a pull request's own) is copied into the task's
cache; a run that succeeds pushes its run-cache ("dvc push --run-cache") to a folder that is
uploaded under URL/dvc/, for the bot to store in the layer the run may write.
URL is gs://bucket/prefix/runs/<id> (or file:///path for local use). The command's environment
is PATH, HOME and the variables named by --env; nothing else of this process's environment.
Links, absolute names and ".." in the tarball are not extracted; only regular files inside DIR
are collected. Exit code 0 once the completion record is written (the record says how the
pipeline ended).`;

export interface JobInput {
  readonly run: string;
  readonly workdir: string;
  readonly timeout: number;
  readonly logLimit: number;
  readonly collect: readonly string[];
  readonly envNames: readonly string[];
  readonly dvcBase?: string | undefined;
  readonly dvcOwn?: string | undefined;
  readonly argv: readonly string[];
}

/** `mlops-bot job`: the agent that runs one training job inside a Cloud Run task. */
export const jobCommand = defineCommand({
  name: "job",
  summary: "Run one training job from a run folder in cloud storage (the training image's entry point)",
  usage,
  options: {
    run: { type: "string" },
    workdir: { type: "string", default: "." },
    timeout: { type: "string", default: "1800" },
    "log-limit": { type: "string", default: String(20 * 1024 * 1024) },
    collect: { type: "string", multiple: true, default: [] },
    env: { type: "string", multiple: true, default: [] },
    "dvc-base": { type: "string" },
    "dvc-own": { type: "string" },
  },
  valueNames: { run: "the run's URL", workdir: "a folder", timeout: "a number of seconds", "log-limit": "a number of bytes", collect: "a path", env: "a variable name", "dvc-base": "a DVC remote URL", "dvc-own": "a cache layer URL" },
  rest: true,
  check({ values, rest }) {
    const timeout = Number(values.timeout);
    if (!values.run) return err("--run is required: the run folder's URL (gs://bucket/prefix/runs/<id> or file:///path)");
    if (!Number.isFinite(timeout) || timeout <= 0) return err(`--timeout needs a positive number of seconds, got ${JSON.stringify(values.timeout)}`);
    const logLimit = Number(values["log-limit"]);
    if (!Number.isInteger(logLimit) || logLimit <= 0) return err(`--log-limit needs a positive whole number of bytes, got ${JSON.stringify(values["log-limit"])}`);
    if (values["dvc-own"] && !values["dvc-base"]) return err("--dvc-own needs --dvc-base (the layer DVC restores from)");
    if (rest.length === 0) return err("the command to run goes after --, e.g. -- dvc repro");
    return ok<JobInput>({ run: values.run, workdir: values.workdir, timeout, logLimit, collect: values.collect, envNames: values.env, dvcBase: values["dvc-base"], dvcOwn: values["dvc-own"], argv: rest });
  },
  load: async () => (await import("../job/run-job.js")).runJob,
});
