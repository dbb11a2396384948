import path from "node:path";
import { z } from "zod";
import type { Problem } from "../core/problem.js";
import { err, ok, type Result } from "../core/result.js";
import { countUsableCores } from "../host/count-usable-cores.js";

/** The inference server's settings. */
export interface ServeConfig {
  /** Absolute path of the ONNX model. */
  readonly modelPath: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Most instances in one request, and most rows in one onnxruntime run. */
  readonly maxBatch: number;
  /** Larger request bodies are refused with 413 without reading them. */
  readonly maxBodyBytes: number;
  /** Processes that serve (each with its own onnxruntime session) on the one port; 1 serves from this process alone. */
  readonly workers: number;
  /** onnxruntime intra-op threads of each session. */
  readonly intraOpThreads: number;
  /** After SIGTERM: how long in-flight requests may take before connections are cut. */
  readonly shutdownTimeoutMs: number;
  readonly logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
}

const whole = (example: string, min: number, max: number) =>
  z.coerce
    .number({ message: `must be a whole number, like ${example}` })
    .int(`must be a whole number, like ${example}`)
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** Each setting, with its environment variable and its command-line flag. */
const settings = {
  modelPath: { env: "MODEL_PATH", flag: "--model", schema: z.string().min(1).default("ml/models/model.onnx") },
  host: { env: "SERVE_HOST", flag: "--host", schema: z.string().min(1).default("127.0.0.1") },
  port: { env: "SERVE_PORT", flag: "--port", schema: whole("8080", 0, 65535).default(8080) },
  maxBatch: { env: "SERVE_MAX_BATCH", flag: "--max-batch", schema: whole("1000", 1, 100_000).default(1000) },
  maxBodyBytes: { env: "SERVE_MAX_BODY_BYTES", flag: "--max-body-bytes", schema: whole("1048576", 64, 1 << 30).default(1 << 20) },
  workers: { env: "SERVE_WORKERS", flag: "--workers", schema: whole("2", 1, 256).default(countUsableCores()) },
  intraOpThreads: { env: "SERVE_INTRA_OP_THREADS", flag: "--threads", schema: whole("1", 1, 256).default(1) },
  shutdownTimeoutMs: { env: "SERVE_SHUTDOWN_TIMEOUT_MS", flag: "--shutdown-timeout-ms", schema: whole("10000", 0, 3_600_000).default(10_000) },
  logLevel: { env: "LOG_LEVEL", flag: "--log-level", schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info") },
} as const;

export type ServeSetting = keyof typeof settings;

/** The command-line flag of each setting (`--port` ...), for the CLI's argument parser. */
export const serveFlags: ReadonlyMap<string, ServeSetting> = new Map(Object.entries(settings).map(([key, s]) => [s.flag, key as ServeSetting]));

/**
 * Reads the settings from the environment, with command-line values (by setting) taking
 * precedence. `PORT` (as Cloud Run sets it) is read when `SERVE_PORT` is not set. Blank
 * variables count as unset. Problems name the variable or flag and the value that was given.
 */
export function parseServeConfig(params: { env: Readonly<Record<string, string | undefined>>; cwd: string; flags?: Partial<Record<ServeSetting, string>> }): Result<ServeConfig, Problem[]> {
  const { env, cwd, flags = {} } = params;
  const problems: Problem[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(settings) as [ServeSetting, (typeof settings)[ServeSetting]][]) {
    const fromFlag = flags[key];
    const envName = key === "port" && blank(env.SERVE_PORT) && !blank(env.PORT) ? "PORT" : setting.env;
    const raw = fromFlag ?? (blank(env[envName]) ? undefined : env[envName]!.trim());
    const source = fromFlag !== undefined ? setting.flag : `environment variable ${envName}`;
    const parsed = (setting.schema as z.ZodType).safeParse(raw);
    if (parsed.success) values[key] = parsed.data;
    else problems.push({ file: source, message: `${parsed.error.issues[0]?.message ?? "is invalid"} (got "${raw}")` });
  }
  if (problems.length > 0) return err(problems);
  const v = values as Omit<ServeConfig, "modelPath"> & { modelPath: string };
  return ok({ ...v, modelPath: path.resolve(cwd, v.modelPath) });
}

function blank(value: string | undefined): boolean {
  return value === undefined || value.trim() === "";
}
