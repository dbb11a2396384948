import { parse } from "yaml";
import { z } from "zod";
import type { Problem } from "../problem.js";
import { err, ok, type Result } from "../result.js";

/** What the App must be allowed and subscribed to: `default_permissions` and `default_events` of `app.yml`. */
export interface AppRequirements {
  readonly permissions: Readonly<Record<string, string>>;
  readonly events: readonly string[];
}

const manifestSchema = z.object({
  default_permissions: z.record(z.string(), z.enum(["read", "write", "admin"])).default({}),
  default_events: z.array(z.string()).default([]),
});

/** `app.yml` text -> the permissions and events it asks for, or what is wrong with the file. */
export function parseAppManifest(text: string, file = "app.yml"): Result<AppRequirements, Problem[]> {
  let raw: unknown;
  try {
    raw = parse(text, { maxAliasCount: 0 });
  } catch (e) {
    return err([{ file, message: `invalid YAML: ${(e as Error).message.split("\n")[0]}` }]);
  }
  const parsed = manifestSchema.safeParse(raw ?? {});
  if (!parsed.success) return err(parsed.error.issues.map((i) => ({ file, path: i.path.join("."), message: i.message })));
  return ok({ permissions: parsed.data.default_permissions, events: parsed.data.default_events });
}

const LEVELS = ["read", "write", "admin"];

/** What the App (or an installation) lacks of the requirements: permissions below the level asked for, events not subscribed. */
export function findMissingGrants(required: AppRequirements, granted: { permissions: Readonly<Record<string, string | undefined>>; events: readonly string[] }): {
  permissions: Array<{ name: string; wanted: string; has: string }>;
  events: string[];
} {
  const permissions = Object.entries(required.permissions)
    .filter(([name, wanted]) => LEVELS.indexOf(granted.permissions[name] ?? "none") < LEVELS.indexOf(wanted))
    .map(([name, wanted]) => ({ name, wanted, has: granted.permissions[name] ?? "none" }));
  const events = required.events.filter((e) => !granted.events.includes(e));
  return { permissions, events };
}
