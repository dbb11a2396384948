import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { trainResultOf } from "../helpers/job-of-kind.js";
import { startBot, REPO_API, type BotHarness } from "../helpers/bot-harness.js";
import { dockerServices, registryDigest } from "../helpers/docker-services.js";
import { commitFiles, git, initRepo } from "../helpers/git-repo.js";
import { OWNER, REPO, prCommentPayload, pushPayload } from "../helpers/payloads.js";
import { tempDir } from "../helpers/temp-dir.js";
import { finalCheckUpdate, nockCommandIntake } from "../helpers/train-nocks.js";
import * as gh from "../helpers/github-responses.js";

const services = dockerServices();

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

/** A "GitHub" repo whose PR head holds `files`; the bot gets the private Docker engine and registry. */
async function setup(files: Record<string, string>, env: Record<string, string> = {}) {
  const dir = tempDir();
  const originRoot = path.join(dir, "origin");
  const origin = initRepo(path.join(originRoot, OWNER, REPO));
  const base = commitFiles(origin, { "README.md": "base\n" }, "base");
  git(origin, "checkout", "-q", "-b", "feature");
  const head = commitFiles(origin, files, "head");
  git(origin, "checkout", "-q", "main");
  git(origin, "update-ref", "refs/pull/1/head", head);
  bot = await startBot({
    dir,
    originRoot,
    env: {
      MLOPS_DOCKER_HOST: `unix://${services!.socketPath}`,
      MLOPS_REGISTRY_AUTH: "basic",
      MLOPS_REGISTRY_USERNAME: services!.auth.username,
      MLOPS_REGISTRY_PASSWORD: services!.auth.password,
      MLOPS_DOCKER_NETWORK: "none",
      ...env,
    },
  });
  return { bot, base, head };
}

