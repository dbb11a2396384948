import { z } from "zod";
import type { Problem } from "../problem.js";
import { jobKindSpecs } from "./job-kinds.js";
import { jobKinds, jobStates, type StoredJob, type UnreadableJob } from "./job.js";

const nullableText = z.string().nullable();
const nullableInt = z.number().int().nullable();

const fields = {
  id: z.string().min(1),
  key: z.string().min(1),
  group: nullableText,
  state: z.enum(jobStates),
  repo: z.object({ owner: z.string().min(1), name: z.string().min(1), installationId: z.number().int() }),
  pr: nullableInt,
  headSha: z.string(),
  headRef: nullableText,
  baseRef: nullableText,
  baseSha: nullableText,
  requestedBy: z.string(),
  commentId: nullableInt,
  checkRunId: nullableInt,
  reason: nullableText,
  cancelRequested: z.boolean(),
  reported: z.boolean(),
  worker: nullableText,
  leaseExpiresAt: z.number().nullable().optional(),
  claim: z.string().nullable().optional(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
};

/** The envelope of a stored job, strictly: a job is readable only if every field is right. */
const envelopeSchema = z.object({ ...fields, kind: z.enum(jobKinds) });

/**
 * The envelope of a damaged record, as far as it can be read: a field that does not parse
 * becomes a neutral value (an unreadable state reads as `failed`, so the job is never run and
 * its end is reported with the problem).
 */
const lenientSchema = z.object({
  key: fields.key.catch("unreadable"),
  group: fields.group.catch(null),
  state: fields.state.catch("failed"),
  repo: fields.repo.catch({ owner: "unknown", name: "unknown", installationId: 0 }),
  pr: fields.pr.catch(null),
  headSha: fields.headSha.catch(""),
  headRef: fields.headRef.catch(null),
  baseRef: fields.baseRef.catch(null),
  baseSha: fields.baseSha.catch(null),
  requestedBy: fields.requestedBy.catch("unknown"),
  commentId: fields.commentId.catch(null),
  checkRunId: fields.checkRunId.catch(null),
  reason: fields.reason.catch(null),
  cancelRequested: fields.cancelRequested.catch(false),
  reported: fields.reported.catch(false),
  worker: fields.worker.catch(null),
  leaseExpiresAt: fields.leaseExpiresAt.catch(null),
  claim: fields.claim.catch(null),
  createdAt: fields.createdAt.catch(0),
  startedAt: fields.startedAt.catch(null),
  finishedAt: fields.finishedAt.catch(null),
  kind: z.enum(jobKinds).nullable().catch(null),
});

/**
 * A job record read back from storage (a SQLite row, a Cloud Storage object) -> the typed job of
 * its kind, or an `UnreadableJob` that says what is wrong and where. Never throws: a damaged
 * record must not stop the worker, and must not be run on a guess.
 *
 * `record` holds the decoded fields (with `input` and `result` as JSON values); `damaged` says
 * what could not even be decoded (e.g. a column that is not JSON).
 */
export function parseStoredJob(params: {
  id: string;
  record: unknown;
  where: string;
  damaged?: { readonly what: UnreadableJob["damage"]; readonly message: string } | undefined;
}): StoredJob {
  const { id, where } = params;
  const raw: Record<string, unknown> = isObject(params.record) ? params.record : {};
  const unreadable = (problem: Problem, damage: UnreadableJob["damage"] = problem.path?.split(".")[0] === "result" ? "result" : "input"): StoredJob => ({
    ...lenientSchema.parse(raw),
    id,
    input: raw.input ?? null,
    result: raw.result ?? null,
    problem,
    damage,
  });
  if (params.damaged) return unreadable({ file: where, message: params.damaged.message }, params.damaged.what);
  if (!isObject(params.record)) return unreadable({ file: where, message: "the job record is not a JSON object" }, "record");

  const envelope = envelopeSchema.safeParse({ ...raw, id });
  if (!envelope.success) return unreadable(toProblem(where, envelope.error), "record");
  const job = envelope.data;
  switch (job.kind) {
    case "train": {
      const parts = parseParts(jobKindSpecs.train, raw, where);
      return parts.ok ? { ...job, kind: "train", input: parts.input, result: parts.result } : unreadable(parts.problem);
    }
    case "diff": {
      const parts = parseParts(jobKindSpecs.diff, raw, where);
      return parts.ok ? { ...job, kind: "diff", input: parts.input, result: parts.result } : unreadable(parts.problem);
    }
    case "build": {
      const parts = parseParts(jobKindSpecs.build, raw, where);
      return parts.ok ? { ...job, kind: "build", input: parts.input, result: parts.result } : unreadable(parts.problem);
    }
    case "deploy": {
      const parts = parseParts(jobKindSpecs.deploy, raw, where);
      return parts.ok ? { ...job, kind: "deploy", input: parts.input, result: parts.result } : unreadable(parts.problem);
    }
  }
}

/** A kind's input and result, parsed with that kind's schemas (a missing result is null: the job has not ended). */
function parseParts<I, R>(
  spec: { readonly input: z.ZodType<I>; readonly result: z.ZodType<R> },
  raw: Record<string, unknown>,
  where: string,
): { ok: true; input: I; result: R | null } | { ok: false; problem: Problem } {
  const input = spec.input.safeParse(raw.input);
  if (!input.success) return { ok: false, problem: toProblem(where, input.error, "input") };
  if (raw.result === null || raw.result === undefined) return { ok: true, input: input.data, result: null };
  const result = spec.result.safeParse(raw.result);
  if (!result.success) return { ok: false, problem: toProblem(where, result.error, "result") };
  return { ok: true, input: input.data, result: result.data };
}

function toProblem(where: string, error: z.ZodError, field?: string): Problem {
  const [first] = error.issues;
  const path = [field, ...(first?.path ?? [])].filter((p) => p !== undefined).map(String).join(".");
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? "s" : ""})` : "";
  return {
    file: where,
    message: `the stored job does not match its schema: ${first?.message ?? "invalid"}${more}`,
    path: path || undefined,
    hint: "The job was not run; queue it again (Train again, /diff, /build or /deploy).",
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
