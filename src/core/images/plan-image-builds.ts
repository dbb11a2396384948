import path from "node:path";
import type { RepoConfig } from "../../config/repo-config-schema.js";
import { err, ok, type Result } from "../result.js";

export interface ImageBuildPlan {
  readonly name: string;
  /** Folder of the repository used as the build context. */
  readonly context: string;
  /** The Dockerfile, relative to the context. */
  readonly dockerfile: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  /** `<registry>/<name>:<sha>` first, then the PR or branch tag. */
  readonly tags: readonly string[];
}

/**
 * Which images to build and how to tag them: the requested names (all configured images when
 * none) -> one plan each, or every problem at once (unknown names with the valid ones, no
 * registry, a Dockerfile outside its context). Pure.
 */
export function planImageBuilds(params: {
  config: Pick<RepoConfig, "images" | "registry">;
  names: readonly string[];
  sha: string;
  /** `pr-12`, or a branch name (made into a valid tag). */
  refTag: string;
}): Result<ImageBuildPlan[], string[]> {
  const { images, registry } = params.config;
  const problems: string[] = [];
  if (!registry) problems.push("No `registry` is set in .github/mlops-bot.yml, so there is nowhere to push; add one, e.g. `registry: europe-docker.pkg.dev/my-project/ml`.");
  const configured = Object.keys(images);
  if (configured.length === 0) problems.push("No `images` are configured in .github/mlops-bot.yml.");
  const names = params.names.length ? [...new Set(params.names)] : configured;
  for (const name of names) {
    if (!images[name]) problems.push(`\`${name}\` is not a configured image. Configured: ${configured.map((n) => `\`${n}\``).join(", ") || "none"}.`);
  }
  const plans: ImageBuildPlan[] = [];
  for (const name of names) {
    const image = images[name];
    if (!image) continue;
    const context = path.posix.normalize(image.context).replace(/\/+$/, "") || ".";
    const dockerfile = path.posix.relative(context === "." ? "" : context, path.posix.normalize(image.dockerfile));
    if (dockerfile.startsWith("..")) {
      problems.push(`\`images.${name}.dockerfile\` (${image.dockerfile}) is outside its context (${image.context}); put it inside, or widen the context.`);
      continue;
    }
    const repo = `${registry ?? ""}/${name}`;
    plans.push({ name, context, dockerfile, buildArgs: image.build_args, tags: [`${repo}:${params.sha}`, `${repo}:${toDockerTag(params.refTag)}`] });
  }
  return problems.length ? err(problems) : ok(plans);
}

/** A branch name as a Docker tag: `[A-Za-z0-9_.-]`, at most 128 characters, not starting with `.` or `-`. */
export function toDockerTag(ref: string): string {
  const tag = ref.replace(/[^A-Za-z0-9_.-]/g, "-").replace(/^[.-]+/, "").slice(0, 128);
  return tag || "untagged";
}
