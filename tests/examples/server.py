"""The real service in a subprocess, for clients that need a TCP port.

``live_server(tmp_path)`` runs ``python -m graph.cli serve`` (migrations, then uvicorn)
on 127.0.0.1 and a free port with a fresh SQLite file, waits until ``/readyz`` answers
200 and yields the GraphQL URL and the database path. The server's output goes to a log
file whose tail is shown when it fails to start.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.mailbox import MAIL_URL
from tests.scaleout.servers import free_port

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class LiveServer:
    url: str
    database: Path
    log: Path


def _tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


@contextlib.contextmanager
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    port = free_port()
    database = tmp_path / "live.sqlite3"
    log = tmp_path / "server.log"
    env = {
        **os.environ,
        "ENVIRONMENT": "test",
        "DATABASE_URL": f"sqlite://{database}",
        "BROADCAST_URL": "memory://",
        "PERSISTED_QUERIES": "apq",
        "LOG_LEVEL": "WARNING",
        # Mail as files the example clients read a confirmation code from (MAIL_DIR).
        "EMAIL_URL": MAIL_URL,
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "graph.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT_SECONDS
            while True:
                if process.poll() is not None:
                    pytest.fail(f"the server exited with {process.returncode}:\n{_tail(log)}")
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"the server did not become ready in {START_TIMEOUT_SECONDS} s:\n{_tail(log)}")
                time.sleep(0.1)
            yield LiveServer(url=f"http://127.0.0.1:{port}/graphql", database=database, log=log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def run(command: list[str], cwd: Path, *, timeout: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a build or client command; fail the test with its output when it fails."""
    result = subprocess.run(
        command, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        pytest.fail(
            f"`{' '.join(command)}` in {cwd} exited with {result.returncode}\n"
            f"--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}"
        )
    return result
