"""Stage generate: a synthetic binary classification data set, deterministic by seed.

Writes data/raw/dataset.csv with feature columns f0..f{n-1} and a `label` column.
"""

from __future__ import annotations

import pandas as pd
from sklearn.datasets import make_classification

from common import DATASET, LABEL, ensure_parent, feature_names, load_params


def generate(params: dict) -> pd.DataFrame:
    p = params["data"]
    X, y = make_classification(
        n_samples=int(p["n_samples"]),
        n_features=int(p["n_features"]),
        n_informative=int(p["n_informative"]),
        n_redundant=int(p["n_redundant"]),
        n_repeated=0,
        n_classes=2,
        n_clusters_per_class=int(p["n_clusters_per_class"]),
        weights=[1.0 - float(p["positive_fraction"])],
        class_sep=float(p["class_sep"]),
        flip_y=float(p["flip_y"]),
        shuffle=True,
        random_state=int(p["seed"]),
    )
    frame = pd.DataFrame(X, columns=feature_names(X.shape[1]))
    frame[LABEL] = y.astype(int)
    return frame


def main() -> None:
    frame = generate(load_params())
    # Six decimals keep the CSV small and byte-identical for the same seed.
    frame.to_csv(ensure_parent(DATASET), index=False, float_format="%.6f")
    positives = int(frame[LABEL].sum())
    print(f"generate: {len(frame)} rows, {frame.shape[1] - 1} features, "
          f"{positives} positive ({positives / len(frame):.1%}) -> {DATASET}")


if __name__ == "__main__":
    main()
