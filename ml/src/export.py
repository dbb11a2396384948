"""Stage export: the sklearn pipeline (scaler + model) to ONNX, plus a parity fixture.

models/model.onnx
  input   float_input    float32 [N, n_features]  raw (unscaled) features, in feature order
  output  label          int64   [N]              predicted class
  output  probabilities  float32 [N, n_classes]   a plain tensor (no ZipMap), column i = classes[i]
  metadata_props: feature_names, classes (JSON lists), model (train.model)

models/parity.json
  {"feature_names", "classes", "instances" (the raw test split), "probabilities" (sklearn
  predict_proba), "labels" (sklearn predict), ...} for checking other runtimes against sklearn.
"""

from __future__ import annotations

import json
import sys

import numpy as np
import onnx
import onnxruntime as ort
import pandas as pd
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType

from common import (MODEL, ONNX_INPUT, ONNX_MODEL, PARITY, TEST, ensure_parent,
                    feature_columns, load_params, load_pickle, write_json)

ML_OPSET = 3  # ai.onnx.ml at most v3 (TreeEnsembleClassifier <= v3): any current onnxruntime reads it
TOLERANCE = 1e-5


def convert(pipeline, n_features: int, target_opset: int) -> onnx.ModelProto:
    classifier = pipeline.steps[-1][1]
    return to_onnx(
        pipeline,
        initial_types=[(ONNX_INPUT, FloatTensorType([None, n_features]))],
        options={id(classifier): {"zipmap": False}},
        target_opset={"": target_opset, "ai.onnx.ml": ML_OPSET},
    )


def sort_opset_imports(model: onnx.ModelProto) -> None:
    """skl2onnx lists opset imports in set order, which varies between processes: sort
    them so the same model always serialises to the same bytes (stable DVC hashes)."""
    imports = sorted((o.domain, o.version) for o in model.opset_import)
    del model.opset_import[:]
    model.opset_import.extend(onnx.helper.make_opsetid(d, v) for d, v in imports)


def set_metadata(model: onnx.ModelProto, values: dict[str, str]) -> None:
    for key, value in values.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value


def onnx_predict(model: onnx.ModelProto, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    labels, probabilities = session.run(["label", "probabilities"],
                                        {ONNX_INPUT: X.astype(np.float32)})
    return labels, probabilities


def main() -> None:
    params = load_params()
    pipeline = load_pickle(MODEL)
    test = pd.read_csv(TEST)
    names = feature_columns(list(test.columns))
    X = test[names].to_numpy(dtype=np.float64)
    classes = [int(c) for c in pipeline.classes_]

    model = convert(pipeline, len(names), int(params["export"]["target_opset"]))
    sort_opset_imports(model)
    set_metadata(model, {
        "feature_names": json.dumps(names),
        "classes": json.dumps(classes),
        "model": str(params["train"]["model"]),
    })
    onnx.checker.check_model(model)
    ensure_parent(ONNX_MODEL).write_bytes(model.SerializeToString())

    probabilities = pipeline.predict_proba(X)
    labels = pipeline.predict(X)
    onnx_labels, onnx_probabilities = onnx_predict(model, X)
    max_diff = float(np.abs(onnx_probabilities - probabilities).max())
    label_mismatches = int((onnx_labels != labels).sum())

    write_json(PARITY, {
        "feature_names": names,
        "classes": classes,
        "input_name": ONNX_INPUT,
        "output_names": ["label", "probabilities"],
        "tolerance": TOLERANCE,
        "onnx_max_abs_diff": max_diff,
        "instances": X.tolist(),
        "probabilities": probabilities.tolist(),
        "labels": [int(v) for v in labels],
    })
    print(f"export: {ONNX_MODEL} (input {ONNX_INPUT} [N, {len(names)}]), parity fixture with "
          f"{len(X)} rows -> {PARITY}; onnxruntime vs sklearn max |diff| {max_diff:.2e}, "
          f"{label_mismatches} label mismatches")
    if max_diff > TOLERANCE or label_mismatches:
        print(f"export: warning: ONNX output differs from sklearn beyond {TOLERANCE}",
              file=sys.stderr)


if __name__ == "__main__":
    main()
