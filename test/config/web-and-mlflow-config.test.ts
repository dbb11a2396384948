import { describe, expect, it } from "vitest";
import { knownSecrets } from "../../src/config/known-secrets.js";
import { experimentName, loadMlflowConfig } from "../../src/config/mlflow-config.js";
import { loadWebConfig } from "../../src/config/web-config.js";
import { ConfigError } from "../../src/core/errors.js";

describe("loadWebConfig", () => {
  it("is on with a public URL and a key: MLOPS_WEB_SECRET, else one derived from the webhook secret", () => {
    const own = loadWebConfig({ MLOPS_WEB_SECRET: "k".repeat(32), MLOPS_WEB_LINK_DAYS: "7", WEBHOOK_SECRET: "w" }, "https://bot.example.com");
    expect(own).toEqual({ publicUrl: "https://bot.example.com", secret: "k".repeat(32), ttlSeconds: 7 * 86_400, secretSource: "MLOPS_WEB_SECRET" });
    const derived = loadWebConfig({ WEBHOOK_SECRET: "webhook-secret" }, "https://bot.example.com");
    expect(derived?.secretSource).toBe("WEBHOOK_SECRET");
    expect(derived?.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(derived?.secret).not.toContain("webhook-secret");
    expect(derived?.ttlSeconds).toBe(30 * 86_400);
    expect(loadWebConfig({ WEBHOOK_SECRET: "w" }, undefined)).toBeUndefined();
    expect(loadWebConfig({}, "https://bot.example.com")).toBeUndefined();
  });

  it("names the variable and never quotes a secret", () => {
    expect(() => loadWebConfig({ MLOPS_WEB_SECRET: "short-secret" }, "https://x")).toThrow(ConfigError);
    expect(() => loadWebConfig({ MLOPS_WEB_SECRET: "short-secret" }, "https://x")).toThrow(/environment variable MLOPS_WEB_SECRET: must be at least 32 characters/);
    expect(() => loadWebConfig({ MLOPS_WEB_SECRET: "short-secret" }, "https://x")).not.toThrow(/short-secret/);
    expect(() => loadWebConfig({ MLOPS_WEB_LINK_DAYS: "0" }, "https://x")).toThrow(/MLOPS_WEB_LINK_DAYS: must be at least 1 \(got "0"\)/);
  });
});

describe("loadMlflowConfig", () => {
  it("is on with an http(s) tracking URI; auth from the credentials that are set", () => {
    expect(loadMlflowConfig({})).toBeUndefined();
    expect(loadMlflowConfig({ MLFLOW_TRACKING_URI: "http://127.0.0.1:5000/" })).toEqual({
      trackingUri: "http://127.0.0.1:5000",
      uiUrl: "http://127.0.0.1:5000",
      experiment: "{owner}/{repo}",
      auth: { kind: "none" },
    });
    expect(loadMlflowConfig({ MLFLOW_TRACKING_URI: "https://m", MLFLOW_TRACKING_TOKEN: "t" })?.auth).toEqual({ kind: "token", token: "t" });
    expect(loadMlflowConfig({ MLFLOW_TRACKING_URI: "https://m", MLFLOW_TRACKING_USERNAME: "u", MLFLOW_TRACKING_PASSWORD: "p" })?.auth).toEqual({ kind: "basic", username: "u", password: "p" });
    expect(loadMlflowConfig({ MLFLOW_TRACKING_URI: "https://m", MLOPS_MLFLOW_AUTH: "google" })?.auth).toEqual({ kind: "google" });
    expect(loadMlflowConfig({ MLFLOW_TRACKING_URI: "https://m", MLOPS_MLFLOW_UI_URL: "https://ui/" })?.uiUrl).toBe("https://ui");
  });

  it("refuses a file store or missing credentials, saying what to set", () => {
    expect(() => loadMlflowConfig({ MLFLOW_TRACKING_URI: "file:///tmp/mlruns" })).toThrow(/MLFLOW_TRACKING_URI: must be an http\(s\) URL/);
    expect(() => loadMlflowConfig({ MLFLOW_TRACKING_URI: "https://m", MLOPS_MLFLOW_AUTH: "basic" })).toThrow(/MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD must be set/);
  });

  it("names a repository's experiment", () => {
    expect(experimentName("{owner}/{repo}", { owner: "o", name: "r" })).toBe("o/r");
    expect(experimentName("team-x", { owner: "o", name: "r" })).toBe("team-x");
  });
});

describe("knownSecrets", () => {
  it("collects values of secret-named variables, each line of a key, longest first, skipping short ones", () => {
    const key = "-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEAx1\\nabcdefghijklmnop\\n-----END RSA PRIVATE KEY-----";
    const secrets = knownSecrets({ PRIVATE_KEY: key, WEBHOOK_SECRET: "hook-secret-value", MLOPS_REGISTRY_PASSWORD: "pw", PATH: "/usr/bin:/bin", APP_ID: "12345678" });
    expect(secrets).toContain("hook-secret-value");
    expect(secrets).toContain("MIIEowIBAAKCAQEAx1");
    expect(secrets).toContain("abcdefghijklmnop");
    expect(secrets).not.toContain("pw");
    expect(secrets).not.toContain("/usr/bin:/bin");
    expect(secrets).not.toContain("12345678");
    expect(secrets[0]!.length).toBeGreaterThanOrEqual(secrets.at(-1)!.length);
  });
});
