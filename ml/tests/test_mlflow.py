"""MLflow logging: on with MLFLOW_TRACKING_URI, absent (not even imported) without it."""

from __future__ import annotations

import json
import shutil
import sys

import pytest

from pipeline_helpers import copy_project, pipeline_env, run, run_pipeline


@pytest.fixture
def project(built, tmp_path):
    project = copy_project(tmp_path / "ml")
    shutil.copytree(built / "data", project / "data")
    shutil.copytree(built / "models", project / "models")
    return project


def test_logs_params_metrics_model_and_plots_to_a_file_store(project, tmp_path, monkeypatch):
    mlflow = pytest.importorskip("mlflow")
    uri = (tmp_path / "mlruns").as_uri()
    env = pipeline_env(MLFLOW_TRACKING_URI=uri, MLFLOW_EXPERIMENT_NAME="tests")
    run_pipeline(project, stages=("train", "evaluate"), env=env)

    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    monkeypatch.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
    client = mlflow.MlflowClient(tracking_uri=uri)
    experiment = client.get_experiment_by_name("tests")
    [logged] = client.search_runs([experiment.experiment_id])
    run_id = json.loads((project / ".mlflow-run.json").read_text())["run_id"]
    assert logged.info.run_id == run_id

    assert logged.data.params["train.model"] == "gradient_boosting"
    assert logged.data.params["train.learning_rate"] == "0.1"
    assert logged.data.params["data.n_samples"] == "2000"
    metrics = json.loads((project / "metrics.json").read_text())
    for name, value in metrics.items():
        assert logged.data.metrics[f"test_{name}"] == pytest.approx(value)
    assert 0.0 <= logged.data.metrics["train_accuracy"] <= 1.0
    plots = {a.path for a in client.list_artifacts(run_id, "plots")}
    assert plots == {"plots/roc.json", "plots/confusion.csv"}

    mlflow.set_tracking_uri(uri)
    model = mlflow.sklearn.load_model(f"runs:/{run_id}/model")
    assert [name for name, _ in model.steps] == ["scaler", "model"]


def test_without_tracking_uri_mlflow_is_not_used(project):
    env = pipeline_env()
    assert "MLFLOW_TRACKING_URI" not in env
    script = ("import runpy, sys; sys.path.insert(0, 'src'); "
              "runpy.run_path('src/train.py', run_name='__main__'); "
              "runpy.run_path('src/evaluate.py', run_name='__main__'); "
              "print('mlflow imported:', 'mlflow' in sys.modules)")
    result = run([sys.executable, "-c", script], project, env)
    assert "mlflow imported: False" in result.stdout
    assert not (project / "mlruns").exists()
    assert not (project / ".mlflow-run.json").exists()


def test_logs_to_the_run_given_in_mlflow_run_id(project, tmp_path, monkeypatch):
    """mlops-bot makes and tags the run, then passes MLFLOW_RUN_ID: both stages log to it."""
    mlflow = pytest.importorskip("mlflow")
    uri = (tmp_path / "mlruns").as_uri()
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    monkeypatch.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
    client = mlflow.MlflowClient(tracking_uri=uri)
    experiment_id = client.create_experiment("octo-org/ml-repo")
    given = client.create_run(experiment_id, tags={"mlops_bot.pr": "7"}, run_name="#7")

    env = pipeline_env(MLFLOW_TRACKING_URI=uri, MLFLOW_RUN_ID=given.info.run_id,
                       MLFLOW_EXPERIMENT_NAME="some-other-experiment")
    run_pipeline(project, stages=("train", "evaluate"), env=env)

    [logged] = client.search_runs([experiment_id])
    assert logged.info.run_id == given.info.run_id
    assert logged.data.tags["mlops_bot.pr"] == "7"
    assert logged.data.params["train.model"] == "gradient_boosting"
    assert "test_roc_auc" in logged.data.metrics and "train_accuracy" in logged.data.metrics
    assert {a.path for a in client.list_artifacts(given.info.run_id, "plots")} == \
        {"plots/roc.json", "plots/confusion.csv"}
    # Nothing went to the experiment the variables would otherwise pick.
    assert client.get_experiment_by_name("some-other-experiment") is None