// Runs where scripts/start-test-services.sh could start a Docker engine (npm test does; CI requires it).
describe.runIf(services)("containers end to end on a real Docker engine and registry", () => {
  const registry = `${services?.registry}/e2e`;
  const config = (extra = "") => `registry: ${registry}\nimages:\n  app: { dockerfile: app/Dockerfile, context: app }\n${extra}`;

  it("/build builds the PR head from git, pushes it, and the check run shows the digest the registry holds", async () => {
    const { bot, base, head } = await setup({
      "app/Dockerfile": `FROM ${services!.baseImage}\nCOPY model.txt /model.txt\nCMD ["cat", "/model.txt"]\n`,
      "app/model.txt": "weights\n",
    });
    nockCommandIntake(bot, { commentId: 300, head, base, config: config(), role: "maintain", checkRunId: 3000 });
    bot.api().patch(`${REPO_API}/check-runs/3000`).reply(200, gh.checkRun({ id: 3000 })).persist();
    bot.api().post(`${REPO_API}/issues/comments/300/reactions`, { content: "rocket" }).reply(201, gh.reaction("rocket"));

    await bot.deliver("issue_comment", prCommentPayload({ body: "/build", commentId: 300 }));
    await bot.worker.start();
    await bot.worker.idle();

    const end = finalCheckUpdate(bot, 3000);
    expect(end.conclusion).toBe("success");
    expect(end.output.title).toBe("1 image built and pushed");
    const digest = await registryDigest(services!, "e2e/app", head);
    expect(digest).toMatch(/^sha256:/);
    expect(end.output.summary).toContain(`| app | \`${registry}/app:${head}\`<br>\`${registry}/app:pr-1\` | \`${digest}\` |`);
    expect(await registryDigest(services!, "e2e/app", "pr-1")).toBe(digest);
    const image = await services!.docker.getImage(`${registry}/app:${head}`).inspect();
    expect(image.Config.Labels).toMatchObject({ "org.opencontainers.image.revision": head, "org.opencontainers.image.source": `https://github.com/${OWNER}/${REPO}` });
  }, 120_000);

  it("/build of a broken Dockerfile fails the check and names the failing step", async () => {
    const { bot, base, head } = await setup({ "app/Dockerfile": `FROM ${services!.baseImage}\nRUN echo compiling\nRUN echo "missing dependency" >&2 && exit 7\n` });
    nockCommandIntake(bot, { commentId: 301, head, base, config: config(), role: "admin", checkRunId: 3010 });
    bot.api().patch(`${REPO_API}/check-runs/3010`).reply(200, gh.checkRun({ id: 3010 })).persist();
    bot.api().post(`${REPO_API}/issues/comments/301/reactions`, { content: "confused" }).reply(201, gh.reaction("confused"));

    await bot.deliver("issue_comment", prCommentPayload({ body: "/build app", commentId: 301 }));
    await bot.worker.start();
    await bot.worker.idle();

    const end = finalCheckUpdate(bot, 3010);
    expect(end.conclusion).toBe("failure");
    expect(end.output.title).toMatch(/^app failed at Step 3\/\d+ : RUN echo "missing dependency" >&2 && exit 7$/);
    expect(end.output.summary).toContain("missing dependency");
    expect(end.output.summary).toContain("returned a non-zero code: 7");
  }, 120_000);

  it("/build refuses unknown image names, listing the configured ones", async () => {
    const { bot, base, head } = await setup({ "app/Dockerfile": `FROM ${services!.baseImage}\n` });
    nockCommandIntake(bot, { commentId: 302, head, base, config: config(), role: "maintain" });
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 1 }));
    await bot.deliver("issue_comment", prCommentPayload({ body: "/build api", commentId: 302 }));
    const reply = bot.calls.find((c) => c.path.endsWith("/issues/1/comments"))!.body as { body: string };
    expect(reply.body).toContain("- `api` is not a configured image. Configured: `app`.");
    expect(await bot.engine.store.list({})).toEqual([]);
  });

  it("/train with runner: docker runs the pipeline in a container, its metrics come back, and its job page follows it", async () => {
    const train = `echo "Running stage 'train':" && mkdir -p plots && echo '{"accuracy": 0.875, "loss": 0.31}' > metrics.json && echo trained in $(pwd)`;
    // The job pages, served as the bot serves them, on a port of this test.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { bot, base, head } = await setup({ "ml/params.yaml": "train:\n  seed: 1\n" }, { MLOPS_PUBLIC_URL: origin, MLOPS_WEB_SECRET: "docker-page-test-secret-0123456789abcdef" });
    server.on("request", (req, res) => void bot.engine.jobPages.handler!(req, res).then((handled) => handled || res.writeHead(404).end()));
    const extra = `runner: docker\npipeline:\n  image: ${services!.baseImage}\n  train: ["sh", "-c", ${JSON.stringify(train)}]\n`;
    nockCommandIntake(bot, { commentId: 303, head, base, config: extra, checkRunId: 3030 });
    bot.api().patch(`${REPO_API}/check-runs/3030`).reply(200, gh.checkRun({ id: 3030 })).persist();
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 9 }));
    bot.api().post(`${REPO_API}/issues/comments/303/reactions`, { content: "rocket" }).reply(201, gh.reaction("rocket"));

    await bot.deliver("issue_comment", prCommentPayload({ body: "/train", commentId: 303 }));
    // What the page's live log gets while the container runs.
    const queued = (await bot.engine.store.list({}))[0]!;
    const live: string[] = [];
    bot.engine.jobPages.live.subscribe(queued.id, 0, (lines) => live.push(...lines.map((l) => l.text)));
    await bot.worker.start();
    await bot.worker.idle();

    const [job] = await bot.engine.store.list({});
    expect(job?.state).toBe("succeeded");
    const result = trainResultOf(job);
    expect(JSON.parse(result.head.metrics["ml/metrics.json"]!)).toEqual({ accuracy: 0.875, loss: 0.31 });
    expect((await bot.engine.artifacts.get(result.logKey))?.toString()).toBe("Running stage 'train':\ntrained in /workspace/ml\n");
    expect(finalCheckUpdate(bot, 3030).output.summary).toContain("| ml/metrics.json | accuracy | - | 0.875 | - |");

    expect(live).toEqual(["Running stage 'train':", "trained in /workspace/ml"]);
    const created = bot.calls.find((c) => c.method === "POST" && c.path === `${REPO_API}/check-runs`)!;
    const detailsUrl = (created.body as { details_url: string }).details_url;
    expect(detailsUrl.startsWith(`${origin}/jobs/${job!.id}?exp=`)).toBe(true);
    const html = await (await fetch(detailsUrl)).text();
    expect(html).toContain("<strong>Succeeded</strong>");
    expect(html).toMatch(/<code>train<\/code> <span class="stage-state">done<\/span>/);
    expect(html).toContain("trained in /workspace/ml");
    expect(html).toMatch(/<th scope="row"><code>accuracy<\/code><\/th><td>–<\/td><td>0\.875<\/td>/);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }, 120_000);

  it("a push to the default branch builds every image when build_on_push is set, tagged with the sha and the branch", async () => {
    // The pushed commit carries the config: the bot reads it there, with git (no contents API call).
    const { bot, head } = await setup({ "app/Dockerfile": `FROM ${services!.baseImage}\n`, ".github/mlops-bot.yml": config("build_on_push: true\n") });
    git(path.join(bot.originRoot, OWNER, REPO), "merge", "-q", "--ff-only", "feature"); // the push: main is at head
    bot.api().post("/app/installations/2/access_tokens").reply(201, gh.installationToken("ghs_e2e")).persist();
    bot.api().post(`${REPO_API}/check-runs`, (b: { head_sha: string; name: string }) => b.head_sha === head && b.name === "mlops-bot/build").reply(201, gh.checkRun({ id: 3040, name: "mlops-bot/build", headSha: head }));
    bot.api().patch(`${REPO_API}/check-runs/3040`).reply(200, gh.checkRun({ id: 3040 })).persist();

    await bot.deliver("push", pushPayload({ branch: "main", sha: head }), "push-1");
    await bot.deliver("push", pushPayload({ branch: "main", sha: head }), "push-1"); // redelivered: one build
    await bot.deliver("push", pushPayload({ branch: "feature", sha: head }), "push-2"); // not the default branch: nothing
    await bot.worker.start();
    await bot.worker.idle();

    const jobs = await bot.engine.store.list({ kind: "build" });
    expect(jobs).toHaveLength(1);
    expect(finalCheckUpdate(bot, 3040).conclusion).toBe("success");
    expect(await registryDigest(services!, "e2e/app", "main")).toBe(await registryDigest(services!, "e2e/app", head));
  }, 120_000);
});
