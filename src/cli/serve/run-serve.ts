import { formatProblem } from "../../core/problem.js";
import { createServeLogger } from "../../serve/create-serve-logger.js";
import { runServerUntilSignal } from "../../serve/run-server-until-signal.js";
import { parseServeConfig, serveFlags, type ServeSetting } from "../../serve/serve-config.js";
import type { CliIo } from "../cli-command.js";
import type { ServeFlags } from "../commands/serve.js";

/** The inference server with the given flags over the environment's settings, until a signal. */
export async function runServe(values: ServeFlags, io: CliIo): Promise<number> {
  const flags: Partial<Record<ServeSetting, string>> = {};
  for (const [name, value] of Object.entries(values)) {
    const setting = serveFlags.get(`--${name}`);
    if (setting && value !== undefined) flags[setting] = value;
  }
  const config = parseServeConfig({ env: io.env, cwd: io.cwd, flags });
  if (!config.ok) {
    io.err(`mlops-bot serve: invalid settings:\n${config.error.map((p) => `  ${formatProblem(p)}`).join("\n")}\n`);
    return 2;
  }
  return runServerUntilSignal({
    config: config.value,
    logger: createServeLogger(config.value),
    onStarted: (handle) => io.err(`mlops-bot serve: ${handle.url} serving ${config.value.modelPath} (Ctrl-C stops)\n`),
  });
}
