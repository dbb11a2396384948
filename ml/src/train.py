"""Stage train: fit the model chosen by params (train.model) on the scaled training split.

Writes models/model.pkl: a fitted sklearn Pipeline(scaler, model) that takes raw features.
Logs to MLflow only when MLFLOW_TRACKING_URI is set.
"""

from __future__ import annotations

import time

import pandas as pd
from sklearn.base import ClassifierMixin
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import Pipeline

import tracking
from common import (LABEL, MODEL, SCALER, TRAIN, feature_columns, flatten, load_params,
                    load_pickle, save_pickle)

MODELS = ("gradient_boosting", "random_forest")


def build_model(p: dict) -> ClassifierMixin:
    name = p["model"]
    if name == "gradient_boosting":
        return GradientBoostingClassifier(
            n_estimators=int(p["n_estimators"]),
            learning_rate=float(p["learning_rate"]),
            max_depth=int(p["max_depth"]) or None,
            min_samples_leaf=int(p["min_samples_leaf"]),
            subsample=float(p["subsample"]),
            random_state=int(p["seed"]),
        )
    if name == "random_forest":
        return RandomForestClassifier(
            n_estimators=int(p["n_estimators"]),
            max_depth=int(p["max_depth"]) or None,
            min_samples_leaf=int(p["min_samples_leaf"]),
            random_state=int(p["seed"]),
            n_jobs=1,
        )
    raise SystemExit(f"train: params.yaml train.model is {name!r}; use one of {', '.join(MODELS)}")


def main() -> None:
    params = load_params()
    train = pd.read_csv(TRAIN)
    X = train[feature_columns(list(train.columns))].to_numpy()
    y = train[LABEL].to_numpy()

    scaler = load_pickle(SCALER)  # fitted on the training split by preprocess
    model = build_model(params["train"])
    started = time.perf_counter()
    model.fit(scaler.transform(X), y)
    fit_seconds = time.perf_counter() - started
    pipeline = Pipeline([("scaler", scaler), ("model", model)])
    save_pickle(MODEL, pipeline)

    predicted = pipeline.predict(X)
    train_metrics = {
        "train_accuracy": float(accuracy_score(y, predicted)),
        "train_f1": float(f1_score(y, predicted)),
        "fit_seconds": fit_seconds,
    }
    print(f"train: {params['train']['model']} on {len(train)} rows in {fit_seconds:.2f}s, "
          f"train accuracy {train_metrics['train_accuracy']:.4f} -> {MODEL}")
    tracking.log_training(flatten(params), train_metrics, pipeline)


if __name__ == "__main__":
    main()
