import path from "node:path";
import { z } from "zod";
import { permissionLevels } from "../core/permissions/permission-level.js";

/** The repository's `.github/mlops-bot.yml`. Every key has a default; this schema is the truth. */
export const REPO_CONFIG_PATH = ".github/mlops-bot.yml";

const repoPath = z
  .string()
  .min(1)
  .refine((p) => !path.posix.isAbsolute(p) && !p.split(/[\\/]/).includes(".."), {
    message: 'must be a path inside the repository (relative, without "..")',
  });

const durationPattern = /^(\d+)\s*(s|m|h)$/;
/** `90s`, `30m`, `2h`, or a number of seconds; becomes seconds. */
const duration = z
  .union([z.number().int().positive(), z.string().regex(durationPattern, 'must be a duration like "90s", "30m" or "2h"')])
  .transform((v) => {
    if (typeof v === "number") return v;
    const [, n, unit] = durationPattern.exec(v) ?? [];
    return Number(n) * (unit === "h" ? 3600 : unit === "m" ? 60 : 1);
  });

const permission = z.enum(permissionLevels.filter((p) => p !== "none") as ["read", "triage", "write", "maintain", "admin"]);

const gate = z
  .object({
    min: z.number().optional(),
    max: z.number().optional(),
    max_drop: z.number().nonnegative().optional(),
    max_rise: z.number().nonnegative().optional(),
  })
  .strict();

const image = z
  .object({
    dockerfile: repoPath,
    context: repoPath.default("."),
    build_args: z.record(z.string(), z.string()).default({}),
  })
  .strict();

export const repoConfigSchema = z
  .object({
    pipeline: z
      .object({
        workdir: repoPath.default("ml"),
        train: z.array(z.string().min(1)).min(1).default(["dvc", "repro"]),
        params: z.array(repoPath).default(["params.yaml"]),
        metrics: z.array(repoPath).default(["metrics.json"]),
        plots: z.array(repoPath).default(["plots/"]),
        timeout: duration.default(30 * 60),
        /** Names of extra environment variables passed to jobs (the rest of the bot's env never is). */
        env: z.array(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "must be an environment variable name")).default([]),
        log_limit_mb: z.number().positive().max(1024).default(20),
        /** Image for `runner: docker` / `cloud-run`; default: the training image built from the head commit. */
        image: z.string().regex(/^[a-z0-9][\w./:@-]*$/, "must be an image reference like registry/name:tag").optional(),
        /** The model file the pipeline writes (in `workdir`): collected after a successful run, what a promotion serves. */
        model: repoPath
          .refine((p) => p.endsWith(".onnx"), { message: "must be the ONNX file the inference server loads, like models/model.onnx" })
          .default("models/model.onnx"),
      })
      .strict()
      .prefault({}),
    runner: z.enum(["local", "docker", "cloud-run"]).default("local"),
    /** How the job is isolated: the sandbox (local), the container (docker) may reach the network unless this is false. */
    sandbox: z
      .object({ network: z.boolean().default(true) })
      .strict()
      .prefault({}),
    gates: z.record(z.string(), gate).default({}),
    report: z
      .object({ precision: z.number().int().min(0).max(12).default(5) })
      .strict()
      .prefault({}),
    permissions: z
      .object({
        train: permission.default("write"),
        cancel: permission.default("write"),
        diff: permission.default("write"),
        build: permission.default("maintain"),
        "ok-to-train": permission.default("maintain"), // a maintainer approves a fork's commit (security model)
        deploy: permission.default("maintain"),
        help: permission.default("read"),
        doctor: permission.default("maintain"),
      })
      .strict()
      .prefault({}),
    forks: z.enum(["deny", "approve-per-sha"]).default("approve-per-sha"),
    images: z
      .record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "image names are lower-case letters, digits, '.', '_' or '-'"), image)
      .default({
        training: { dockerfile: "docker/training/Dockerfile", context: ".", build_args: {} },
        inference: { dockerfile: "docker/inference/Dockerfile", context: ".", build_args: {} },
      }),
    /** Where /build pushes: `host[:port]/path`, e.g. `europe-docker.pkg.dev/my-project/ml`. */
    registry: z
      .string()
      .regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/, "must be a registry and path like europe-docker.pkg.dev/my-project/ml")
      .optional(),
    build_on_push: z.boolean().default(false),
    /** Train every push to the default branch: fills the default branch's shared DVC cache layer that pull requests restore from. */
    train_on_push: z.boolean().default(false),
    /** Promotion: serve the model of a merged PR's last /train when its gates passed (where the bot's operator set up a service). */
    deploy: z
      .object({ on_merge: z.boolean().default(false) })
      .strict()
      .prefault({}),
    data: z
      .object({ on_pull_request: z.boolean().default(true) })
      .strict()
      .prefault({}),
    backlog: z
      .object({
        label: z.string().min(1).default("backlog"),
        detect: z.enum(["label", "content"]).default("label"),
        close_when_done: z.boolean().default(true),
        reopen_when_unticked: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type RepoConfig = z.output<typeof repoConfigSchema>;
export type Gate = z.output<typeof gate>;
