import nock from "nock";
import pino from "pino";
import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { authOnApiHost } from "../../../src/adapters/github/auth-on-api-host.js";
import { GitHubCodeHost } from "../../../src/adapters/github/github-code-host.js";
import * as gh from "../../helpers/github-responses.js";
import { INSTALLATION_ID } from "../../helpers/payloads.js";
import { TestOctokit, testPrivateKey } from "../../helpers/test-probot.js";

// An App on GitHub Enterprise Server: the token for a git fetch (the repo config, the sources) is
// asked of the server's API, as every other call, never of api.github.com.
const GHE = "https://ghe.example.com";

function enterpriseProbot(Octokit: typeof TestOctokit): Probot {
  return new Probot({ appId: 123, privateKey: testPrivateKey(), secret: "s", baseUrl: `${GHE}/api/v3`, Octokit, log: pino({ level: "silent" }) });
}

describe("authOnApiHost", () => {
  it("asks the Enterprise Server for the installation token a git fetch uses", async () => {
    const exchange = nock(GHE).post(`/api/v3/app/installations/${INSTALLATION_ID}/access_tokens`).reply(201, gh.installationToken("ghs_from_ghe"));
    const octokit = await enterpriseProbot(authOnApiHost(TestOctokit)).auth(INSTALLATION_ID);
    const host = new GitHubCodeHost(octokit, "octo", "ml", () => Promise.resolve(gh.APP_LOGIN));
    expect(await host.gitToken()).toBe("ghs_from_ghe");
    expect(exchange.isDone()).toBe(true);
  });

  it("is needed: without it Probot's client asks api.github.com for that token", async () => {
    const octokit = await enterpriseProbot(TestOctokit).auth(INSTALLATION_ID);
    const host = new GitHubCodeHost(octokit, "octo", "ml", () => Promise.resolve(gh.APP_LOGIN));
    await expect(host.gitToken()).rejects.toThrow(/api\.github\.com|Nock/);
  });
});
