"""The baseline of `npm run bench:inference`: how teams usually serve this model.

FastAPI + uvicorn, the sklearn Pipeline(scaler, model) unpickled from ml/models/model.pkl
(what ml/src/train.py writes, the same fitted model that ml/src/export.py converts to ONNX),
the same request and response shapes as src/serve:

  POST /predict  {"instances": [[f0, ..., f9], ...]}
              -> {"predictions": [{"label": 1, "probabilities": {"0": p0, "1": p1}}, ...]}
  GET  /health   {"status": "ok"}

Run: MODEL_PKL=ml/models/model.pkl uvicorn fastapi_server:app --app-dir bench/inference
ENDPOINT=async (the bench's default: the faster here) makes the endpoint `async def`, run on the
event loop; ENDPOINT=sync a plain `def`, which FastAPI runs in its thread pool (the documented
way for blocking code such as scikit-learn, but a thread hop per request).
"""

from __future__ import annotations

import os
import pickle

import numpy as np
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

MAX_BATCH = int(os.environ.get("MAX_BATCH", "1000"))

with open(os.environ.get("MODEL_PKL", "ml/models/model.pkl"), "rb") as f:
    pipeline = pickle.load(f)

N_FEATURES = int(pipeline.n_features_in_)
CLASSES = pipeline.classes_
KEYS = [str(c) for c in CLASSES.tolist()]


class PredictRequest(BaseModel):
    instances: list[list[float]] = Field(min_length=1, max_length=MAX_BATCH)


app = FastAPI()


@app.get("/health")
def health() -> dict:
    return {"status": "ok"}


def _predict(req: PredictRequest) -> dict:
    X = np.asarray(req.instances, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != N_FEATURES:
        raise HTTPException(status_code=400, detail=f"each instance needs {N_FEATURES} features")
    probabilities = pipeline.predict_proba(X)
    labels = CLASSES[probabilities.argmax(axis=1)].tolist()
    return {
        "predictions": [
            {"label": label, "probabilities": dict(zip(KEYS, row))}
            for label, row in zip(labels, probabilities.tolist())
        ]
    }


if os.environ.get("ENDPOINT", "async") == "async":

    @app.post("/predict")
    async def predict(req: PredictRequest) -> dict:
        return _predict(req)

else:

    @app.post("/predict")
    def predict(req: PredictRequest) -> dict:
        return _predict(req)
