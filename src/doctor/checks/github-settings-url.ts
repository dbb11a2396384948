import type { AppInfo } from "../doctor-context.js";

/** The App's settings page (`/permissions`, `/advanced`...) on its GitHub (github.com or an Enterprise Server). */
export function appSettingsUrl(app: AppInfo, page = ""): string {
  const origin = new URL(app.htmlUrl).origin;
  const base = app.owner.type === "Organization" ? `${origin}/organizations/${app.owner.login}/settings/apps/${app.slug}` : `${origin}/settings/apps/${app.slug}`;
  return page ? `${base}/${page}` : base;
}

/** "the App's credentials are not set" as a reason to skip a GitHub check. */
export const NO_APP_CREDENTIALS = "Needs the App's credentials (APP_ID and PRIVATE_KEY; see the server settings check).";
