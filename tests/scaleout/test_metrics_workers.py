"""Metrics with several worker processes (``openforwork serve --workers 2`` on PostgreSQL
and Redis): whichever worker answers a scrape, the figures are those of both workers,
and the METRICS_PORT listener of the supervisor shows the same."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import httpx

from tests.graph.test_metrics import AUTH, TOKEN, samples, value
from tests.graphql import GraphQLClient, WebSocketClient
from tests.scaleout.servers import free_port, serve

PING = "query Ping { __typename }"
MAX_SOCKETS = 24


async def fresh_scrape(url: str, headers: dict[str, str] | None = None) -> str:
    """A scrape over a new connection (so it may land on either worker)."""
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{url}/metrics", headers=headers or {})
        assert response.status_code == 200, response.text
        return response.text


def per_worker(text: str, name: str) -> dict[str, float]:
    return {dict(labels)["pid"]: v for (n, labels), v in samples(text).items() if n == name}


async def test_two_workers_add_up_in_every_scrape(shared_env: dict[str, str]) -> None:
    metrics_port = free_port()
    env = {**shared_env, "METRICS_TOKEN": TOKEN, "METRICS_PORT": str(metrics_port)}
    async with serve(env, workers=2) as server, contextlib.AsyncExitStack() as sockets:
        # given: both workers are up (one start-time series per worker)
        workers = per_worker(await fresh_scrape(server.url, AUTH), "openforwork_worker_start_time_seconds")
        assert len(workers) == 2, workers
        # when: requests arrive over new connections, and sockets are opened until both
        # workers hold some (the kernel hands each connection to either worker)
        requests = 30
        for _ in range(requests):
            async with httpx.AsyncClient(base_url=server.url) as client:
                await GraphQLClient(client).execute(PING)
        opened = 0
        holding: dict[str, float] = {}
        while opened < MAX_SOCKETS and len([v for v in holding.values() if v > 0]) < 2:
            client = await sockets.enter_async_context(httpx.AsyncClient(base_url=server.url))
            await sockets.enter_async_context(_socket(client))
            opened += 1
            holding = per_worker(await fresh_scrape(server.url, AUTH), "openforwork_websockets_open")
        # then: each worker's own figures show (sockets per pid), summing to what was opened
        assert set(holding) == set(workers)
        assert all(v > 0 for v in holding.values()), holding
        assert sum(holding.values()) == opened
        # and: every scrape, whichever worker answers it, counts every request of both
        for _ in range(6):
            text = await fresh_scrape(server.url, AUTH)
            assert value(text, "openforwork_graphql_operations_total", operation="Ping", type="query") == requests
            assert value(text, "openforwork_websockets_open") == opened
        # and: the separate port (no token; bound to 127.0.0.1) serves the same figures
        text = await fresh_scrape(f"http://127.0.0.1:{metrics_port}")
        assert value(text, "openforwork_graphql_operations_total", operation="Ping") == requests
        assert per_worker(text, "openforwork_websockets_open") == holding
        # and: each worker reports its own pool (sampled every few seconds)
        for _ in range(60):
            pools = {
                dict(labels)["pid"]: v
                for (n, labels), v in samples(await fresh_scrape(server.url, AUTH)).items()
                if n == "openforwork_db_pool_connections" and dict(labels)["state"] == "max"
            }
            if len(pools) == 2:
                break
            await asyncio.sleep(0.25)
        assert pools == dict.fromkeys(workers, 10.0)


@contextlib.asynccontextmanager
async def _socket(client: httpx.AsyncClient) -> AsyncIterator[WebSocketClient]:
    async with GraphQLClient(client).websocket() as ws:
        yield ws
