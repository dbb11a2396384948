"""Helpers shared by the tests: copy the project to a temp folder and run it there.

Tests never write into ml/ itself: other tests (and the bot's) run the real pipeline there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ML_ROOT = Path(__file__).resolve().parents[1]
STAGES = ("generate", "preprocess", "train", "evaluate", "export")
# What a commit of ml/ holds, minus the results of a run (dvc.lock, metrics.json, plots/).
SOURCE_FILES = ("params.yaml", "dvc.yaml", "src", ".gitignore", ".dvcignore", ".dvc/config",
                ".dvc/.gitignore")
TIMEOUT = 300


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in SOURCE_FILES:
        source = ML_ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def pipeline_env(**extra: str) -> dict[str, str]:
    """The environment a stage sees: this venv's python and dvc first on PATH, no MLflow."""
    env = os.environ.copy()
    env.pop("MLFLOW_TRACKING_URI", None)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update(extra)
    return env


def run(argv: list[str], cwd: Path, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(argv, cwd=cwd, env=env or pipeline_env(), capture_output=True,
                            text=True, timeout=TIMEOUT)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(argv)} failed ({result.returncode}) in {cwd}\n"
                             f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")
    return result


def run_stage(project: Path, stage: str, env: dict[str, str] | None = None
              ) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, f"src/{stage}.py"], project, env)


def run_pipeline(project: Path, stages=STAGES, env: dict[str, str] | None = None) -> Path:
    for stage in stages:
        run_stage(project, stage, env)
    return project


def dvc(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "dvc", *args], project)


def set_param(project: Path, section: str, key: str, value: str) -> None:
    """Rewrite one `key: value` line inside `section:` of params.yaml, keeping comments."""
    path = project / "params.yaml"
    text = path.read_text()
    block = re.search(rf"^{section}:.*?(?=^\S|\Z)", text, flags=re.M | re.S)
    assert block, f"no section {section} in params.yaml"
    new_block, count = re.subn(rf"^(\s+{key}:\s*)\S+", rf"\g<1>{value}", block.group(0),
                               count=1, flags=re.M)
    assert count == 1, f"no key {section}.{key} in params.yaml"
    path.write_text(text[:block.start()] + new_block + text[block.end():])
