import { existsSync, readFileSync } from "node:fs";

/**
 * The variables scripts/start-test-services.sh wrote for the tests (its env file), under the
 * process environment, which wins: `MLOPS_TEST_DOCKER_HOST`, `MLOPS_TEST_GCS_ENDPOINT`, ...
 */
export function testServicesEnv(): Record<string, string | undefined> {
  const file = `${process.env.MLOPS_TEST_SERVICES_DIR ?? "/tmp/mlops-bot-test-services"}/env`;
  const env: Record<string, string | undefined> = {};
  if (existsSync(file)) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const eq = line.indexOf("=");
      if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return { ...env, ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("MLOPS_TEST_"))) };
}
