import type { z } from "zod";
import { ConfigError } from "../core/errors.js";

/**
 * Parses the variables a zod object names from the environment (blank reads as unset); a bad value
 * is a `ConfigError` naming the variable, quoting the value unless the name says it is a secret.
 */
export function readEnvSection<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const values = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, env[k]?.trim() === "" ? undefined : env[k]]));
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return { file: `environment variable ${name}`, message: /PASSWORD|SECRET|TOKEN|KEY/.test(name) ? issue.message : `${issue.message} (got "${String(env[name])}")` };
    }),
  );
}
