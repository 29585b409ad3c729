"""The type checker and the linter, as configured in pyproject.toml (docs/code-quality.md).

Both run as subprocesses from the project root, with this interpreter, so the test run
checks exactly what a developer's ``.venv/bin/mypy`` and ``.venv/bin/ruff check .``
check. mypy keeps its cache in ``.mypy_cache`` (gitignored): a cold run takes ~15-40 s,
a warm one a few seconds.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )


def test_mypy_finds_no_error() -> None:
    # the files, the strict packages and the plugin come from [tool.mypy]
    result = _run("mypy")
    if result.returncode != 0:
        pytest.fail(f"mypy (see docs/code-quality.md):\n{result.stdout}{result.stderr}", pytrace=False)


def test_ruff_finds_no_error() -> None:
    result = _run("ruff", "check", "--output-format", "concise", ".")
    if result.returncode != 0:
        pytest.fail(f"ruff check . (see docs/code-quality.md):\n{result.stdout}{result.stderr}", pytrace=False)
