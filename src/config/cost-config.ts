import { z } from "zod";
import { ConfigError } from "../core/errors.js";
import { DEFAULT_PRICES, type PriceTable, type RunnerPrices } from "../core/costs/price-table.js";
import { readEnvSection } from "./read-env-section.js";
import { repoConfigSchema } from "./repo-config-schema.js";

/** What runs cost, and where the weekly summary of it goes. */
export interface CostConfig {
  readonly prices: PriceTable;
  /** The monthly budget the weekly summary compares with, in the prices' currency; unset: none. */
  readonly monthlyBudget: number | undefined;
  /** The issue the weekly summary is posted to; unset: no summary. */
  readonly summaryIssue: { readonly owner: string; readonly repo: string; readonly number: number } | undefined;
  /** The bearer token of `POST /tasks/weekly-cost-summary` (Cloud Scheduler); unset: no such route. */
  readonly tasksToken: string | undefined;
}

const runnerNames = repoConfigSchema.shape.runner.unwrap().options;
const price = z.number({ message: "must be a number (an amount per hour)" }).nonnegative("must not be negative");
const runnerPricesSchema = z.strictObject({
  vcpu_hour: price.optional(),
  gib_hour: price.optional(),
  gpu_hour: z.record(z.string().regex(/^[a-z0-9-]+$/, "must be a GPU type like nvidia-l4"), price).optional(),
});
const pricesSchema = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code like USD or EUR").optional(),
  ...Object.fromEntries(runnerNames.map((name) => [name, runnerPricesSchema.optional()])),
}) as z.ZodType<{ currency?: string } & Partial<Record<(typeof runnerNames)[number], z.output<typeof runnerPricesSchema>>>>;

const schema = z.object({
  MLOPS_PRICES: z.string().optional(),
  MLOPS_COST_BUDGET: z.coerce.number({ message: "must be an amount per month, like 200" }).positive("must be more than 0").optional(),
  MLOPS_COST_ISSUE: z
    .string()
    .regex(/^[\w.-]+\/[\w.-]+#\d+$/, "must name an issue as owner/repo#number, like my-org/ml-platform#12")
    .optional(),
  MLOPS_TASKS_TOKEN: z.string().min(16, "must be at least 16 characters (a random secret the scheduler sends as a bearer token)").optional(),
});

/** Reads the cost variables; a bad value is a `ConfigError` naming the variable (and the key of `MLOPS_PRICES`). */
export function loadCostConfig(env: NodeJS.ProcessEnv): CostConfig {
  const c = readEnvSection(schema, env);
  const issue = c.MLOPS_COST_ISSUE ? /^([\w.-]+)\/([\w.-]+)#(\d+)$/.exec(c.MLOPS_COST_ISSUE) : null;
  return {
    prices: c.MLOPS_PRICES ? readPrices(c.MLOPS_PRICES) : DEFAULT_PRICES,
    monthlyBudget: c.MLOPS_COST_BUDGET,
    summaryIssue: issue ? { owner: issue[1]!, repo: issue[2]!, number: Number(issue[3]) } : undefined,
    tasksToken: c.MLOPS_TASKS_TOKEN,
  };
}

/**
 * `MLOPS_PRICES` (JSON, per runner and hour: `{"docker": {"vcpu_hour": 0.04, "gib_hour": 0.005}}`)
 * over the defaults, key by key. Another currency must price every runner the defaults price,
 * so no USD default is read as that currency.
 */
function readPrices(text: string): PriceTable {
  const fail = (message: string): never => {
    throw new ConfigError([{ file: "environment variable MLOPS_PRICES", message }]);
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail(`is not JSON (${(e as Error).message}); write it like {"docker": {"vcpu_hour": 0.04, "gib_hour": 0.005}}`);
  }
  const parsed = pricesSchema.safeParse(json);
  if (!parsed.success) {
    const [first] = parsed.error.issues;
    return fail(`${first?.path.join(".") || "the value"}: ${first?.message ?? "invalid"} (runners: ${runnerNames.join(", ")}; keys: vcpu_hour, gib_hour, gpu_hour)`);
  }
  const given = parsed.data;
  const currency = given.currency ?? DEFAULT_PRICES.currency;
  const runners: Record<string, RunnerPrices> = {};
  for (const name of runnerNames) {
    const base = DEFAULT_PRICES.runners[name]!;
    const over = given[name];
    const defaultsPriced = base.vcpuHour > 0 || base.gibHour > 0 || Object.keys(base.gpuHour).length > 0;
    if (currency !== DEFAULT_PRICES.currency && defaultsPriced && (over?.vcpu_hour === undefined || over.gib_hour === undefined)) {
      fail(`says the currency is ${currency}, so "${name}" needs its own vcpu_hour and gib_hour (the defaults are in ${DEFAULT_PRICES.currency})`);
    }
    const gpuDefaults = currency === DEFAULT_PRICES.currency ? base.gpuHour : {};
    runners[name] = { vcpuHour: over?.vcpu_hour ?? base.vcpuHour, gibHour: over?.gib_hour ?? base.gibHour, gpuHour: { ...gpuDefaults, ...over?.gpu_hour } };
  }
  return { currency, runners };
}
