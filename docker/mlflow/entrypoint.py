"""Entry point of the MLflow image: composes the backend store URI and starts `mlflow server`.

Backend store, the first that is set:
  MLFLOW_CLOUD_SQL_INSTANCE  <project>:<region>:<instance>, with MLFLOW_DB_USER, MLFLOW_DB_NAME and
                             MLFLOW_DB_PASSWORD: PostgreSQL through the unix socket that Cloud Run's
                             Cloud SQL connection (or the Cloud SQL Auth Proxy) serves in
                             /cloudsql/<instance> (MLFLOW_CLOUD_SQL_SOCKET_DIR to change /cloudsql)
  MLFLOW_BACKEND_STORE_URI   any SQLAlchemy URI (the image's default: SQLite in /var/lib/mlflow)
Artifacts: MLFLOW_ARTIFACTS_DESTINATION (gs://bucket/prefix, file:///path), served through the
server (proxied: clients never need access to the bucket).
Also: PORT (Cloud Run's; default 5000), MLFLOW_WORKERS (default 2), MLFLOW_SERVER_ALLOWED_HOSTS
(read by MLflow itself: the Host headers it accepts besides localhost and private addresses).

The password reaches MLflow inside the URI in its environment, never on a command line, and is
not printed. A missing or bad setting exits 2 with the variable's name.
"""

import os
import sys
import urllib.parse


def backend_store_uri(env):
    """The SQLAlchemy URI of the backend store, or a ValueError naming what to set."""
    instance = env.get("MLFLOW_CLOUD_SQL_INSTANCE", "").strip()
    if not instance:
        if env.get("MLFLOW_BACKEND_STORE_URI", "").strip():
            return env["MLFLOW_BACKEND_STORE_URI"].strip()
        raise ValueError("set MLFLOW_BACKEND_STORE_URI (a database URI), or MLFLOW_CLOUD_SQL_INSTANCE with MLFLOW_DB_USER, MLFLOW_DB_NAME and MLFLOW_DB_PASSWORD")
    if instance.count(":") != 2 or any(not part for part in instance.split(":")):
        raise ValueError(f"MLFLOW_CLOUD_SQL_INSTANCE must be <project>:<region>:<instance>, not {instance!r}")
    missing = [name for name in ("MLFLOW_DB_USER", "MLFLOW_DB_NAME", "MLFLOW_DB_PASSWORD") if not env.get(name)]
    if missing:
        raise ValueError(f"MLFLOW_CLOUD_SQL_INSTANCE is set, so {', '.join(missing)} must be too")
    quote = lambda value: urllib.parse.quote(value, safe="")  # noqa: E731
    socket_dir = env.get("MLFLOW_CLOUD_SQL_SOCKET_DIR", "/cloudsql").rstrip("/")
    host = urllib.parse.quote(f"{socket_dir}/{instance}", safe="/:")
    return f"postgresql+psycopg2://{quote(env['MLFLOW_DB_USER'])}:{quote(env['MLFLOW_DB_PASSWORD'])}@/{quote(env['MLFLOW_DB_NAME'])}?host={host}"


def server_argv(env):
    """The `mlflow server` command line (no secrets in it)."""
    port = env.get("PORT", "5000")
    workers = env.get("MLFLOW_WORKERS", "2")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"PORT must be a port number, not {port!r}")
    if not workers.isdigit() or not 0 < int(workers) <= 64:
        raise ValueError(f"MLFLOW_WORKERS must be a whole number from 1 to 64, not {workers!r}")
    if not env.get("MLFLOW_ARTIFACTS_DESTINATION", "").strip():
        raise ValueError("set MLFLOW_ARTIFACTS_DESTINATION, like gs://my-bucket/mlflow or file:///var/lib/mlflow/artifacts")
    return ["mlflow", "server", "--host", "0.0.0.0", "--port", port, "--workers", workers, "--serve-artifacts"]


def main():
    env = dict(os.environ)
    try:
        env["MLFLOW_BACKEND_STORE_URI"] = backend_store_uri(env)
        argv = server_argv(env)
    except ValueError as error:
        print(f"mlflow entrypoint: {error}", file=sys.stderr)
        return 2
    env.pop("MLFLOW_DB_PASSWORD", None)
    env.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    scheme = env["MLFLOW_BACKEND_STORE_URI"].split(":", 1)[0]
    print(f"mlflow entrypoint: {' '.join(argv)} (backend {scheme}, artifacts {env['MLFLOW_ARTIFACTS_DESTINATION']})", file=sys.stderr, flush=True)
    os.execvpe(argv[0], argv, env)
    return 1


if __name__ == "__main__":
    sys.exit(main())
