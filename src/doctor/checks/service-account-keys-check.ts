import { failed, passed, skipped, type CheckOutcome } from "../../core/doctor/check-outcome.js";
import type { DoctorCheck } from "../doctor-check.js";
import type { DoctorContext } from "../doctor-context.js";
import { googleErrorMessage } from "../google-api.js";

interface Key {
  name: string;
  validAfterTime?: string;
}

/**
 * No user-managed keys on the bot's or the training job's service accounts: the platform signs
 * in with workload identity and impersonation, so a key file is only ever a leak waiting to happen.
 */
export const serviceAccountKeysCheck: DoctorCheck = {
  id: "service-account-keys",
  title: "Service account keys",
  async run(ctx) {
    const tried = "Listed the user-managed keys of the bot's and the training job's service accounts (IAM API).";
    const accounts = await accountsOf(ctx);
    if (!accounts.length) return skipped(tried, "No service account to check: not on Google Cloud (set MLOPS_BOT_SERVICE_ACCOUNT to check the bot's from elsewhere).");
    const found: string[] = [];
    const withKeys: Array<{ account: string; keys: Key[] }> = [];
    for (const { role, account } of accounts) {
      const url = `https://iam.googleapis.com/v1/projects/-/serviceAccounts/${encodeURIComponent(account)}/keys?keyTypes=USER_MANAGED`;
      const answer = await ctx.google.call("GET", url);
      if (answer.status !== 200) {
        return failed(tried, `Listing the keys of ${account} answered ${googleErrorMessage(answer)}.`, `Grant the bot's service account roles/iam.serviceAccountViewer on ${account}, so it can see its keys (infra/modules/iam).`);
      }
      const keys = (answer.body as { keys?: Key[] } | undefined)?.keys ?? [];
      if (keys.length) withKeys.push({ account, keys });
      found.push(`${role} ${account}: ${keys.length ? `${keys.length} user-managed key(s)` : "no user-managed keys"}`);
    }
    if (withKeys.length) return keysFound(tried, found, withKeys);
    return passed(tried, found.join("\n"));
  },
};

async function accountsOf(ctx: DoctorContext): Promise<Array<{ role: string; account: string }>> {
  const out: Array<{ role: string; account: string }> = [];
  const bot = ctx.doctor?.botServiceAccount ?? (await ctx.google.serviceAccountEmail());
  if (bot) out.push({ role: "bot", account: bot });
  const job = await ctx.facts.cloudRunJob().catch(() => undefined);
  const training = job?.template?.template?.serviceAccount;
  if (training) out.push({ role: "training", account: training });
  return out;
}

function keysFound(tried: string, found: string[], withKeys: Array<{ account: string; keys: Key[] }>): CheckOutcome {
  const commands = withKeys.flatMap(({ account, keys }) =>
    keys.map((k) => `\`gcloud iam service-accounts keys delete ${k.name.split("/").at(-1)} --iam-account ${account}\`${k.validAfterTime ? ` (created ${k.validAfterTime.slice(0, 10)})` : ""}`),
  );
  return failed(
    tried,
    found.join("\n"),
    `Nothing of the platform uses these keys (the bot and the jobs sign in with workload identity; GitHub Actions with Workload Identity Federation): delete them, after finding who uses one in the Cloud Audit logs: ${commands.join("; ")}. Then forbid new ones with the organization policy iam.disableServiceAccountKeyCreation (docs/operations.md#keys).`,
  );
}
