import { ServicesClient, type protos } from "@google-cloud/run";
import { findModelMount } from "../../adapters/deploy/cloud-run-model-deployer.js";
import { DEPLOY_SETTINGS_FIX, loadDeployConfig, type DeployConfig } from "../../config/deploy-config.js";
import { failed, passed, skipped, warned, type CheckOutcome } from "../../core/doctor/check-outcome.js";
import { ConfigError } from "../../core/errors.js";
import { formatGcsUrl } from "../../core/parse-gcs-url.js";
import type { DoctorCheck } from "../doctor-check.js";
import type { DoctorContext } from "../doctor-context.js";
import { googleErrorMessage } from "../google-api.js";

/** What a promotion does to the inference service: read it, update it (infra/modules/inference grants roles/run.developer). */
export const SERVICE_PERMISSIONS = ["run.services.get", "run.services.update"];
/** What it does in the models bucket: create the model and its lineage record (roles/storage.objectCreator). */
export const MODELS_PERMISSIONS = ["storage.objects.create"];

const SETTINGS_TRIED = "Read MLOPS_DEPLOY_SERVICE and MLOPS_DEPLOY_MODELS";
const GRANTS = "infra/ grants them with `inference_promoted_by_bot = true` (infra/modules/inference, deployer_members)";

/** What one probe found: a failure that ends the check, or what it saw and perhaps a warning. */
type Probe = { fail: CheckOutcome } | { found: string; warning?: { found: string; fix: string } };

/**
 * Promotions (`/deploy`, `deploy.on_merge`): when MLOPS_DEPLOY_* are set, both are well-formed,
 * the models bucket opens and takes new objects from the bot, and the inference service exists,
 * loads its model from a Cloud Storage volume, and may be read and updated by the bot acting as
 * its service account; when they are not set, promotions are off (a warning if the repository
 * asks for promotions on merge).
 */
export const deployCheck: DoctorCheck = {
  id: "deploy",
  title: "Model promotions",
  async run(ctx) {
    let deploy: DeployConfig | undefined;
    try {
      deploy = loadDeployConfig(ctx.env);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      return failed(`${SETTINGS_TRIED}.`, e.message, DEPLOY_SETTINGS_FIX);
    }
    if (!deploy) return promotionsOff(ctx);
    const models = formatGcsUrl(deploy.models);
    const tried = `${SETTINGS_TRIED}; listed ${models} and tested the bot's ${MODELS_PERMISSIONS.join(", ")} there; read ${deploy.service}, tested the bot's ${SERVICE_PERMISSIONS.join(", ")} on it and \`iam.serviceAccounts.actAs\` on its service account.`;
    if (!ctx.server) return skipped(tried, "MLOPS_DEPLOY_SERVICE and MLOPS_DEPLOY_MODELS are well-formed; probing the bucket and the service needs valid server settings (see that check).");
    const probes: Probe[] = [];
    for (const probe of [() => probeModels(ctx, deploy), () => probeService(ctx, deploy)]) {
      const found = await probe();
      if ("fail" in found) return { ...found.fail, tried };
      probes.push(found);
    }
    const lines = probes.map((p) => ("found" in p ? p.found : ""));
    const warnings = probes.flatMap((p) => ("warning" in p && p.warning ? [p.warning] : []));
    if (warnings.length) return warned(tried, [...lines, ...warnings.map((w) => w.found)].join("\n"), warnings.map((w) => w.fix).join("\n"));
    return passed(tried, lines.join("\n"));
  },
};

