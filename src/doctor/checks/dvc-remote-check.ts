import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { parseStorageUrl } from "../../core/storage/parse-storage-url.js";
import { createDvcRemoteStore } from "../../adapters/stores/create-dvc-remote-store.js";
import { failed, passed, skipped, warned, type CheckOutcome } from "../../core/doctor/check-outcome.js";
import { dirManifestKeys } from "../../core/dvc/dir-manifest-keys.js";
import { parseDvcConfig } from "../../core/dvc/parse-dvc-config.js";
import { parseDvcLock } from "../../core/dvc/parse-dvc-lock.js";
import { formatProblem } from "../../core/problem.js";
import type { ArtifactStore } from "../../ports/artifact-store.js";
import type { DoctorCheck } from "../doctor-check.js";
import type { DoctorContext } from "../doctor-context.js";
import { storeRoundTrip } from "./store-round-trip.js";

/**
 * The default DVC remote of the repository's default branch (`.dvc/config` in the pipeline's
 * folder or at the root): a canary round trip, or, where the bot may only read it
 * (MLOPS_DVC_REMOTE_READ_ONLY, as infra/ grants), a read of the data the default branch's
 * dvc.lock names.
 */
export const dvcRemoteCheck: DoctorCheck = {
  id: "dvc-remote",
  title: "DVC remote",
  async run(ctx) {
    const base = "Read `.dvc/config` of the default branch for its default remote";
    if (!ctx.repo) return skipped(`${base}.`, "No repository given (`--repo OWNER/NAME`).");
    const config = await ctx.facts.repoConfig();
    if (!config?.ok) return skipped(`${base}.`, "Needs the repository config (see its check).");
    const found = await findRemote(ctx, config.value.pipeline.workdir);
    if ("outcome" in found) return found.outcome;
    const readOnly = ctx.doctor?.dvcRemoteReadOnly ?? false;
    const tried = readOnly
      ? `${base} (${found.url}) and read from it (MLOPS_DVC_REMOTE_READ_ONLY: the bot never writes there).`
      : `${base} (${found.url}), wrote a canary object there, read it back and deleted it.`;
    const store = createDvcRemoteStore({ url: found.url, gcsEndpoint: ctx.server?.gcsEndpoint });
    if (!store.ok) return warned(tried, `The bot cannot read this remote: ${store.error}.`, "Use a remote the bot supports (a gs:// bucket, or an absolute folder on the bot's machine), or the data check cannot expand folders.");
    if (readOnly) return readProbe(ctx, tried, store.value, found);
    const problem = await storeRoundTrip(store.value, `mlops-bot-doctor/canary-${randomUUID()}`, randomBytes(32).toString("hex"));
    if (problem) return failed(tried, `${found.url}: ${problem}`, remoteFix(found.url, "write"));
    return passed(tried, `${found.url} (remote \`${found.name}\` of \`${found.root || "."}/\`): written, read back intact, deleted.`);
  },
};

type Remote = { name: string; url: string; root: string };

async function findRemote(ctx: DoctorContext, workdir: string): Promise<Remote | { outcome: CheckOutcome }> {
  const tried = "Read `.dvc/config` of the default branch for its default remote.";
  for (const root of [...new Set([workdir, ""])]) {
    const file = path.posix.join(root, ".dvc/config");
    const text = await ctx.facts.defaultBranchFile(file);
    if (text === undefined) continue;
    const parsed = parseDvcConfig({ file, text });
    if (!parsed.ok) return { outcome: failed(tried, parsed.error.map(formatProblem).join("\n"), `Fix ${file} on the default branch.`) };
    const name = parsed.value.defaultRemote;
    const url = name ? parsed.value.remotes.get(name) : undefined;
    if (!name || !url) {
      return { outcome: warned(tried, `${file} names no default remote${name ? ` with a URL (\`${name}\`)` : ""}.`, "Add one (`dvc remote add -d storage gs://bucket/path`) and commit .dvc/config, so the bot and the jobs can read the data.") };
    }
    return { name, url, root };
  }
  return { outcome: skipped(tried, `No DVC project on the default branch (no \`.dvc/config\` in \`${workdir}/\` or at the root).`) };
}

/** Reads the first tracked output of the default branch's dvc.lock from the remote (or, with none, proves reads are allowed). */
async function readProbe(ctx: DoctorContext, tried: string, store: ArtifactStore, remote: Remote): Promise<CheckOutcome> {
  try {
    const lockFile = path.posix.join(remote.root, "dvc.lock");
    const text = await ctx.facts.defaultBranchFile(lockFile);
    const lock = text === undefined ? undefined : parseDvcLock({ file: lockFile, text });
    const out = lock?.ok ? lock.value.stages.flatMap((s) => s.outs).find((o) => o.hash && /^[0-9a-f]{32}/.test(o.hash)) : undefined;
    if (!out?.hash) {
      await store.get(`mlops-bot-doctor/absent-${randomUUID()}`);
      return passed(tried, `${remote.url}: reads are allowed (the default branch's dvc.lock names no output to look for).`);
    }
    for (const key of dirManifestKeys(out.hash)) {
      if ((await store.get(key)) !== undefined) return passed(tried, `${remote.url}: read \`${out.path}\` (${out.hash.slice(0, 8)}) of the default branch.`);
    }
    return warned(tried, `${remote.url} has no \`${out.path}\` (${out.hash.slice(0, 8)}) of the default branch's dvc.lock.`, "Run `dvc push` on the default branch, so the data the bot compares with is in the remote.");
  } catch (e) {
    return failed(tried, `${remote.url}: ${(e as Error).message}`, remoteFix(remote.url, "read"));
  }
}

function remoteFix(url: string, access: "read" | "write"): string {
  if (parseStorageUrl(url, ["gs"]).ok) {
    const role = access === "read" ? "roles/storage.objectViewer" : "roles/storage.objectAdmin";
    return `Check that the bucket exists and that the bot's service account has ${role} on it${access === "write" ? ", or set MLOPS_DVC_REMOTE_READ_ONLY=true if the bot should only read it" : ""}.`;
  }
  return `Make the folder ${access === "read" ? "readable" : "writable"} by the bot's user.`;
}
