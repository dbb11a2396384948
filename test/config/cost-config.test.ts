import { describe, expect, it } from "vitest";
import { loadCostConfig } from "../../src/config/cost-config.js";
import { DEFAULT_PRICES } from "../../src/core/costs/price-table.js";
import { ConfigError } from "../../src/core/errors.js";

function failure(env: NodeJS.ProcessEnv): string {
  try {
    loadCostConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message;
  }
  throw new Error("expected a ConfigError");
}

describe("loadCostConfig", () => {
  it("defaults to Cloud Run's list prices, no budget and no summary", () => {
    expect(loadCostConfig({})).toEqual({ prices: DEFAULT_PRICES, monthlyBudget: undefined, summaryIssue: undefined, tasksToken: undefined });
  });

  it("reads MLOPS_PRICES over the defaults key by key, the budget and the summary's issue", () => {
    const config = loadCostConfig({
      MLOPS_PRICES: JSON.stringify({ docker: { vcpu_hour: 0.04, gib_hour: 0.005 }, "cloud-run": { gpu_hour: { "nvidia-a100": 3.5 } } }),
      MLOPS_COST_BUDGET: "200",
      MLOPS_COST_ISSUE: "my-org/ml-platform#12",
    });
    expect(config.prices.runners.docker).toEqual({ vcpuHour: 0.04, gibHour: 0.005, gpuHour: {} });
    expect(config.prices.runners["cloud-run"]).toEqual({ vcpuHour: 0.0648, gibHour: 0.0072, gpuHour: { "nvidia-l4": 0.67212, "nvidia-a100": 3.5 } });
    expect(config.prices.runners.local).toEqual(DEFAULT_PRICES.runners.local);
    expect(config.monthlyBudget).toBe(200);
    expect(config.summaryIssue).toEqual({ owner: "my-org", repo: "ml-platform", number: 12 });
  });

  it("takes another currency only with every default-priced runner priced in it", () => {
    expect(failure({ MLOPS_PRICES: '{"currency": "EUR", "docker": {"vcpu_hour": 0.04}}' })).toContain(
      'MLOPS_PRICES: says the currency is EUR, so "cloud-run" needs its own vcpu_hour and gib_hour (the defaults are in USD)',
    );
    const eur = loadCostConfig({ MLOPS_PRICES: '{"currency": "EUR", "cloud-run": {"vcpu_hour": 0.06, "gib_hour": 0.0066}}' });
    expect(eur.prices).toEqual({ currency: "EUR", runners: { "cloud-run": { vcpuHour: 0.06, gibHour: 0.0066, gpuHour: {} }, docker: DEFAULT_PRICES.runners.docker, local: DEFAULT_PRICES.runners.local } });
  });

  it("names the variable and the key of each bad value", () => {
    expect(failure({ MLOPS_PRICES: "{docker: 1}" })).toMatch(/environment variable MLOPS_PRICES: is not JSON .*write it like \{"docker"/);
    expect(failure({ MLOPS_PRICES: '{"kubernetes": {"vcpu_hour": 1}}' })).toContain("runners: local, docker, cloud-run");
    expect(failure({ MLOPS_PRICES: '{"docker": {"vcpu_hour": -1}}' })).toContain("docker.vcpu_hour: must not be negative");
    expect(failure({ MLOPS_PRICES: '{"docker": {"cpu_hour": 1}}' })).toContain("MLOPS_PRICES");
    expect(failure({ MLOPS_COST_BUDGET: "lots" })).toContain('environment variable MLOPS_COST_BUDGET: must be an amount per month, like 200 (got "lots")');
    expect(failure({ MLOPS_COST_ISSUE: "ml-platform/12" })).toContain("must name an issue as owner/repo#number");
  });
});