/** Promotions are off: not applicable, unless the repository asks for them on merge. */
async function promotionsOff(ctx: DoctorContext): Promise<CheckOutcome> {
  const tried = `${SETTINGS_TRIED}${ctx.repo ? ", and `deploy.on_merge` of the repository config" : ""}.`;
  const config = ctx.repo && ctx.github ? await ctx.facts.repoConfig().catch(() => undefined) : undefined;
  if (config?.ok && config.value.deploy.on_merge) {
    return warned(
      tried,
      "The repository sets `deploy.on_merge: true`, but promotions are off on this bot (MLOPS_DEPLOY_SERVICE and MLOPS_DEPLOY_MODELS are not set): merged pull requests are not promoted.",
      `${DEPLOY_SETTINGS_FIX} Or remove \`deploy.on_merge\` from the repository config.`,
    );
  }
  return skipped(tried, "Promotions are off: MLOPS_DEPLOY_SERVICE and MLOPS_DEPLOY_MODELS are not set, so `/deploy` answers that it is not enabled and `deploy.on_merge` promotes nothing.");
}

/** The models bucket: one page of one object listed under the prefix (it exists, the bot reads it), then the bot's permissions there. */
async function probeModels(ctx: DoctorContext, deploy: DeployConfig): Promise<Probe> {
  const models = formatGcsUrl(deploy.models);
  const endpoint = ctx.server?.gcsEndpoint;
  const bucketUrl = `${endpoint ?? "https://storage.googleapis.com"}/storage/v1/b/${encodeURIComponent(deploy.models.bucket)}`;
  const fail = (found: string, fix: string): Probe => ({ fail: failed("", found, fix) });
  const grant = `Grant the bot's service account roles/storage.objectViewer and roles/storage.objectCreator on the bucket (${GRANTS}), or correct MLOPS_DEPLOY_MODELS.`;
  try {
    const prefix = deploy.models.prefix ? `${deploy.models.prefix}/` : "";
    const listed = await ctx.google.call("GET", `${bucketUrl}/o?maxResults=1&prefix=${encodeURIComponent(prefix)}`);
    if (listed.status === 404) return fail(`${models}: the bucket ${deploy.models.bucket} does not exist.`, "Create it (infra/ makes `<project>-mlops-bot-models` with `inference_enabled`), or correct MLOPS_DEPLOY_MODELS (`terraform output inference_service`).");
    if (listed.status !== 200) return fail(`${models}: listing it answered ${googleErrorMessage(listed)}.`, grant);
    if (endpoint) return { found: `${models} opens (the Cloud Storage emulator at ${endpoint}: it has no IAM, so the bot's permissions were not tested).` };
    const query = MODELS_PERMISSIONS.map((p) => `permissions=${encodeURIComponent(p)}`).join("&");
    const tested = await ctx.google.call("GET", `${bucketUrl}/iam/testPermissions?${query}`);
    if (tested.status !== 200) return fail(`${models}: testing the bot's permissions answered ${googleErrorMessage(tested)}.`, grant);
    const granted = (tested.body as { permissions?: string[] } | undefined)?.permissions ?? [];
    const missing = MODELS_PERMISSIONS.filter((p) => !granted.includes(p));
    if (missing.length) return fail(`The bot lacks ${missing.join(", ")} on ${models}, so it cannot upload models there.`, grant);
    return { found: `${models} opens and takes new objects from the bot.` };
  } catch (e) {
    return fail(`${models}: ${(e as Error).message}`, "Check the bot's Google credentials (Application Default Credentials) and that it reaches Cloud Storage.");
  }
}

