import { z } from "zod";
import type { TypedOverride } from "./validate-overrides.js";

const paramTypes = ["string", "int", "float", "bool", "null", "list", "date"] as const;

/** A checked override as a job stores it (see `validateOverrides`); parsed back when the job is read. */
export const typedOverrideSchema = z.object({
  file: z.string().min(1),
  key: z.string().min(1),
  path: z.array(z.string()).min(1).readonly(),
  type: z.enum(paramTypes),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
  literal: z.string(),
}) satisfies z.ZodType<TypedOverride>;
