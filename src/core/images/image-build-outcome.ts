import { z } from "zod";

/** What building and pushing one image came to: stored in a build job's result, rendered by the build report. */
export const imageBuildOutcomeSchema = z.discriminatedUnion("ok", [
  z.object({
    name: z.string(),
    ok: z.literal(true),
    tags: z.array(z.string()).readonly(),
    digest: z.string(),
    sizeBytes: z.number().nonnegative(),
    durationMs: z.number().nonnegative(),
  }),
  z.object({
    name: z.string(),
    ok: z.literal(false),
    tags: z.array(z.string()).readonly(),
    durationMs: z.number().nonnegative(),
    failedStep: z.string().optional(),
    error: z.string(),
    logTail: z.array(z.string()).readonly(),
  }),
]);

export type ImageBuildOutcome = z.output<typeof imageBuildOutcomeSchema>;
