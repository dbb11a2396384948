import { z } from "zod";

/** A `deploy` job (a promotion): its stored input and result, and its identity on GitHub. */
export const DEPLOY_CHECK = "mlops-bot/deploy";

/** The training run whose model is promoted, as it was when the promotion was asked for. */
const promotedRunSchema = z.object({
  /** The train job that produced the model. */
  jobId: z.string().min(1),
  /** The model file in the artifact store, its repository path, size and SHA-256 (checked again before upload). */
  modelKey: z.string().min(1),
  modelPath: z.string().min(1),
  modelBytes: z.number().int().positive(),
  modelSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The run's metrics as the report parsed them (file, dotted key, value), shown in the check run and kept as lineage. */
  metrics: z.array(z.object({ file: z.string(), key: z.string(), value: z.union([z.number(), z.string(), z.boolean(), z.null()]) })).readonly(),
  /** One line per gate, as the train check showed it (all passed). */
  gates: z.array(z.string()).readonly(),
  mlflowRunUrl: z.string().optional(),
});
export type PromotedRun = z.output<typeof promotedRunSchema>;

/** What a deploy job carries: the run to promote and why (a merge, or `/deploy` from a maintainer). */
export const deployInputSchema = z.object({
  run: promotedRunSchema,
  trigger: z.enum(["merge", "comment"]),
  /** The merge commit, for a promotion on merge. */
  mergeSha: z.string().nullable(),
});
export type DeployInput = z.output<typeof deployInputSchema>;

/** What a promotion did: where the model went and which revision serves it. */
export const deployResultSchema = z.object({
  service: z.string(),
  /** gs:// URI of the uploaded model, and of the lineage record beside it. */
  modelUri: z.string().nullable(),
  lineageUri: z.string().nullable(),
  /** The revision made for this model (null when none was made), and the one that served before. */
  revision: z.string().nullable(),
  previousRevision: z.string().nullable(),
  /** The service's URL, when Cloud Run said it. */
  url: z.string().nullable(),
  /** Why the rollout did not finish (the revision did not become ready, the API refused). */
  error: z.string().optional(),
});
export type DeployResult = z.output<typeof deployResultSchema>;

/** One repository's promotions supersede each other: the newest one wins. */
export function deployGroup(repo: { owner: string; name: string }): string {
  return `${repo.owner}/${repo.name}:deploy`;
}
