/** GitHub repository roles, weakest first. Custom roles map to their base permission. */
export const permissionLevels = ["none", "read", "triage", "write", "maintain", "admin"] as const;
export type PermissionLevel = (typeof permissionLevels)[number];

/** True when `actual` is at least `required`. */
export function hasPermission(actual: PermissionLevel, required: PermissionLevel): boolean {
  return permissionLevels.indexOf(actual) >= permissionLevels.indexOf(required);
}

/**
 * The collaborator permission API answers `permission` (admin | write | read | none, the
 * legacy scale) and `role_name` (admin | maintain | write | triage | read, or a custom role's
 * name). Use the role when it is one we know, else the legacy permission.
 */
export function toPermissionLevel(answer: { permission?: string | null; role_name?: string | null }): PermissionLevel {
  const role = answer.role_name ?? "";
  if ((permissionLevels as readonly string[]).includes(role)) return role as PermissionLevel;
  const legacy = answer.permission ?? "none";
  return (permissionLevels as readonly string[]).includes(legacy) ? (legacy as PermissionLevel) : "none";
}
