"""The floor under chat's fan-out: a bare Starlette WebSocket app sending one text frame
per subscriber, with the same uvicorn options and the same clients as ``bench/chat.py``.

The server speaks just enough graphql-transport-ws for ``bench.chat.Subscriber``
(``connection_init`` → ``connection_ack``, ``subscribe`` registers the socket) and, on
``POST /fire``, encodes a ``next`` frame shaped like a ``messageAdded`` delivery for each
registered socket and sends it (``await websocket.send_text``), one socket after the other —
no database, no GraphQL, no authorization: what any Python ASGI server on this machine
pays to put one frame on one socket. ``bench/chat.py`` runs it after its own fan-out (the
same number of subscribers and events) and prints both; on its own::

    python bench/fanout_floor.py --subscribers 1000 --events 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.chat import Subscriber, cpu_seconds, open_all, percentile, settle  # noqa: E402
from tests.scaleout.servers import free_port  # noqa: E402


def bare_app() -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route, WebSocketRoute
    from starlette.websockets import WebSocket, WebSocketDisconnect

    subscribed: dict[WebSocket, str] = {}

    async def socket(websocket: WebSocket) -> None:
        await websocket.accept(subprotocol="graphql-transport-ws")
        try:
            while True:
                message = json.loads(await websocket.receive_text())
                if message["type"] == "connection_init":
                    await websocket.send_text(json.dumps({"type": "connection_ack"}))
                elif message["type"] == "subscribe":
                    subscribed[websocket] = message["id"]
        except WebSocketDisconnect:
            subscribed.pop(websocket, None)

    async def fire(request: Request) -> JSONResponse:
        body = (await request.json())["body"]
        for websocket, subscription_id in list(subscribed.items()):
            added = {"seq": 1, "body": body, "conversation": {"id": "Q29udmVyc2F0aW9uOjE="}}
            frame = {"id": subscription_id, "type": "next", "payload": {"data": {"messageAdded": added}}}
            try:
                await websocket.send_text(json.dumps(frame))
            except Exception:  # a client that left meanwhile
                subscribed.pop(websocket, None)
        return JSONResponse({"sent": len(subscribed)})

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    return Starlette(routes=[WebSocketRoute("/ws", socket), Route("/fire", fire, methods=["POST"]), Route("/healthz", healthz)])


async def run_floor(subscribers: int, events: int) -> tuple[float, float]:
    """Serve the bare app, open ``subscribers`` clients, fire ``events``; print and return
    (deliveries per second, server CPU µs per delivery)."""
    import httpx

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", "bench.fanout_floor:bare_app", "--factory", "--host", "127.0.0.1", "--port", str(port),
        "--ws", "websockets-sansio", "--ws-per-message-deflate", os.environ.get("WS_PER_MESSAGE_DEFLATE", "false"),
        "--http", "httptools", "--loop", "uvloop", "--log-level", "warning", "--no-access-log",
    ]
    server = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard)),
    )
    latencies: list[float] = []
    clients = [Subscriber(f"ws://127.0.0.1:{port}/ws", "bare", None, latencies, {}) for _ in range(subscribers)]
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            for _ in range(200):
                try:
                    if (await http.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            await open_all(clients)
            await settle(server.pid)
            expected = subscribers * events
            cpu_before = cpu_seconds(server.pid)
            begin = time.perf_counter()
            for n in range(events):
                await http.post("/fire", json={"body": f"t={time.time():.6f} fan={n}"})
            deadline = time.perf_counter() + 60
            while len(latencies) < expected and time.perf_counter() < deadline:
                await asyncio.sleep(0.01)
            elapsed = time.perf_counter() - begin
            cpu = cpu_seconds(server.pid) - cpu_before
        rate, per_delivery = len(latencies) / elapsed, cpu / max(1, len(latencies)) * 1e6
        print(
            f"fan-out floor (bare Starlette WebSocket, same uvicorn options): {events} events × {subscribers} subscribers = "
            f"{len(latencies)}/{expected} deliveries in {elapsed:.2f}s → {rate:.0f} deliveries/s; p99 latency "
            f"{percentile(latencies, 99) * 1000:.0f} ms"
        )
        print(f"  server CPU {cpu:.2f}s: {per_delivery:.0f} µs per delivery → {len(latencies) / max(cpu, 1e-9):.0f} deliveries per CPU-second")
        return rate, per_delivery
    finally:
        await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=1000, help="WebSocket clients (default 1000)")
    parser.add_argument("--events", type=int, default=20, help="events, each sent to every client (default 20)")
    args = parser.parse_args()
    asyncio.run(run_floor(args.subscribers, args.events))


if __name__ == "__main__":
    main()
