"""The baselines of `npm run bench:inference`: how a careful Python team serves this model.

FastAPI on uvicorn (uvloop, httptools), the same request and response shapes as src/serve:

  POST /predict  {"instances": [[f0, ..., f9], ...]}
              -> {"predictions": [{"label": 1, "probabilities": {"0": p0, "1": p1}}, ...]}
  GET  /health   {"status": "ok"}

CODEC picks how JSON is read and written:
  orjson       (the bench's default: the faster here, see docs/serving.md) the raw body through orjson.loads, checked as a numeric
               matrix of 1..MAX_BATCH rows of N_FEATURES finite numbers (400 otherwise), the
               answer written with orjson.dumps;
  pydantic     FastAPI's documented way: pydantic models for the body and the answer (with a
               declared return type, FastAPI has pydantic write the JSON bytes directly; FastAPI
               0.165 deprecates ORJSONResponse in favour of this).

BACKEND picks the model:
  sklearn      the sklearn Pipeline(scaler, model) unpickled from MODEL_PKL (what ml/src/train.py
               writes, the same fitted model that ml/src/export.py converts to ONNX);
  onnxruntime  the same ONNX file as ours (MODEL_ONNX) on Python onnxruntime, float32 input,
               ORT_THREADS intra-op threads (0: onnxruntime's default, all physical cores; the
               bench sets 1 when it runs one worker per core, so workers do not fight for cores).
ENDPOINT=async (the bench's default: the faster here) makes the pydantic endpoint `async def`,
run on the event loop; ENDPOINT=sync a plain `def`, which FastAPI runs in its thread pool (the
documented way for blocking code, but a thread hop per request).

Run: BACKEND=onnxruntime MODEL_ONNX=ml/models/model.onnx uvicorn fastapi_server:app --app-dir bench/inference
"""

from __future__ import annotations

import json
import os
import pickle

import numpy as np
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

MAX_BATCH = int(os.environ.get("MAX_BATCH", "1000"))
BACKEND = os.environ.get("BACKEND", "sklearn")

if BACKEND == "onnxruntime":
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = int(os.environ.get("ORT_THREADS", "0"))
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    session = ort.InferenceSession(os.environ.get("MODEL_ONNX", "ml/models/model.onnx"), options, providers=["CPUExecutionProvider"])
    INPUT = session.get_inputs()[0].name
    N_FEATURES = int(session.get_inputs()[0].shape[1])
    KEYS = [str(c) for c in json.loads(session.get_modelmeta().custom_metadata_map.get("classes", "[0, 1]"))]
    DTYPE = np.float32

    def predict_proba(X: np.ndarray) -> tuple[list, list]:
        labels, probabilities = session.run(["label", "probabilities"], {INPUT: X})
        return labels.tolist(), probabilities.tolist()

else:
    with open(os.environ.get("MODEL_PKL", "ml/models/model.pkl"), "rb") as f:
        pipeline = pickle.load(f)
    N_FEATURES = int(pipeline.n_features_in_)
    CLASSES = pipeline.classes_
    KEYS = [str(c) for c in CLASSES.tolist()]
    DTYPE = np.float64

    def predict_proba(X: np.ndarray) -> tuple[list, list]:
        probabilities = pipeline.predict_proba(X)
        return CLASSES[probabilities.argmax(axis=1)].tolist(), probabilities.tolist()


class PredictRequest(BaseModel):
    instances: list[list[float]] = Field(min_length=1, max_length=MAX_BATCH)


class Prediction(BaseModel):
    label: int
    probabilities: dict[str, float]


class PredictResponse(BaseModel):
    predictions: list[Prediction]


app = FastAPI()


@app.get("/health")
def health() -> dict:
    return {"status": "ok"}


def _predict(req: PredictRequest) -> PredictResponse:
    X = np.asarray(req.instances, dtype=DTYPE)
    if X.ndim != 2 or X.shape[1] != N_FEATURES:
        raise HTTPException(status_code=400, detail=f"each instance needs {N_FEATURES} features")
    labels, probabilities = predict_proba(X)
    return PredictResponse(
        predictions=[Prediction(label=label, probabilities=dict(zip(KEYS, row))) for label, row in zip(labels, probabilities)]
    )


if os.environ.get("CODEC", "pydantic") == "orjson":
    import orjson
    from fastapi import Request, Response

    def _instances(body: bytes) -> np.ndarray:
        try:
            data = orjson.loads(body)
            X = np.asarray(data["instances"])  # no dtype: strings and nulls stay visible as such
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as e:
            raise HTTPException(status_code=400, detail=f"invalid body: {e}") from None
        if X.dtype.kind not in "iuf":
            raise HTTPException(status_code=400, detail="instances: lists of numbers only")
        X = X.astype(DTYPE, copy=False)
        if X.ndim != 2 or X.shape[1] != N_FEATURES or not 1 <= X.shape[0] <= MAX_BATCH or not np.isfinite(X).all():
            raise HTTPException(status_code=400, detail=f"instances: 1 to {MAX_BATCH} lists of {N_FEATURES} finite numbers")
        return X

    @app.post("/predict")
    async def predict(request: Request) -> Response:
        labels, probabilities = predict_proba(_instances(await request.body()))
        predictions = [{"label": label, "probabilities": dict(zip(KEYS, row))} for label, row in zip(labels, probabilities)]
        return Response(orjson.dumps({"predictions": predictions}), media_type="application/json")

elif os.environ.get("ENDPOINT", "async") == "async":

    @app.post("/predict")
    async def predict(req: PredictRequest) -> PredictResponse:
        return _predict(req)

else:

    @app.post("/predict")
    def predict(req: PredictRequest) -> PredictResponse:
        return _predict(req)
