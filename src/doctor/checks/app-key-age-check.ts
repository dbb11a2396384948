import { passed, skipped, warned } from "../../core/doctor/check-outcome.js";
import type { DoctorCheck } from "../doctor-check.js";
import { googleErrorMessage } from "../google-api.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The GitHub App's private key (its newest version in Secret Manager) is younger than MLOPS_APP_KEY_MAX_AGE_DAYS. */
export const appKeyAgeCheck: DoctorCheck = {
  id: "app-key-age",
  title: "GitHub App private key age",
  async run(ctx) {
    const secret = ctx.doctor?.appKeySecret;
    const tried = `Read when the newest version of the App's private key${secret ? ` (${secret})` : ""} was added to Secret Manager.`;
    if (!secret) return skipped(tried, "MLOPS_APP_KEY_SECRET is not set (the private key's secret, e.g. projects/my-project/secrets/mlops-bot-private-key).");
    const answer = await ctx.google.call("GET", `https://secretmanager.googleapis.com/v1/${secret}/versions/latest`);
    if (answer.status !== 200) {
      return warned(tried, `Secret Manager answered ${googleErrorMessage(answer)}.`, `Grant the bot's service account roles/secretmanager.viewer on ${secret} (it reads the version's metadata, not its value), and check the name.`);
    }
    const created = Date.parse((answer.body as { createTime?: string } | undefined)?.createTime ?? "");
    if (Number.isNaN(created)) return warned(tried, "The version has no creation time.", "Check the secret in the console.");
    const maxDays = ctx.doctor.appKeyMaxAgeDays;
    const days = Math.floor((Date.now() - created) / DAY_MS);
    const found = `The key in use was added ${days} day(s) ago (${new Date(created).toISOString().slice(0, 10)}); the limit is ${maxDays} (MLOPS_APP_KEY_MAX_AGE_DAYS).`;
    if (days <= maxDays) return passed(tried, found);
    return warned(tried, found, "Rotate it: generate a new private key in the App's settings, add it as a new version of the secret, deploy a new revision, then delete the old key on GitHub (docs/operations.md#rotating-the-github-apps-private-key).");
  },
};
