"""A tracking server on Cloud Run behind IAM: the pipeline fetches a Google ID token and sends it.

Google cannot be reached here, so one local HTTP server plays both the metadata server of a
Cloud Run task (the real google-auth client talks to it through GCE_METADATA_HOST/_IP, the
variables google-auth reads) and the MLflow REST endpoint the pipeline calls first.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from pipeline_helpers import ML_ROOT, pipeline_env


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


SERVICE_ACCOUNT = "mlops-bot-training@p.iam.gserviceaccount.com"
# The shape of an ID token from the identity endpoint (format=full): header.payload.signature.
TOKEN = ".".join([_b64({"alg": "RS256", "typ": "JWT"}),
                  _b64({"aud": "https://mlflow-abc123-ew.a.run.app", "exp": 4102444800,
                        "iat": 4102441200, "iss": "https://accounts.google.com",
                        "email": SERVICE_ACCOUNT}),
                  "c2lnbmF0dXJl"])


class FakeGoogleAndMlflow(BaseHTTPRequestHandler):
    seen: list[dict] = []

    def _handle(self) -> None:
        url = urlsplit(self.path)
        self.seen.append({"method": self.command, "path": url.path, "query": parse_qs(url.query),
                          "flavor": self.headers.get("Metadata-Flavor"),
                          "authorization": self.headers.get("Authorization")})
        if url.path.startswith("/computeMetadata/v1/instance/service-accounts/default/identity"):
            body, ctype = TOKEN.encode(), "application/text"
        elif url.path == "/computeMetadata/v1/instance/service-accounts/default/":
            # ?recursive=true: the account, as the metadata server describes it.
            body = json.dumps({"aliases": ["default"], "email": SERVICE_ACCOUNT,
                               "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}).encode()
            ctype = "application/json"
        elif url.path in ("/", "/computeMetadata/v1/"):
            body, ctype = b"computeMetadata/\n", "application/text"
        elif url.path == "/api/2.0/mlflow/experiments/get-by-name":
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                self.send_response(403)
                self.end_headers()
                return
            body = json.dumps({"experiment": {"experiment_id": "1", "name": "mlops-bot-example",
                                              "lifecycle_stage": "active"}}).encode()
            ctype = "application/json"
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        if url.path.startswith("/computeMetadata") or url.path == "/":
            self.send_header("Metadata-Flavor", "Google")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _handle

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def fake():
    FakeGoogleAndMlflow.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGoogleAndMlflow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _set_up_mlflow(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """What a stage does before its first MLflow call, in a fresh process (google-auth reads
    GCE_METADATA_HOST when it is imported)."""
    script = "import sys; sys.path.insert(0, 'src'); import tracking; tracking._mlflow()"
    return subprocess.run([sys.executable, "-c", script], cwd=ML_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_fetches_an_id_token_for_the_service_url_and_sends_it_to_mlflow(fake):
    env = pipeline_env(MLFLOW_TRACKING_URI=f"http://{fake}/", GCE_METADATA_HOST=fake,
                       GCE_METADATA_IP=fake, MLFLOW_ID_TOKEN_AUDIENCE="https://mlflow-abc123-ew.a.run.app")
    env.pop("MLFLOW_TRACKING_TOKEN", None)
    env.pop("GOOGLE_APPLICATION_CREDENTIALS", None)
    result = _set_up_mlflow(env)
    assert result.returncode == 0, result.stderr

    identity = [r for r in FakeGoogleAndMlflow.seen if r["path"].endswith("/identity")]
    assert len(identity) == 1
    assert identity[0]["query"]["audience"] == ["https://mlflow-abc123-ew.a.run.app"]
    assert identity[0]["flavor"] == "Google"
    mlflow_calls = [r for r in FakeGoogleAndMlflow.seen if r["path"].startswith("/api/")]
    assert mlflow_calls and all(r["authorization"] == f"Bearer {TOKEN}" for r in mlflow_calls)
    assert "using a Google ID token for https://mlflow-abc123-ew.a.run.app" in result.stdout
    assert TOKEN not in result.stdout + result.stderr


def test_the_audience_is_the_cloud_run_service_url_without_its_path(monkeypatch):
    sys.path.insert(0, str(ML_ROOT / "src"))
    import tracking

    monkeypatch.delenv("MLFLOW_ID_TOKEN_AUDIENCE", raising=False)
    assert tracking.id_token_audience("https://mlflow-abc123-ew.a.run.app/some/path") == \
        "https://mlflow-abc123-ew.a.run.app"
    assert tracking.id_token_audience("https://mlflow-123456.europe-west1.run.app") == \
        "https://mlflow-123456.europe-west1.run.app"
    # Not Cloud Run, or not over TLS, or a look-alike host: no token is ever minted for it.
    assert tracking.id_token_audience("https://mlflow.example.com") is None
    assert tracking.id_token_audience("http://mlflow-abc123-ew.a.run.app") is None
    assert tracking.id_token_audience("https://a.run.app.evil.example") is None
    assert tracking.id_token_audience((Path("/tmp") / "mlruns").as_uri()) is None


def test_a_given_token_is_used_as_it_is(fake):
    env = pipeline_env(MLFLOW_TRACKING_URI=f"http://{fake}/", GCE_METADATA_HOST=fake,
                       GCE_METADATA_IP=fake, MLFLOW_ID_TOKEN_AUDIENCE="https://mlflow-abc123-ew.a.run.app",
                       MLFLOW_TRACKING_TOKEN=TOKEN)
    result = _set_up_mlflow(env)
    assert result.returncode == 0, result.stderr
    assert not [r for r in FakeGoogleAndMlflow.seen if r["path"].startswith("/computeMetadata")]


def test_without_a_metadata_server_or_key_it_stops_with_the_fixes(tmp_path):
    closed = "127.0.0.1:9"  # discard port: nothing listens
    env = pipeline_env(MLFLOW_TRACKING_URI="https://mlflow-abc123-ew.a.run.app",
                       GCE_METADATA_HOST=closed, GCE_METADATA_IP=closed,
                       GCE_METADATA_DETECT_RETRIES="1", GCE_METADATA_TIMEOUT="1")
    env.pop("MLFLOW_TRACKING_TOKEN", None)
    env.pop("MLFLOW_ID_TOKEN_AUDIENCE", None)
    env.pop("GOOGLE_APPLICATION_CREDENTIALS", None)
    env["HOME"] = str(tmp_path)  # no gcloud application-default credentials either
    env["CLOUDSDK_CONFIG"] = str(tmp_path / "gcloud")
    result = _set_up_mlflow(env)
    assert result.returncode != 0
    message = result.stderr
    assert "MLFLOW_TRACKING_URI=https://mlflow-abc123-ew.a.run.app needs a Google ID token" in message
    assert "GOOGLE_APPLICATION_CREDENTIALS" in message and "MLFLOW_TRACKING_TOKEN" in message
    assert "Traceback" not in message
