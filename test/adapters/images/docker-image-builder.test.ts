import { createWriteStream, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DockerImageBuilder } from "../../../src/adapters/images/docker-image-builder.js";
import { GitSourceProvider } from "../../../src/adapters/source/git-source-provider.js";
import { dockerServices, registryDigest } from "../../helpers/docker-services.js";
import { commitFiles, initRepo } from "../../helpers/git-repo.js";
import { tempDir } from "../../helpers/temp-dir.js";

const services = dockerServices();

// Runs where scripts/start-test-services.sh could start a Docker engine (npm test does; CI requires it).
describe.runIf(services)("DockerImageBuilder on a real engine and registry", () => {
  const { docker, registry, auth, baseImage } = services!;

  function repoWith(files: Record<string, string>) {
    const dir = tempDir();
    const origin = initRepo(path.join(dir, "origin", "o", "app"));
    const sha = commitFiles(origin, files);
    const sources = new GitSourceProvider({ root: path.join(dir, "sources"), cloneUrl: path.join(dir, "origin", "{owner}", "{repo}") });
    return { dir, sha, sources };
  }

  it("builds from a git archive of the commit, tags, pushes, and the registry holds the same digest", async () => {
    const { dir, sha, sources } = repoWith({
      "images/app/Dockerfile": `FROM ${baseImage}\nARG GREETING=none\nCOPY hello.txt /hello.txt\nRUN echo "$GREETING" > /greeting\n`,
      "images/app/hello.txt": "hello from git\n",
    });
    const builder = new DockerImageBuilder(docker);
    const tags = [`${registry}/test/app:${sha}`, `${registry}/test/app:pr-7`];
    const logFile = path.join(dir, "build.log");
    const result = await builder.build({
      context: await sources.archive({ repo: { owner: "o", name: "app" }, sha, folder: "images/app" }),
      dockerfile: "Dockerfile",
      buildArgs: { GREETING: "hi" },
      labels: { "org.opencontainers.image.revision": sha },
      tags,
      log: createWriteStream(logFile),
      signal: new AbortController().signal,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.sizeBytes).toBeGreaterThan(0);
    const info = await docker.getImage(tags[1]!).inspect();
    expect(info.Id).toBe(result.imageId);
    expect(info.Config.Labels).toMatchObject({ "org.opencontainers.image.revision": sha });
    expect(readFileSync(logFile, "utf8")).toMatch(/Step 4\/\d : RUN echo "\$GREETING" > \/greeting/);

    const pushed = await builder.push({ tag: tags[0]!, auth, log: createWriteStream(path.join(dir, "push.log")), signal: new AbortController().signal });
    expect(pushed.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await registryDigest(services!, "test/app", sha)).toBe(pushed.digest);
  });

  it("names the failing step and keeps its last lines when the Dockerfile is broken", async () => {
    const { dir, sha, sources } = repoWith({ Dockerfile: `FROM ${baseImage}\nRUN echo preparing\nRUN echo about to fail && exit 3\nRUN echo never\n` });
    const result = await new DockerImageBuilder(docker).build({
      context: await sources.archive({ repo: { owner: "o", name: "app" }, sha }),
      dockerfile: "Dockerfile",
      buildArgs: {},
      labels: {},
      tags: [`${registry}/test/broken:${sha}`],
      log: createWriteStream(path.join(dir, "build.log")),
      signal: new AbortController().signal,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failedStep).toBe("Step 3/4 : RUN echo about to fail && exit 3");
    expect(result.error).toContain("returned a non-zero code: 3");
    expect(result.logTail).toContain("about to fail");
  });

  it("refuses a push with wrong credentials, saying so", async () => {
    const { dir, sha, sources } = repoWith({ Dockerfile: `FROM ${baseImage}\n` });
    const builder = new DockerImageBuilder(docker);
    const tag = `${registry}/test/denied:${sha}`;
    const built = await builder.build({
      context: await sources.archive({ repo: { owner: "o", name: "app" }, sha }),
      dockerfile: "Dockerfile",
      buildArgs: {},
      labels: {},
      tags: [tag],
      log: createWriteStream(path.join(dir, "build.log")),
      signal: new AbortController().signal,
    });
    expect(built.ok).toBe(true);
    await expect(
      builder.push({ tag, auth: { ...auth, password: "wrong" }, log: createWriteStream(path.join(dir, "push.log")), signal: new AbortController().signal }),
    ).rejects.toThrow(/pushing .* failed/);
  });
});
