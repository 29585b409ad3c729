"""How far above the HTTP floor is a trivial GraphQL request?

Serves, one after the other and with identical uvicorn options, (1) the real app
(``graph.app.create_app`` on a migrated temporary SQLite file, one signed-up user) and
(2) a bare Starlette app with one JSON endpoint, and drives each with the same load
generator in a separate process: N keep-alive HTTP/1.1 connections, each sending its
next request as soon as the previous answer is complete. Prints requests/s and
latency for

    POST /graphql  {"query": "{ viewer { id } }"}  with  Authorization: Bearer <token>
    POST /json     {"query": "{ viewer { id } }"}  (parses the body, answers JSON)

the server's CPU time per request (user + system, all threads, from /proc), and the
ratios. Usage (from the repository root)::

    python bench/http_floor.py                      # 10 s each, 16 connections
    python bench/http_floor.py --rounds 3           # alternate, keep each one's best
    python bench/http_floor.py --duration 5 --connections 8 --access-log --http h11

The server is one process (one core at most); the generator runs in another. On a
machine shared with other work, requests/s swing with the neighbours' load; CPU per
request is the steadier figure, and ``--rounds`` alternates the two servers so both
see similar conditions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUERY = {"query": "{ viewer { id } }"}


# --- The two servers (run in a child process) --------------------------------------

def bare_app() -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def endpoint(request: Request) -> JSONResponse:
        body = await request.json()
        return JSONResponse({"data": {"viewer": {"id": "VXNlcjox"}}, "echo": len(body)})

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    return Starlette(routes=[Route("/json", endpoint, methods=["POST"]), Route("/healthz", healthz)])


def graphql_app(database_url: str) -> Any:
    from graph.app import create_app
    from graph.settings import Settings

    return create_app(Settings(database_url=database_url, log_level="WARNING"))


def serve(args: argparse.Namespace) -> None:
    import uvicorn

    app = bare_app() if args.target == "bare" else graphql_app(args.database_url)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=args.port, loop=args.loop, http=args.http,
        access_log=args.access_log, log_level="info" if args.access_log else "warning",
        lifespan="on",
    )
    uvicorn.Server(config).run()


# --- The load generator (run in a child process) ------------------------------------

class _Connection(asyncio.Protocol):
    """One keep-alive connection: send, read one whole response, send again."""

    def __init__(self, request: bytes, stop_at: float, measure_from: float, latencies: list[float],
                 done: asyncio.Future[None]) -> None:
        self.request, self.stop_at, self.measure_from = request, stop_at, measure_from
        self.latencies, self.done = latencies, done
        self.buffer = b""
        self.sent_at = 0.0
        self.errors = 0
        self.completed = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self._send()

    def _send(self) -> None:
        self.sent_at = time.perf_counter()
        self.transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].lower()
            start = head.find(b"content-length:")
            if start < 0:
                raise RuntimeError(f"response without content-length: {head[:200]!r}")
            line_end = head.find(b"\r\n", start)
            length = int(head[start + 15: line_end if line_end > 0 else None])
            if len(self.buffer) < end + 4 + length:
                return
            if head[9:12] != b"200":
                self.errors += 1
            self.buffer = self.buffer[end + 4 + length:]
            self.completed += 1
            now = time.perf_counter()
            if self.sent_at >= self.measure_from:
                self.latencies.append(now - self.sent_at)
            if now >= self.stop_at:
                self.transport.close()
                if not self.done.done():
                    self.done.set_result(None)
                return
            self._send()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            self.done.set_result(None)


async def _drive(args: argparse.Namespace) -> dict[str, float]:
    body = json.dumps(QUERY).encode()
    headers = [
        f"POST {args.path} HTTP/1.1", f"Host: 127.0.0.1:{args.port}", "Content-Type: application/json",
        "Accept: application/json", f"Content-Length: {len(body)}",
    ]
    if args.token:
        headers.append(f"Authorization: Bearer {args.token}")
    request = ("\r\n".join(headers) + "\r\n\r\n").encode() + body
    loop = asyncio.get_running_loop()
    start = time.perf_counter()
    measure_from, stop_at = start + args.warmup, start + args.warmup + args.duration
    latencies: list[float] = []
    connections = []
    for _ in range(args.connections):
        done: asyncio.Future[None] = loop.create_future()
        _, protocol = await loop.create_connection(
            lambda d=done: _Connection(request, stop_at, measure_from, latencies, d), "127.0.0.1", args.port
        )
        connections.append(protocol)
    await asyncio.gather(*(c.done for c in connections))
    elapsed = time.perf_counter() - measure_from
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": latencies[len(latencies) // 2] * 1000 if latencies else 0.0,
        "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000 if latencies else 0.0,
        "errors": sum(c.errors for c in connections),
        "completed": sum(c.completed for c in connections),
    }


def drive(args: argparse.Namespace) -> None:
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    print(json.dumps(asyncio.run(_drive(args))))


# --- The orchestration ------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process, all its threads (Linux); None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_ready(port: int, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("server did not become ready")


def _sign_up(port: int) -> str:
    import httpx

    mutation = (
        "mutation($input: SignUpInput!) { signUp(input: $input) { token userErrors { message } } }"
    )
    variables = {"input": {"email": f"bench-{port}@example.com", "password": "bench-password-123",
                           "displayName": "Bench", "role": "CANDIDATE"}}
    response = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": mutation, "variables": variables})
    payload = response.json()["data"]["signUp"]
    assert payload["token"], payload
    check = httpx.post(f"http://127.0.0.1:{port}/graphql", json=QUERY,
                       headers={"Authorization": f"Bearer {payload['token']}"}).json()
    assert check.get("data", {}).get("viewer", {}).get("id"), check
    return str(payload["token"])


def _run(target: str, args: argparse.Namespace, database_url: str) -> dict[str, float]:
    port = _free_port()
    server_cmd = [
        sys.executable, __file__, "_serve", target, "--port", str(port), "--database-url", database_url,
        "--loop", args.loop, "--http", args.http, *(["--access-log"] if args.access_log else []),
    ]
    # uvicorn's access log goes to stdout: discarded, but still formatted and written.
    server = subprocess.Popen(server_cmd, cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        _wait_ready(port, server)
        token = _sign_up(port) if target == "graphql" else ""
        if args.pause:
            input(f"{target} server pid {server.pid} on port {port}; press Enter to start the load ")
        cpu_before = _cpu_seconds(server.pid)
        driver = subprocess.run(
            [sys.executable, __file__, "_drive", "--port", str(port),
             "--path", "/graphql" if target == "graphql" else "/json", "--token", token,
             "--duration", str(args.duration), "--warmup", str(args.warmup),
             "--connections", str(args.connections)],
            cwd=ROOT, check=True, capture_output=True, text=True,
        )
        result = json.loads(driver.stdout)
        cpu_after = _cpu_seconds(server.pid)
        if cpu_before is not None and cpu_after is not None and result["completed"]:
            result["cpu_us"] = (cpu_after - cpu_before) / result["completed"] * 1e6
        return result
    finally:
        server.terminate()
        server.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per server (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds first (default 2)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent keep-alive connections (default 16)")
    parser.add_argument("--loop", default="auto", choices=["auto", "asyncio", "uvloop"])
    parser.add_argument("--http", default="auto", choices=["auto", "h11", "httptools"])
    parser.add_argument("--access-log", action="store_true", help="let uvicorn log every request (off by default)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="alternate the two servers this many times and keep each one's best (default 1)")
    parser.add_argument("--only", choices=["graphql", "bare"], help="measure one server only")
    parser.add_argument("--pause", action="store_true", help="wait for Enter before loading (to attach a profiler)")
    sub = parser.add_subparsers(dest="internal")
    serve_p = sub.add_parser("_serve")
    serve_p.add_argument("target", choices=["graphql", "bare"])
    serve_p.add_argument("--port", type=int, required=True)
    serve_p.add_argument("--database-url", default="")
    serve_p.add_argument("--loop", default="auto")
    serve_p.add_argument("--http", default="auto")
    serve_p.add_argument("--access-log", action="store_true")
    drive_p = sub.add_parser("_drive")
    drive_p.add_argument("--port", type=int, required=True)
    drive_p.add_argument("--path", required=True)
    drive_p.add_argument("--token", default="")
    drive_p.add_argument("--duration", type=float, required=True)
    drive_p.add_argument("--warmup", type=float, required=True)
    drive_p.add_argument("--connections", type=int, required=True)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))  # run as a script: import the repository's packages
    if args.internal == "_serve":
        serve(args)
        return 0
    if args.internal == "_drive":
        drive(args)
        return 0

    from graph.database import apply_migrations
    from graph.settings import Settings

    with tempfile.TemporaryDirectory(prefix="http-floor-") as tmp:
        database_url = f"sqlite://{tmp}/bench.sqlite3"
        asyncio.run(apply_migrations(Settings(database_url=database_url)))
        print(f"uvicorn loop={args.loop} http={args.http} access_log={'on' if args.access_log else 'off'}; "
              f"{args.connections} connections, {args.warmup:g} s warm-up + {args.duration:g} s each")
        results: dict[str, dict[str, float]] = {}
        targets = [t for t in ("graphql", "bare") if not args.only or args.only == t]
        for _ in range(args.rounds):
            for target in targets:
                result = _run(target, args, database_url)
                label = "POST /graphql { viewer { id } }" if target == "graphql" else "POST /json (bare Starlette)"
                cpu = f"   server CPU {result['cpu_us']:5.0f} µs/req" if "cpu_us" in result else ""
                print(f"{label:32} {result['rps']:7.0f} req/s   p50 {result['p50_ms']:6.2f} ms   "
                      f"p99 {result['p99_ms']:6.2f} ms{cpu}   non-200 {int(result['errors'])}", flush=True)
                if target not in results or result["rps"] > results[target]["rps"]:
                    results[target] = result
        if len(results) == 2:
            graphql, bare = results["graphql"], results["bare"]
            line = f"ratio bare/graphql: {bare['rps'] / graphql['rps']:.2f}x in req/s"
            if "cpu_us" in graphql and "cpu_us" in bare:
                line += f", {graphql['cpu_us'] / bare['cpu_us']:.2f}x in server CPU per request"
            print(line + (f" (best of {args.rounds} rounds)" if args.rounds > 1 else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
