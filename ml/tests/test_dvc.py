"""The real DVC pipeline in a fresh git repository: repro, metrics, and a parameter change."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
import yaml

from pipeline_helpers import ML_ROOT, copy_project, dvc, set_param

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

GIT_ENV = {"GIT_AUTHOR_NAME": "tests", "GIT_AUTHOR_EMAIL": "tests@example.invalid",
           "GIT_COMMITTER_NAME": "tests", "GIT_COMMITTER_EMAIL": "tests@example.invalid"}


def git(repo, *args: str) -> str:
    return subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=repo,
                          env={**os.environ, **GIT_ENV}, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def repo(tmp_path):
    """The committed sources of ml/ as the root of a fresh git repo: no cache, no outputs."""
    repo = copy_project(tmp_path / "repo")
    git(repo, "init", "-q")
    return repo


def test_repro_then_change_a_hyper_parameter(repo):
    first = dvc(repo, "repro")
    for stage in ("generate", "preprocess", "train", "evaluate", "export"):
        assert f"Running stage '{stage}'" in first.stdout
    for out in ("data/raw/dataset.csv", "data/prepared/train.csv", "data/prepared/test.csv",
                "models/scaler.pkl", "models/model.pkl", "models/model.onnx",
                "models/parity.json", "metrics.json", "plots/roc.json", "plots/confusion.csv"):
        assert (repo / out).is_file(), out
    lock = (repo / "dvc.lock").read_text()
    assert set(yaml.safe_load(lock)["stages"]) == \
        {"generate", "preprocess", "train", "evaluate", "export"}
    # The same sources give the same lock as the one committed in ml/: dvc.lock is current.
    assert lock == (ML_ROOT / "dvc.lock").read_text(), \
        "ml/dvc.lock is stale: run `dvc repro` in ml/ and commit dvc.lock, metrics.json, plots/"
    assert "Data and pipelines are up to date" in dvc(repo, "status").stdout

    shown = json.loads(dvc(repo, "metrics", "show", "--json").stdout)
    metrics = json.loads((repo / "metrics.json").read_text())
    assert shown[""]["data"]["metrics.json"]["data"] == metrics

    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first run")
    assert git(repo, "status", "--porcelain") == ""  # outputs are ignored, results committed

    set_param(repo, "train", "learning_rate", "0.05")
    second = dvc(repo, "repro")
    assert "Stage 'generate' didn't change, skipping" in second.stdout
    assert "Stage 'preprocess' didn't change, skipping" in second.stdout
    assert "Running stage 'train'" in second.stdout
    assert (repo / "dvc.lock").read_text() != lock
    assert "learning_rate: 0.05" in (repo / "dvc.lock").read_text()
    new_metrics = json.loads((repo / "metrics.json").read_text())
    assert new_metrics != metrics

    params_diff = json.loads(dvc(repo, "params", "diff", "--json").stdout)
    assert params_diff == {"params.yaml": {"train.learning_rate": {
        "old": 0.1, "new": 0.05, "diff": pytest.approx(-0.05)}}}
    metrics_diff = json.loads(dvc(repo, "metrics", "diff", "--json").stdout)["metrics.json"]
    changed = {name for name, d in metrics_diff.items() if d["old"] != d["new"]}
    assert changed and changed <= set(metrics)
    for name in changed:
        assert metrics_diff[name] == {"old": metrics[name], "new": new_metrics[name],
                                      "diff": pytest.approx(new_metrics[name] - metrics[name])}
