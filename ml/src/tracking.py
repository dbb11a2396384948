"""Optional MLflow tracking. Off unless MLFLOW_TRACKING_URI is set.

mlflow is imported only when tracking is on, so the pipeline runs without it. train starts
a run (params, training metrics, the model) and leaves its id in .mlflow-run.json (ignored
by git, not a DVC output); evaluate adds the test metrics and plots to that run.

When MLFLOW_RUN_ID is set (mlops-bot creates and tags a run for each /train and passes its
id), both stages log to that run instead, in whatever experiment it belongs to.

A tracking server on Cloud Run behind IAM (an `https://….run.app` URI, or any URI with
MLFLOW_ID_TOKEN_AUDIENCE set) needs a Google ID token whose audience is the service URL: it is
fetched from the metadata server of the Cloud Run task (or with GOOGLE_APPLICATION_CREDENTIALS)
and handed to MLflow's client as MLFLOW_TRACKING_TOKEN, in this process only; never printed.
A token given in MLFLOW_TRACKING_TOKEN is used as it is.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

RUN_FILE = Path(".mlflow-run.json")
DEFAULT_EXPERIMENT = "mlops-bot-example"


def enabled() -> bool:
    return bool(os.environ.get("MLFLOW_TRACKING_URI", "").strip())


def given_run_id() -> str | None:
    """The run someone else made for this pipeline run (mlops-bot), if any."""
    return os.environ.get("MLFLOW_RUN_ID", "").strip() or None


def id_token_audience(uri: str) -> str | None:
    """The audience of the ID token this tracking URI needs, or None when it needs none."""
    explicit = os.environ.get("MLFLOW_ID_TOKEN_AUDIENCE", "").strip()
    if explicit:
        return explicit
    parts = urlsplit(uri)
    if parts.scheme == "https" and (parts.hostname or "").endswith(".run.app"):
        return f"https://{parts.netloc}"  # the service URL, without a path
    return None


def _authenticate(uri: str) -> None:
    """Put a Google ID token for a Cloud Run tracking server into MLFLOW_TRACKING_TOKEN."""
    audience = id_token_audience(uri)
    if audience is None or os.environ.get("MLFLOW_TRACKING_TOKEN", "").strip():
        return
    import google.auth.exceptions
    import google.auth.transport.requests
    import google.oauth2.id_token

    try:
        token = google.oauth2.id_token.fetch_id_token(
            google.auth.transport.requests.Request(), audience)
    except google.auth.exceptions.GoogleAuthError as e:
        raise SystemExit(
            f"mlflow: MLFLOW_TRACKING_URI={uri} needs a Google ID token for {audience} "
            f"(a Cloud Run service behind IAM), and none could be fetched: {e}. Run in a Cloud "
            "Run task or on GCE (the metadata server mints it), set GOOGLE_APPLICATION_CREDENTIALS "
            "to a service account key file, or set MLFLOW_TRACKING_TOKEN "
            "(gcloud auth print-identity-token).") from None
    os.environ["MLFLOW_TRACKING_TOKEN"] = token
    print(f"mlflow: using a Google ID token for {audience}")


def _mlflow():
    uri = os.environ["MLFLOW_TRACKING_URI"].strip()
    _authenticate(uri)
    # mlflow >= 3.7 refuses the file store unless asked; a file: URI here is that ask.
    if uri.startswith("file:") or "://" not in uri:
        os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    import mlflow

    mlflow.set_tracking_uri(uri)
    # A given run already has its experiment: setting another one would refuse to resume it.
    if not given_run_id():
        mlflow.set_experiment(os.environ.get("MLFLOW_EXPERIMENT_NAME", DEFAULT_EXPERIMENT))
    return mlflow


def log_training(params: dict[str, Any], metrics: dict[str, float], model: Any) -> str | None:
    """Start a run with params, training metrics and the sklearn model; return its id."""
    if not enabled():
        RUN_FILE.unlink(missing_ok=True)
        return None
    mlflow = _mlflow()
    import mlflow.sklearn
    import sklearn

    with mlflow.start_run(run_id=given_run_id()) as run:
        mlflow.log_params(params)
        mlflow.log_metrics(metrics)
        mlflow.sklearn.log_model(
            model,
            name="model",
            serialization_format="cloudpickle",
            # Explicit requirements skip mlflow's slow import-tracing of the model.
            pip_requirements=[f"scikit-learn=={sklearn.__version__}"],
        )
        run_id = run.info.run_id
    RUN_FILE.write_text(json.dumps({"tracking_uri": mlflow.get_tracking_uri(),
                                    "run_id": run_id}) + "\n")
    print(f"mlflow: run {run_id} at {mlflow.get_tracking_uri()}")
    return run_id


def log_evaluation(metrics: dict[str, float], artifacts: list[Path]) -> str | None:
    """Add test metrics and plot files to the training run (or a new run if it is gone)."""
    if not enabled():
        return None
    mlflow = _mlflow()
    run_id = given_run_id()
    if run_id is None and RUN_FILE.exists():
        saved = json.loads(RUN_FILE.read_text())
        if saved.get("tracking_uri") == mlflow.get_tracking_uri():
            run_id = saved.get("run_id")
    try:
        run = mlflow.start_run(run_id=run_id)
    except Exception:  # our own run was deleted or lives elsewhere: log to a fresh one
        if given_run_id():
            raise
        run = mlflow.start_run()
    with run:
        mlflow.log_metrics({f"test_{k}": v for k, v in metrics.items()})
        for path in artifacts:
            mlflow.log_artifact(str(path), artifact_path="plots")
        run_id = run.info.run_id
    print(f"mlflow: test metrics logged to run {run_id}")
    return run_id
