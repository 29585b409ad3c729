"""Real server processes for multi-worker and fault tests: ``openforwork serve`` on a
free port of 127.0.0.1, ready when ``/readyz`` answers 200."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.mailbox import MAIL_URL

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    process: asyncio.subprocess.Process

    @property
    def graphql_url(self) -> str:
        return f"{self.url}/graphql"

    def kill(self) -> None:
        """SIGKILL the whole process group: the worker dies mid-stream, no cleanup."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)


@contextlib.asynccontextmanager
async def serve(env: dict[str, str], *, workers: int = 1, timeout: float = 40.0) -> AsyncIterator[Server]:
    port = free_port()
    full_env = {
        "PATH": os.environ.get("PATH", ""),
        "ENVIRONMENT": "test",
        "ARGON2_TIME_COST": "1",
        "LOG_LEVEL": "WARNING",
        # Mail as files a test reads like a newcomer reads their inbox (tests/mailbox.py).
        "EMAIL_URL": MAIL_URL,
        **env,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "graph.cli", "serve", "--port", str(port), "--workers", str(workers),
        cwd=ROOT,
        env=full_env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,
    )
    server = Server(url=f"http://127.0.0.1:{port}", process=process)
    try:
        async with httpx.AsyncClient() as client:
            deadline = asyncio.get_running_loop().time() + timeout
            while True:
                if process.returncode is not None:
                    output = (await process.stdout.read()).decode() if process.stdout else ""
                    raise RuntimeError(f"server exited with {process.returncode}:\n{output[-3000:]}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(f"{server.url}/readyz", timeout=2)).status_code == 200:
                        break
                if asyncio.get_running_loop().time() > deadline:
                    raise TimeoutError(f"server on port {port} not ready after {timeout}s")
                await asyncio.sleep(0.2)
        yield server
    finally:
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                server.kill()
                await process.wait()