/** The inference service: it exists, loads its model from a Cloud Storage volume, and the bot may read and update it as its account. */
async function probeService(ctx: DoctorContext, deploy: DeployConfig): Promise<Probe> {
  const name = deploy.service;
  const client = new ServicesClient({ fallback: true, ...ctx.cloudRunClientOptions });
  try {
    const [service] = await client.getService({ name });
    const mount = findModelMount(service);
    if (!mount.ok) {
      return { fail: failed("", `${name} serves the model baked into its image (no MODEL_PATH in a Cloud Storage volume), so promotions cannot swap it.`, "Create the service with `inference_model_uri = \"gs://<models bucket>/<folder>/model.onnx\"` (docs/deploy.md, step 14), or unset MLOPS_DEPLOY_SERVICE and MLOPS_DEPLOY_MODELS and promote by image by hand.") };
    }
    const [granted] = await client.testIamPermissions({ resource: name, permissions: SERVICE_PERMISSIONS });
    const missing = SERVICE_PERMISSIONS.filter((p) => !(granted.permissions ?? []).includes(p));
    if (missing.length) return { fail: failed("", `The bot lacks ${missing.join(", ")} on ${name}.`, `Grant the bot's service account roles/run.developer on the service (${GRANTS}).`) };
    const account = service.template?.serviceAccount;
    if (account) {
      const refused = await actAsRefused(ctx, account);
      if (refused) return { fail: failed("", refused, `Grant the bot's service account roles/iam.serviceAccountUser on ${account} (${GRANTS}).`) };
    }
    return { found: `${name} loads its model from a Cloud Storage volume (now ${mountedFolder(service, mount.volume)}) and serves ${shortName(service.latestReadyRevision)}; the bot may read and update it${account ? ` and act as ${account}` : ""}.`, ...bucketWarning(service, mount.volume, deploy, account) };
  } catch (e) {
    // gRPC codes (5 NOT_FOUND, 7 PERMISSION_DENIED), or the HTTP status in the REST fallback.
    const code = (e as { code?: number }).code;
    if (code === 5 || code === 404) return { fail: failed("", `${name} does not exist.`, "Create it (`inference_image` and `inference_model_uri` in infra/envs/<env>/terraform.tfvars, then apply), or correct MLOPS_DEPLOY_SERVICE (`terraform output inference_service`).") };
    if (code === 7 || code === 403) return { fail: failed("", `The bot may not read ${name}: ${(e as Error).message}`, `Grant the bot's service account roles/run.developer on the service (${GRANTS}).`) };
    return { fail: failed("", `${name}: ${(e as Error).message}`, "Check the service's name (MLOPS_DEPLOY_SERVICE), the Cloud Run API (run.googleapis.com) and the bot's credentials.") };
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** Why the bot may not act as the service's account (so Cloud Run would refuse its updates); undefined when it may. */
async function actAsRefused(ctx: DoctorContext, account: string): Promise<string | undefined> {
  const url = `https://iam.googleapis.com/v1/projects/-/serviceAccounts/${encodeURIComponent(account)}:testIamPermissions`;
  const answer = await ctx.google.call("POST", url, { permissions: ["iam.serviceAccounts.actAs"] });
  if (answer.status !== 200) return `Testing actAs on ${account} answered ${googleErrorMessage(answer)}.`;
  const acts = ((answer.body as { permissions?: string[] } | undefined)?.permissions ?? []).includes("iam.serviceAccounts.actAs");
  return acts ? undefined : `The bot may not act as ${account}, the service's account, so Cloud Run refuses its updates.`;
}

type Service = protos.google.cloud.run.v2.IService;

/** The service's model volume's bucket differs from the models bucket: promotions would mount a bucket its account may not read. */
function bucketWarning(service: Service, volume: string, deploy: DeployConfig, account: string | null | undefined): { warning?: { found: string; fix: string } } {
  const mounted = service.template?.volumes?.find((v) => v.name === volume)?.gcs?.bucket;
  if (!mounted || mounted === deploy.models.bucket) return {};
  return {
    warning: {
      found: `The service mounts its model from gs://${mounted}, but promotions upload to gs://${deploy.models.bucket} (MLOPS_DEPLOY_MODELS) and mount that instead.`,
      fix: `Point MLOPS_DEPLOY_MODELS at gs://${mounted} (\`terraform output inference_service\`), or make sure ${account ?? "the service's account"} may read gs://${deploy.models.bucket} (roles/storage.objectViewer).`,
    },
  };
}

function mountedFolder(service: Service, volume: string): string {
  const gcs = service.template?.volumes?.find((v) => v.name === volume)?.gcs;
  const folder = gcs?.mountOptions?.find((o) => o.startsWith("only-dir="))?.slice("only-dir=".length);
  return `gs://${gcs?.bucket ?? "?"}${folder ? `/${folder}` : ""}`;
}

function shortName(name: string | null | undefined): string {
  return name ? name.split("/").pop()! : "no revision yet";
}
