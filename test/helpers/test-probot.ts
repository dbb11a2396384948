import { generateKeyPairSync } from "node:crypto";
import pino from "pino";
import { Probot, ProbotOctokit } from "probot";

let privateKey: string | undefined;

/** An RSA key made once per test process: Probot signs its JWTs with it; nock answers the token call. */
export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  return privateKey;
}

export const TestOctokit = ProbotOctokit.defaults((options: Record<string, any>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...options.throttle, enabled: false },
}));

/** A Probot with test credentials, no retries, no throttling, and a silent logger (`Octokit` may add plugins to `TestOctokit`). */
export function testProbot(params: { Octokit?: typeof TestOctokit } = {}): Probot {
  return new Probot({
    appId: 123,
    privateKey: testPrivateKey(),
    secret: "test-secret",
    Octokit: params.Octokit ?? TestOctokit,
    log: pino({ level: "silent" }),
  });
}
