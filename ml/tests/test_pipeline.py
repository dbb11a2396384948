"""The plain-python pipeline: determinism, a clean split, metrics and plot formats."""

from __future__ import annotations

import json
import pickle
import shutil

import numpy as np
import pandas as pd
import pytest

from common import feature_columns, flatten, load_params
from pipeline_helpers import copy_project, run_pipeline, run_stage, set_param

OUTPUTS = ("data/raw/dataset.csv", "data/prepared/train.csv", "data/prepared/test.csv",
           "metrics.json", "plots/roc.json", "plots/confusion.csv", "models/model.onnx",
           "models/parity.json")
METRICS = ("accuracy", "precision", "recall", "f1", "roc_auc")


def test_same_seed_gives_identical_data_metrics_and_model(built, tmp_path):
    again = run_pipeline(copy_project(tmp_path / "ml"))
    for name in OUTPUTS:
        assert (again / name).read_bytes() == (built / name).read_bytes(), name


def test_another_seed_gives_other_data(built, tmp_path):
    other = copy_project(tmp_path / "ml")
    set_param(other, "data", "seed", "12")
    run_stage(other, "generate")
    assert load_params(other / "params.yaml")["data"]["seed"] == 12
    ours = pd.read_csv(built / "data/raw/dataset.csv")
    theirs = pd.read_csv(other / "data/raw/dataset.csv")
    assert ours.shape == theirs.shape
    assert not np.allclose(ours.to_numpy(), theirs.to_numpy())


def test_data_follows_params(built):
    params = load_params(built / "params.yaml")["data"]
    frame = pd.read_csv(built / "data/raw/dataset.csv")
    assert len(frame) == params["n_samples"]
    assert feature_columns(list(frame.columns)) == [f"f{i}" for i in range(params["n_features"])]
    assert set(frame["label"]) == {0, 1}
    assert abs(frame["label"].mean() - params["positive_fraction"]) < 0.05


def test_no_test_rows_in_training(built):
    train = pd.read_csv(built / "data/prepared/train.csv")
    test = pd.read_csv(built / "data/prepared/test.csv")
    dataset = pd.read_csv(built / "data/raw/dataset.csv")
    assert set(train["id"]).isdisjoint(test["id"])
    assert sorted([*train["id"], *test["id"]]) == list(range(len(dataset)))
    features = feature_columns(list(train.columns))
    train_rows = set(map(tuple, train[features].to_numpy()))
    assert not any(tuple(row) in train_rows for row in test[features].to_numpy())
    # each split row is the data set row it claims to be
    np.testing.assert_array_equal(test[features].to_numpy(),
                                  dataset.loc[test["id"], features].to_numpy())
    test_size = load_params(built / "params.yaml")["split"]["test_size"]
    assert len(test) == round(len(dataset) * test_size)
    assert abs(test["label"].mean() - train["label"].mean()) < 0.01  # stratified


def test_scaler_is_fitted_on_train_only(built):
    train = pd.read_csv(built / "data/prepared/train.csv")
    dataset = pd.read_csv(built / "data/raw/dataset.csv")
    features = feature_columns(list(train.columns))
    with open(built / "models/scaler.pkl", "rb") as f:
        scaler = pickle.load(f)
    np.testing.assert_allclose(scaler.mean_, train[features].mean().to_numpy())
    np.testing.assert_allclose(scaler.scale_, train[features].std(ddof=0).to_numpy())
    assert not np.allclose(scaler.mean_, dataset[features].mean().to_numpy())
    with open(built / "models/model.pkl", "rb") as f:
        pipeline = pickle.load(f)
    assert [name for name, _ in pipeline.steps] == ["scaler", "model"]
    np.testing.assert_array_equal(pipeline.named_steps["scaler"].mean_, scaler.mean_)


def test_metrics_are_in_range_and_good_enough(built):
    metrics = json.loads((built / "metrics.json").read_text())
    assert list(metrics) == list(METRICS)
    for name, value in metrics.items():
        assert isinstance(value, float), name
        assert 0.0 <= value <= 1.0, name
    assert metrics["accuracy"] >= 0.85
    assert metrics["roc_auc"] >= 0.9


def test_roc_plot_is_a_curve_from_0_0_to_1_1(built):
    points = json.loads((built / "plots/roc.json").read_text())["roc"]
    fpr = [p["fpr"] for p in points]
    tpr = [p["tpr"] for p in points]
    assert (fpr[0], tpr[0]) == (0.0, 0.0) and (fpr[-1], tpr[-1]) == (1.0, 1.0)
    assert fpr == sorted(fpr) and tpr == sorted(tpr)
    assert all(0.0 <= v <= 1.0 for v in fpr + tpr)
    # trapezoidal area under the plotted points = roc_auc
    area = sum((fpr[i + 1] - fpr[i]) * (tpr[i + 1] + tpr[i]) / 2 for i in range(len(points) - 1))
    metrics = json.loads((built / "metrics.json").read_text())
    assert area == pytest.approx(metrics["roc_auc"], abs=1e-4)


def test_confusion_plot_has_one_row_per_test_row(built):
    confusion = pd.read_csv(built / "plots/confusion.csv")
    test = pd.read_csv(built / "data/prepared/test.csv")
    assert list(confusion.columns) == ["actual", "predicted"]
    assert confusion["actual"].tolist() == test["label"].tolist()
    assert set(confusion["predicted"]) <= {0, 1}
    metrics = json.loads((built / "metrics.json").read_text())
    accuracy = (confusion["actual"] == confusion["predicted"]).mean()
    assert accuracy == pytest.approx(metrics["accuracy"], abs=1e-6)


def test_unknown_model_name_fails_with_a_clear_message(built, tmp_path):
    project = copy_project(tmp_path / "ml")
    set_param(project, "train", "model", "svm")
    for folder in ("data", "models"):
        shutil.copytree(built / folder, project / folder)
    with pytest.raises(AssertionError, match="gradient_boosting, random_forest"):
        run_stage(project, "train")


def test_params_are_scalar_leaves_the_bot_can_override():
    from pipeline_helpers import ML_ROOT

    flat = flatten(load_params(ML_ROOT / "params.yaml"))
    assert all(type(v) in (int, float, str) for v in flat.values()), flat
    assert isinstance(flat["train.learning_rate"], float)
    assert isinstance(flat["train.n_estimators"], int)
    assert flat["train.model"] in ("gradient_boosting", "random_forest")
