from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from pipeline_helpers import copy_project, run_pipeline  # noqa: E402


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """A copy of the project after one full run of the pipeline with default params.

    Read-only for tests: copy it (shutil.copytree) before changing anything.
    """
    return run_pipeline(copy_project(tmp_path_factory.mktemp("built") / "ml"))
