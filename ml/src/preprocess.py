"""Stage preprocess: stratified train/test split and a StandardScaler fitted on train only.

Writes data/prepared/train.csv and data/prepared/test.csv (raw, unscaled features with the
row `id` from the data set and the `label`) and models/scaler.pkl (the fitted scaler; train
puts it in front of the model so the exported model takes raw features).
"""

from __future__ import annotations

import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from common import (DATASET, ID, LABEL, SCALER, TEST, TRAIN, ensure_parent, feature_columns,
                    load_params, save_pickle)


def split(frame: pd.DataFrame, params: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    p = params["split"]
    frame = frame.copy()
    frame.insert(0, ID, range(len(frame)))
    train, test = train_test_split(
        frame,
        test_size=float(p["test_size"]),
        random_state=int(p["seed"]),
        stratify=frame[LABEL],
    )
    return train.sort_values(ID), test.sort_values(ID)


def fit_scaler(train: pd.DataFrame) -> StandardScaler:
    features = feature_columns(list(train.columns))
    return StandardScaler().fit(train[features].to_numpy())


def main() -> None:
    frame = pd.read_csv(DATASET)
    train, test = split(frame, load_params())
    scaler = fit_scaler(train)
    train.to_csv(ensure_parent(TRAIN), index=False)
    test.to_csv(ensure_parent(TEST), index=False)
    save_pickle(SCALER, scaler)
    print(f"preprocess: {len(train)} train rows -> {TRAIN}, {len(test)} test rows -> {TEST}, "
          f"scaler fitted on train -> {SCALER}")


if __name__ == "__main__":
    main()
