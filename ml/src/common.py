"""Shared paths and helpers of the example pipeline.

Every stage runs with the current directory at ml/ (DVC runs it there), so all
paths here are relative to ml/.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import yaml

PARAMS = Path("params.yaml")
DATASET = Path("data/raw/dataset.csv")
TRAIN = Path("data/prepared/train.csv")
TEST = Path("data/prepared/test.csv")
SCALER = Path("models/scaler.pkl")
MODEL = Path("models/model.pkl")
ONNX_MODEL = Path("models/model.onnx")
PARITY = Path("models/parity.json")
METRICS = Path("metrics.json")
ROC_PLOT = Path("plots/roc.json")
CONFUSION_PLOT = Path("plots/confusion.csv")

LABEL = "label"
ID = "id"
ONNX_INPUT = "float_input"


def load_params(path: Path = PARAMS) -> dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"train": {"seed": 1}} -> {"train.seed": 1}"""
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def feature_names(n_features: int) -> list[str]:
    return [f"f{i}" for i in range(n_features)]


def feature_columns(columns: list[str]) -> list[str]:
    """The feature columns of a data frame, in order (everything but id and label)."""
    return [c for c in columns if c not in (ID, LABEL)]


def write_json(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def save_pickle(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        pickle.dump(value, f, protocol=5)


def load_pickle(path: Path) -> Any:
    with open(path, "rb") as f:
        return pickle.load(f)


def ensure_parent(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
