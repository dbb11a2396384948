import { randomUUID } from "node:crypto";
import { resolveRegistryAuth } from "../../adapters/images/resolve-registry-auth.js";
import { failed, passed, skipped, warned } from "../../core/doctor/check-outcome.js";
import type { DoctorCheck } from "../doctor-check.js";
import type { DoctorContext } from "../doctor-context.js";
import { pushCanaryImage } from "./canary-image.js";
import { RegistryApi, RegistryCallError } from "./registry-api.js";

const CANARY = "mlops-bot-doctor";

/**
 * The repository's registry accepts the bot's credentials (`GET /v2/`); with a Docker engine, a
 * one-layer canary image is pushed and its manifest deleted again.
 */
export const registryCheck: DoctorCheck = {
  id: "registry",
  title: "Image registry",
  async run(ctx) {
    const base = "Signed in to the registry with the bot's credentials";
    const config = ctx.repo ? await ctx.facts.repoConfig() : undefined;
    const registry = config?.ok ? config.value.registry : undefined;
    if (!registry) return skipped(`${base}.`, ctx.repo ? "The repository config names no `registry` (where /build pushes)." : "No repository given (`--repo OWNER/NAME`): the registry is in its config.");
    if (!ctx.server) return skipped(`${base}.`, "Needs valid server settings.");
    const tried = `${base} (${registry}, MLOPS_REGISTRY_AUTH=${ctx.server.registryAuth.kind})${ctx.docker ? `, pushed a one-layer canary image ${registry}/${CANARY} and deleted it` : ""}.`;
    const repository = `${registry.split("/").slice(1).concat(CANARY).join("/")}`;
    let api: RegistryApi;
    try {
      const auth = await resolveRegistryAuth({ auth: ctx.server.registryAuth, registry });
      api = new RegistryApi(registry, auth, `repository:${repository}:pull,push,delete`);
      await api.signIn();
      if (!ctx.docker) return passed(tried, `${registry} accepted the credentials (no Docker engine here, so no canary push).`);
      const digest = await pushCanaryImage({ docker: ctx.docker, tag: `${registry}/${CANARY}:canary-${randomUUID().slice(0, 8)}`, auth });
      const deleted = await api.deleteManifest(repository, digest);
      if (!deleted) return warned(tried, `Pushed ${registry}/${CANARY}@${digest.slice(0, 19)}, but the registry does not allow deleting it.`, `Delete the canary by hand, or add a cleanup policy for ${registry}/${CANARY} (infra/modules/registry keeps untagged images 7 days).`);
      return passed(tried, `${registry} accepted the credentials; the canary ${digest.slice(0, 19)}… was pushed and deleted.`);
    } catch (e) {
      return failed(tried, `${registry}: ${(e as Error).message}`, fixFor(ctx, e));
    }
  },
};

function fixFor(ctx: DoctorContext, e: unknown): string {
  const status = e instanceof RegistryCallError ? e.status : undefined;
  const kind = ctx.server?.registryAuth.kind;
  if (status === 401 || status === 403 || /unauthorized|authentication required|denied/i.test((e as Error).message)) {
    if (kind === "google") return "Grant the bot's service account roles/artifactregistry.writer on the repository (infra/modules/iam grants only reader).";
    if (kind === "basic") return "Set MLOPS_REGISTRY_USERNAME and MLOPS_REGISTRY_PASSWORD to credentials the registry accepts (a password or token with push rights).";
    return "The registry wants credentials: set MLOPS_REGISTRY_AUTH (basic with MLOPS_REGISTRY_USERNAME/PASSWORD, or google for Artifact Registry).";
  }
  return "Check the `registry` of the repository config (host[:port]/path) and that the bot reaches it.";
}
