"""Predict from a CSV of raw features: labels and class probabilities out, as CSV.

    python src/predict.py data/prepared/test.csv                 # ONNX model, to stdout
    python src/predict.py new.csv --model models/model.pkl -o out.csv

The input needs the model's feature columns (f0..f{n-1}); other columns are ignored, except
`id`, which is copied to the output. Output columns: [id,] label, proba_<class>...
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from common import ID, ONNX_INPUT, ONNX_MODEL, feature_names, load_pickle


def load_predictor(path: Path):
    """Return (feature_names, classes, predict(X) -> (labels, probabilities))."""
    if path.suffix == ".onnx":
        import onnxruntime as ort

        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        meta = session.get_modelmeta().custom_metadata_map
        names, classes = json.loads(meta["feature_names"]), json.loads(meta["classes"])

        def predict(X: np.ndarray):
            labels, probabilities = session.run(["label", "probabilities"],
                                                {ONNX_INPUT: X.astype(np.float32)})
            return labels, probabilities

        return names, classes, predict

    pipeline = load_pickle(path)
    names = feature_names(int(pipeline.n_features_in_))
    classes = [int(c) for c in pipeline.classes_]
    return names, classes, lambda X: (pipeline.predict(X), pipeline.predict_proba(X))


def predict_frame(frame: pd.DataFrame, model: Path) -> pd.DataFrame:
    names, classes, predict = load_predictor(model)
    missing = [n for n in names if n not in frame.columns]
    if missing:
        raise SystemExit(f"predict: input lacks feature columns {', '.join(missing)}")
    labels, probabilities = predict(frame[names].to_numpy(dtype=np.float64))
    out = pd.DataFrame({"label": np.asarray(labels).astype(int)})
    for i, cls in enumerate(classes):
        out[f"proba_{cls}"] = np.round(np.asarray(probabilities)[:, i].astype(float), 6)
    if ID in frame.columns:
        out.insert(0, ID, frame[ID].to_numpy())
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="CSV with the feature columns, or - for stdin")
    parser.add_argument("--model", type=Path, default=ONNX_MODEL,
                        help=f"model.onnx or model.pkl (default {ONNX_MODEL})")
    parser.add_argument("-o", "--output", help="output CSV (default stdout)")
    args = parser.parse_args(argv)

    frame = pd.read_csv(sys.stdin if args.input == "-" else args.input)
    out = predict_frame(frame, args.model)
    try:
        out.to_csv(args.output if args.output else sys.stdout, index=False)
    except BrokenPipeError:  # e.g. piped into head
        sys.stdout = None


if __name__ == "__main__":
    main()
