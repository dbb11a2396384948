import Docker from "dockerode";
import { testServicesEnv } from "./test-services-env.js";

export interface DockerServices {
  readonly docker: Docker;
  readonly socketPath: string;
  readonly registry: string;
  readonly auth: { username: string; password: string; serveraddress: string };
  readonly baseImage: string;
}

/**
 * The private Docker engine and registry started by scripts/start-test-services.sh (npm test
 * starts them), read from the environment or the script's env file. Undefined when they are not
 * running; with MLOPS_REQUIRE_DOCKER=1 (CI) their absence is an error instead.
 */
export function dockerServices(): DockerServices | undefined {
  const env = testServicesEnv();
  const host = env.MLOPS_TEST_DOCKER_HOST;
  if (!host) {
    if (process.env.MLOPS_REQUIRE_DOCKER === "1") throw new Error("MLOPS_REQUIRE_DOCKER=1 but no Docker engine: run scripts/start-test-services.sh");
    return undefined;
  }
  const socketPath = host.replace(/^unix:\/\//, "");
  const registry = env.MLOPS_TEST_REGISTRY!;
  return {
    docker: new Docker({ socketPath }),
    socketPath,
    registry,
    auth: { username: env.MLOPS_TEST_REGISTRY_USERNAME!, password: env.MLOPS_TEST_REGISTRY_PASSWORD!, serveraddress: registry },
    baseImage: env.MLOPS_TEST_BASE_IMAGE!,
  };
}

/** The digest the registry holds for a tag, read from its HTTP API (what a deploy would pull). */
export async function registryDigest(services: DockerServices, repository: string, tag: string): Promise<string | null> {
  const res = await fetch(`http://${services.registry}/v2/${repository}/manifests/${tag}`, {
    method: "HEAD",
    headers: {
      accept: "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json",
      authorization: `Basic ${Buffer.from(`${services.auth.username}:${services.auth.password}`).toString("base64")}`,
    },
  });
  return res.ok ? res.headers.get("docker-content-digest") : null;
}
