"""Stage evaluate: score the pipeline on the test split.

Writes metrics.json (accuracy, precision, recall, f1, roc_auc), plots/roc.json (ROC
points for DVC's linear template: {"roc": [{"fpr", "tpr"}, ...]}) and plots/confusion.csv
(one `actual,predicted` row per test row, for DVC's confusion template).
"""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import (accuracy_score, f1_score, precision_score, recall_score,
                             roc_auc_score, roc_curve)

import tracking
from common import (CONFUSION_PLOT, LABEL, METRICS, MODEL, ROC_PLOT, TEST, ensure_parent,
                    feature_columns, load_pickle, write_json)

DECIMALS = 6


def score(y_true, predicted, positive_probability) -> dict[str, float]:
    metrics = {
        "accuracy": accuracy_score(y_true, predicted),
        "precision": precision_score(y_true, predicted, zero_division=0),
        "recall": recall_score(y_true, predicted, zero_division=0),
        "f1": f1_score(y_true, predicted, zero_division=0),
        "roc_auc": roc_auc_score(y_true, positive_probability),
    }
    return {name: round(float(value), DECIMALS) for name, value in metrics.items()}


def roc_points(y_true, positive_probability) -> list[dict[str, float]]:
    fpr, tpr, _ = roc_curve(y_true, positive_probability)
    return [{"fpr": round(float(f), DECIMALS), "tpr": round(float(t), DECIMALS)}
            for f, t in zip(fpr, tpr)]


def main() -> None:
    pipeline = load_pickle(MODEL)
    test = pd.read_csv(TEST)
    X = test[feature_columns(list(test.columns))].to_numpy()
    y = test[LABEL].to_numpy()

    predicted = pipeline.predict(X)
    positive_probability = pipeline.predict_proba(X)[:, list(pipeline.classes_).index(1)]
    metrics = score(y, predicted, positive_probability)

    write_json(METRICS, metrics)
    write_json(ROC_PLOT, {"roc": roc_points(y, positive_probability)})
    pd.DataFrame({"actual": y, "predicted": predicted}).to_csv(
        ensure_parent(CONFUSION_PLOT), index=False)
    print("evaluate: " + ", ".join(f"{k} {v:.4f}" for k, v in metrics.items())
          + f" on {len(test)} test rows -> {METRICS}, {ROC_PLOT}, {CONFUSION_PLOT}")
    tracking.log_evaluation(metrics, [ROC_PLOT, CONFUSION_PLOT])


if __name__ == "__main__":
    main()
