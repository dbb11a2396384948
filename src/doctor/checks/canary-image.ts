import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import type Docker from "dockerode";
import * as tar from "tar";
import { DockerImageBuilder } from "../../adapters/images/docker-image-builder.js";
import type { RegistryAuth } from "../../ports/image-builder.js";

/**
 * Makes a one-layer image (one small file, imported from a tarball: no base image, no build),
 * tags it `tag`, pushes it with `auth`, and removes it from the engine again; the pushed digest.
 */
export async function pushCanaryImage(params: { docker: Docker; tag: string; auth: RegistryAuth | undefined }): Promise<string> {
  const { docker, tag } = params;
  const colon = tag.lastIndexOf(":");
  const [repo, version] = [tag.slice(0, colon), tag.slice(colon + 1)];
  const dir = await mkdtemp(path.join(tmpdir(), "mlops-bot-doctor-"));
  try {
    await writeFile(path.join(dir, "mlops-bot-doctor.txt"), `canary ${tag} ${new Date().toISOString()}\n`);
    const stream = await docker.importImage(tar.c({ cwd: dir, portable: true }, ["mlops-bot-doctor.txt"]) as unknown as NodeJS.ReadableStream, { repo, tag: version });
    await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
    const sink = new Writable({ write: (_chunk, _enc, done) => done() });
    return (await new DockerImageBuilder(docker).push({ tag, auth: params.auth, log: sink, signal: AbortSignal.timeout(100_000) })).digest;
  } finally {
    await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}
