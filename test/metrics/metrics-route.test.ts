import { describe, expect, it } from "vitest";
import { createBotMetrics } from "../../src/metrics/bot-metrics.js";
import { toRoute } from "../../src/metrics/github-metrics-plugin.js";
import { METRICS_TOKEN, sample, scrapeMetrics } from "../helpers/scrape-metrics.js";

describe("GET /metrics", () => {
  it("serves the page to a scraper with the bearer token", async () => {
    const metrics = createBotMetrics();
    metrics.webhook("issue_comment.created", "handled");
    const { status, text } = await scrapeMetrics(metrics.registry);
    expect(status).toBe(200);
    expect(sample(text, 'mlops_bot_webhooks_total{event="issue_comment.created",outcome="handled"}')).toBe(1);
    expect(text).toContain("process_cpu_user_seconds_total");
  });

  it("refuses a scraper without the token or with another one, and does not exist when no token is configured", async () => {
    const { registry } = createBotMetrics();
    expect((await scrapeMetrics(registry, { token: undefined })).status).toBe(401);
    const wrong = await scrapeMetrics(registry, { token: `${METRICS_TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain(METRICS_TOKEN);
    expect((await scrapeMetrics(registry, { configured: undefined })).status).toBe(404);
  });
});

describe("GitHub route labels", () => {
  it("keep templates, and reduce a next-page URL to one without owner, repository or numbers", () => {
    expect(toRoute("/repos/{owner}/{repo}/issues/{issue_number}/comments")).toBe("/repos/{owner}/{repo}/issues/{issue_number}/comments");
    expect(toRoute("https://api.github.com/repos/secret-org/secret-repo/issues/3/comments?per_page=100&page=2")).toBe("/repos/{owner}/{repo}/issues/{id}/comments");
    expect(toRoute("https://ghe.example.com/api/v3/repositories/42/issues/7/comments?page=3")).toBe("/repositories/{repository_id}/issues/{id}/comments");
  });
});
