"""The ONNX model and the parity fixture the TypeScript inference server relies on."""

from __future__ import annotations

import io
import json
import pickle
import shutil
import sys

import numpy as np
import onnx
import onnxruntime as ort
import pandas as pd
import pytest

from common import feature_columns, load_params
from pipeline_helpers import copy_project, run, run_pipeline, set_param

TOLERANCE = 1e-5


def load_test_split(project):
    test = pd.read_csv(project / "data/prepared/test.csv")
    return test[feature_columns(list(test.columns))].to_numpy(dtype=np.float64)


def sklearn_and_onnx(project):
    with open(project / "models/model.pkl", "rb") as f:
        pipeline = pickle.load(f)
    session = ort.InferenceSession(str(project / "models/model.onnx"),
                                   providers=["CPUExecutionProvider"])
    return pipeline, session


def assert_parity(project):
    X = load_test_split(project)
    pipeline, session = sklearn_and_onnx(project)
    labels, probabilities = session.run(None, {"float_input": X.astype(np.float32)})
    np.testing.assert_allclose(probabilities, pipeline.predict_proba(X), rtol=0, atol=TOLERANCE)
    np.testing.assert_array_equal(labels, pipeline.predict(X))


def test_onnx_signature(built):
    n_features = load_params(built / "params.yaml")["data"]["n_features"]
    model = onnx.load(str(built / "models/model.onnx"))
    onnx.checker.check_model(model)
    session = ort.InferenceSession(str(built / "models/model.onnx"),
                                   providers=["CPUExecutionProvider"])
    [given] = session.get_inputs()
    assert (given.name, given.type) == ("float_input", "tensor(float)")
    assert given.shape == [None, n_features]  # any batch size
    label, probabilities = session.get_outputs()
    assert (label.name, label.type, label.shape) == ("label", "tensor(int64)", [None])
    assert (probabilities.name, probabilities.type, probabilities.shape) == \
        ("probabilities", "tensor(float)", [None, 2])
    assert "ZipMap" not in {node.op_type for node in model.graph.node}
    assert "Scaler" in {node.op_type for node in model.graph.node}  # raw features go in
    meta = session.get_modelmeta().custom_metadata_map
    assert json.loads(meta["feature_names"]) == [f"f{i}" for i in range(n_features)]
    assert json.loads(meta["classes"]) == [0, 1]
    assert meta["model"] == "gradient_boosting"


def test_onnx_matches_sklearn_on_the_test_split(built):
    assert_parity(built)


def test_onnx_matches_sklearn_for_random_forest_too(built, tmp_path):
    project = copy_project(tmp_path / "ml")
    set_param(project, "train", "model", "random_forest")
    set_param(project, "train", "max_depth", "8")
    shutil.copytree(built / "data", project / "data")
    shutil.copytree(built / "models", project / "models")
    run_pipeline(project, stages=("train", "evaluate", "export"))
    assert_parity(project)
    metrics = json.loads((project / "metrics.json").read_text())
    assert metrics["accuracy"] >= 0.85
    meta = onnx.load(str(project / "models/model.onnx")).metadata_props
    assert {p.key: p.value for p in meta}["model"] == "random_forest"


def test_onnx_model_bytes_are_stable(built, tmp_path):
    project = copy_project(tmp_path / "ml")
    shutil.copytree(built / "data", project / "data")
    shutil.copytree(built / "models", project / "models")
    run_pipeline(project, stages=("export",))
    assert (project / "models/model.onnx").read_bytes() == \
        (built / "models/model.onnx").read_bytes()


def test_parity_fixture(built):
    parity = json.loads((built / "models/parity.json").read_text())
    X = load_test_split(built)
    pipeline, session = sklearn_and_onnx(built)
    assert parity["feature_names"] == [f"f{i}" for i in range(X.shape[1])]
    assert parity["classes"] == [0, 1]
    assert parity["input_name"] == "float_input"
    assert parity["output_names"] == ["label", "probabilities"]
    assert np.array_equal(np.array(parity["instances"]), X)  # raw, unscaled test rows
    assert np.array_equal(np.array(parity["probabilities"]), pipeline.predict_proba(X))
    assert parity["labels"] == pipeline.predict(X).tolist()
    _, probabilities = session.run(None, {"float_input": np.array(parity["instances"],
                                                                   dtype=np.float32)})
    assert np.abs(probabilities - np.array(parity["probabilities"])).max() \
        == pytest.approx(parity["onnx_max_abs_diff"], abs=1e-9)
    assert parity["onnx_max_abs_diff"] <= parity["tolerance"] == TOLERANCE


@pytest.mark.parametrize("model", ["models/model.onnx", "models/model.pkl"])
def test_predict_cli(built, model):
    result = run([sys.executable, "src/predict.py", "data/prepared/test.csv", "--model", model],
                 built)
    out = pd.read_csv(io.StringIO(result.stdout))
    parity = json.loads((built / "models/parity.json").read_text())
    test = pd.read_csv(built / "data/prepared/test.csv")
    assert list(out.columns) == ["id", "label", "proba_0", "proba_1"]
    assert out["id"].tolist() == test["id"].tolist()
    assert out["label"].tolist() == parity["labels"]
    np.testing.assert_allclose(out[["proba_0", "proba_1"]].to_numpy(),
                               parity["probabilities"], atol=1e-5)


def test_predict_cli_names_missing_columns(built, tmp_path):
    (tmp_path / "bad.csv").write_text("f0,f1\n1.0,2.0\n")
    with pytest.raises(AssertionError, match="lacks feature columns f2"):
        run([sys.executable, "src/predict.py", str(tmp_path / "bad.csv")], built)
