import { z } from "zod";

/**
 * What one run occupied, as its runner knows it: how long, on which runner, with how many vCPUs,
 * how much memory and which GPUs. `basis` says where the sizes come from: the limits the run was
 * given (a container's `--cpus`, a Cloud Run task's resources), or the whole host (the local
 * runner sets none, so a run may use the machine).
 */
export const runResourcesSchema = z.object({
  runner: z.string().min(1),
  wallMs: z.number().nonnegative(),
  vcpu: z.number().nonnegative(),
  memoryGiB: z.number().nonnegative(),
  gpu: z.object({ type: z.string().min(1), count: z.number().int().positive() }).nullable(),
  basis: z.enum(["limits", "host"]),
});
export type RunResources = z.output<typeof runResourcesSchema>;

/** The sizes a runner reports; the run adds its runner's name and wall time. */
export type RunnerResources = Omit<RunResources, "runner" | "wallMs">;

/**
 * A run's estimated cost at the prices of the day it ran (kept with the run, so a later price
 * change does not rewrite history). `unpriced` names what the price table had no price for.
 */
export const runCostSchema = z.object({
  amount: z.number().nonnegative(),
  currency: z.string().min(1),
  unpriced: z.array(z.string()).readonly().optional(),
});
export type RunCost = z.output<typeof runCostSchema>;
