import { createHmac, timingSafeEqual } from "node:crypto";
import { failed, passed, skipped, warned } from "../../core/doctor/check-outcome.js";
import type { DoctorCheck } from "../doctor-check.js";
import type { AppInfo, DoctorContext } from "../doctor-context.js";
import { appSettingsUrl, NO_APP_CREDENTIALS } from "./github-settings-url.js";

const TRIED =
  "Read the App's webhook settings and its recent deliveries (`GET /app/hook/config`, `GET /app/hook/deliveries`), and checked the newest delivery's signature with WEBHOOK_SECRET.";

interface Delivery {
  id: number;
  status_code: number;
  status: string;
  event: string;
  delivered_at: string;
}

/**
 * Webhooks reach the bot: the App sends them to the bot's URL, GitHub's recent deliveries
 * succeeded, and the newest one was signed with the bot's WEBHOOK_SECRET (recomputed from the
 * delivery GitHub shows; a delivery the bot refused as unsigned or badly signed names the secret).
 */
export const webhookCheck: DoctorCheck = {
  id: "github-webhooks",
  title: "Webhook deliveries",
  async run(ctx) {
    if (!ctx.github) return skipped(TRIED, NO_APP_CREDENTIALS);
    const octokit = await ctx.github.app();
    const app = await ctx.facts.app();
    const problems: Array<{ found: string; fix: string; fatal: boolean }> = [];
    const config = (await octokit.request("GET /app/hook/config")).data;
    const expected = expectedUrl(ctx);
    if (expected && config.url !== expected) {
      problems.push({ fatal: true, found: `The App sends webhooks to ${config.url ?? "nowhere"}, but the bot listens at ${expected}.`, fix: `Set the webhook URL to ${expected} at ${appSettingsUrl(app)}.` });
    }
    const deliveries = (await octokit.request("GET /app/hook/deliveries", { per_page: 50 })).data as Delivery[];
    const newest = deliveries[0];
    if (!newest) {
      return warned(TRIED, [...problems.map((p) => p.found), "GitHub lists no recent deliveries: nothing has happened on the installed repositories lately, or the App is subscribed to nothing."].join("\n"), "Comment `/help` on a pull request to make a delivery, then run the doctor again.");
    }
    problems.push(...(await signatureProblems(ctx, octokit, app, newest)));
    const failures = deliveries.filter((d) => !(d.status_code >= 200 && d.status_code < 300));
    if (failures.length && !problems.some((p) => p.found.includes("WEBHOOK_SECRET"))) {
      const codes = [...new Set(failures.map((d) => (d.status_code ? String(d.status_code) : d.status)))].join(", ");
      const recent = failures.includes(newest);
      problems.push({
        fatal: recent,
        found: `${failures.length} of the last ${deliveries.length} deliveries failed (${codes})${recent ? ", the newest among them" : ""}.`,
        fix: `Look for the failed deliveries in the bot's logs (delivery id = the X-GitHub-Delivery header) and redeliver them from ${appSettingsUrl(app, "advanced")}.`,
      });
    }
    const summary = `${deliveries.length} recent deliveries, the newest ${newest.event} at ${newest.delivered_at} answered ${newest.status_code}.`;
    if (!problems.length) return passed(TRIED, `${summary} Its signature matches WEBHOOK_SECRET or the bot accepted it.`);
    const found = [summary, ...problems.map((p) => p.found)].join("\n");
    const fix = problems.map((p) => p.fix).join("\n");
    return problems.some((p) => p.fatal) ? failed(TRIED, found, fix) : warned(TRIED, found, fix);
  },
};

/** The bot's webhook URL, when it says where it is (MLOPS_PUBLIC_URL) and no proxy channel stands between. */
function expectedUrl(ctx: DoctorContext): string | undefined {
  const base = ctx.server?.publicUrl;
  if (!base || ctx.env.WEBHOOK_PROXY_URL) return undefined;
  return `${base}${ctx.env.WEBHOOK_PATH ?? "/api/github/webhooks"}`;
}

async function signatureProblems(ctx: DoctorContext, octokit: Awaited<ReturnType<NonNullable<DoctorContext["github"]>["app"]>>, app: AppInfo, newest: Delivery) {
  const { data } = await octokit.request("GET /app/hook/deliveries/{delivery_id}", { delivery_id: newest.id });
  const headers = Object.fromEntries(Object.entries(data.request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const signature = headers["x-hub-signature-256"];
  const secret = ctx.env.WEBHOOK_SECRET ?? "";
  const refused = newest.status_code === 400 || newest.status_code === 401 || newest.status_code === 403;
  const fixSecret = `Give the App and the bot the same secret: set "Webhook secret" at ${appSettingsUrl(app)} to the bot's WEBHOOK_SECRET (or the other way round: on Cloud Run, add a version to the webhook secret in Secret Manager and deploy a new revision), then redeliver the refused deliveries from ${appSettingsUrl(app, "advanced")}.`;
  if (!signature) {
    return [{ fatal: true, found: "GitHub signs its deliveries with no secret: the App has no webhook secret, so the bot refuses them all.", fix: fixSecret }];
  }
  if (matches(secret, JSON.stringify(data.request.payload), signature)) return [];
  // The payload GitHub shows is re-serialized, so a mismatch alone proves nothing; a delivery the bot refused does.
  if (!refused) return [];
  return [{ fatal: true, found: `The newest delivery (${newest.event}) was refused with ${newest.status_code}, and its signature does not match WEBHOOK_SECRET: the App signs with another secret.`, fix: fixSecret }];
}

function matches(secret: string, body: string, signature: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
