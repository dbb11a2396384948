import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/example-repo.js";

const run = promisify(execFile);

/**
 * docker/mlflow/entrypoint.py's composition of the backend store URI, run by a real Python: what
 * the Cloud Run service's environment (infra/modules/mlflow) becomes, parsed back the way
 * SQLAlchemy and libpq read it. The image test runs the whole entry point against PostgreSQL.
 */
interface Composed {
  uri?: string;
  /** The URI read back by urllib (as SQLAlchemy's make_url does: split, then unquote). */
  parsed?: { scheme: string; user: string; password: string; host: string; database: string; query: Record<string, string[]> };
  argv?: string[];
  error?: string;
}

async function compose(env: Record<string, string>): Promise<Composed> {
  const script = [
    "import json, sys, urllib.parse as u",
    `sys.path.insert(0, ${JSON.stringify(path.join(ROOT, "docker/mlflow"))})`,
    "import entrypoint",
    "env = json.loads(sys.argv[1])",
    "try:",
    "    uri = entrypoint.backend_store_uri(env)",
    "    p = u.urlsplit(uri)",
    "    parsed = {'scheme': p.scheme, 'user': u.unquote(p.username or ''), 'password': u.unquote(p.password or ''), 'host': p.hostname or '',",
    "              'database': u.unquote(p.path[1:]), 'query': u.parse_qs(p.query)}",
    "    print(json.dumps({'uri': uri, 'parsed': parsed, 'argv': entrypoint.server_argv(env)}))",
    "except ValueError as e:",
    "    print(json.dumps({'error': str(e)}))",
  ].join("\n");
  const { stdout } = await run(path.join(ROOT, ".venv/bin/python"), ["-c", script, JSON.stringify(env)]);
  return JSON.parse(stdout) as Composed;
}

const cloudSql = {
  MLFLOW_CLOUD_SQL_INSTANCE: "my-project:europe-west1:mlops-bot-mlflow-3f2a",
  MLFLOW_DB_USER: "mlflow",
  MLFLOW_DB_NAME: "mlflow",
  MLFLOW_DB_PASSWORD: "p@ss:/w?rd#%&=+ ü",
  MLFLOW_ARTIFACTS_DESTINATION: "gs://bucket/mlflow",
};

describe("docker/mlflow/entrypoint.py", () => {
  it("turns the Cloud SQL settings into a PostgreSQL URI on the connector's socket, the password quoted so that it parses back", async () => {
    const { parsed, argv } = await compose({ ...cloudSql, MLFLOW_BACKEND_STORE_URI: "sqlite:////var/lib/mlflow/mlflow.db", PORT: "8080" });
    expect(parsed).toEqual({
      scheme: "postgresql+psycopg2",
      user: "mlflow",
      password: cloudSql.MLFLOW_DB_PASSWORD,
      host: "", // no TCP host: libpq takes the socket folder from ?host=
      database: "mlflow",
      query: { host: ["/cloudsql/my-project:europe-west1:mlops-bot-mlflow-3f2a"] },
    });
    expect(argv).toEqual(["mlflow", "server", "--host", "0.0.0.0", "--port", "8080", "--workers", "2", "--serve-artifacts"]);
    expect(argv!.join(" ")).not.toContain("p@ss");
  });

  it("takes MLFLOW_BACKEND_STORE_URI when no Cloud SQL instance is set", async () => {
    expect((await compose({ MLFLOW_BACKEND_STORE_URI: "sqlite:////data/m.db", MLFLOW_ARTIFACTS_DESTINATION: "file:///a" })).uri).toBe("sqlite:////data/m.db");
  });

  it.each([
    ["no backend", { MLFLOW_ARTIFACTS_DESTINATION: "gs://b/m" }, "set MLFLOW_BACKEND_STORE_URI (a database URI), or MLFLOW_CLOUD_SQL_INSTANCE with MLFLOW_DB_USER, MLFLOW_DB_NAME and MLFLOW_DB_PASSWORD"],
    ["a short instance name", { ...cloudSql, MLFLOW_CLOUD_SQL_INSTANCE: "my-project:mlflow" }, "MLFLOW_CLOUD_SQL_INSTANCE must be <project>:<region>:<instance>, not 'my-project:mlflow'"],
    ["no password", { ...cloudSql, MLFLOW_DB_PASSWORD: "" }, "MLFLOW_CLOUD_SQL_INSTANCE is set, so MLFLOW_DB_PASSWORD must be too"],
    ["a bad PORT", { ...cloudSql, PORT: "http" }, "PORT must be a port number, not 'http'"],
    ["no workers", { ...cloudSql, MLFLOW_WORKERS: "0" }, "MLFLOW_WORKERS must be a whole number from 1 to 64, not '0'"],
    ["no artifacts destination", { ...cloudSql, MLFLOW_ARTIFACTS_DESTINATION: " " }, "set MLFLOW_ARTIFACTS_DESTINATION, like gs://my-bucket/mlflow or file:///var/lib/mlflow/artifacts"],
  ])("refuses %s with a message naming the variable", async (_name, env, message) => {
    expect((await compose(env)).error).toBe(message);
  });
});
