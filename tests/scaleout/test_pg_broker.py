"""Several server processes on PostgreSQL alone (no Redis): ``BROADCAST_URL`` is the
database itself, events travel by LISTEN/NOTIFY. What one process writes, subscribers on
the other receive, and a subscriber loses nothing when the listening connection is
terminated (a database restart, as the listener sees it) or cut.

Run when TEST_POSTGRES_URL is set; each test has its own database and channel prefix.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlparse, urlunparse

import httpx
import pytest

from subscriptions.broker_postgres import listener_application_name
from tests.graphql import GraphQLClient
from tests.scaleout.servers import serve
from tests.scaleout.story import EXTEND, MESSAGE_ADDED, OFFER_UPDATED, accepted_conversation, send
from tests.scaleout.tcp_proxy import TcpProxy

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_env(database_url: str) -> dict[str, str]:
    """Environment for server processes sharing one PostgreSQL database, and nothing else."""
    return {
        "DATABASE_URL": database_url,
        "BROADCAST_URL": database_url,
        "BROADCAST_CHANNEL_PREFIX": f"t{uuid.uuid4().hex[:8]}:",
    }


async def _terminate_listeners(database_url: str, prefix: str) -> int:
    import asyncpg

    admin = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1), timeout=5)
    try:
        return int(await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1",
            listener_application_name(prefix),
        ))
    finally:
        await admin.close()


async def _read_until(ws: Any, op: str, last_id: str) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    while not seen or seen[-1]["id"] != last_id:
        seen.append((await ws.next(op, timeout=20))["data"]["messageAdded"])
    return seen


async def test_two_servers_on_postgres_alone_deliver_each_others_chat(pg_env: dict[str, str]) -> None:
    async with serve(pg_env) as a, serve(pg_env) as b:
        async with httpx.AsyncClient(base_url=a.url) as client_a, httpx.AsyncClient(base_url=b.url) as client_b:
            on_a, on_b = GraphQLClient(client_a), GraphQLClient(client_b)
            # given: a candidate and an employer who signed up on A and talk
            candidate, employer, conversation_id, _ = await accepted_conversation(on_a)
            # the candidate listens on B, the employer on A
            async with on_b.websocket(token=candidate.token) as candidate_ws, \
                    on_a.websocket(token=employer.token) as employer_ws:
                to_candidate = await candidate_ws.subscribe(MESSAGE_ADDED, {"id": conversation_id})
                offers = await candidate_ws.subscribe(OFFER_UPDATED)
                to_employer = await employer_ws.subscribe(MESSAGE_ADDED, {"id": conversation_id})
                await candidate_ws.expect_silence(0.3)
                await employer_ws.expect_silence(0.1)
                # when: each writes through the other's server
                from_a = await send(on_a, employer, conversation_id, "Sent on A, read on B")
                from_b = await send(on_b, candidate, conversation_id, "Sent on B, read on A")
                await on_a.mutate(EXTEND, {"conversationId": conversation_id, "terms": {
                    "title": "Platform engineer", "description": "Offer",
                    "salary": {"amount": 95000, "currency": "EUR", "period": "YEAR"}}}, token=employer.token)
                # then: both directions arrive
                assert [m["id"] for m in await _read_until(candidate_ws, to_candidate, from_b["id"])] == \
                    [from_a["id"], from_b["id"]]
                assert [m["id"] for m in await _read_until(employer_ws, to_employer, from_b["id"])] == \
                    [from_a["id"], from_b["id"]]
                update = (await candidate_ws.next(offers, timeout=10))["data"]["offerUpdated"]
                assert (update["change"], update["offer"]["status"]) == ("EXTENDED", "SENT")


async def test_serve_two_workers_with_postgres_broadcast(pg_env: dict[str, str]) -> None:
    """``serve --workers 2`` runs on PostgreSQL alone; messages posted to any worker reach
    a subscriber on any worker."""
    async with serve(pg_env, workers=2) as server:
        async with httpx.AsyncClient(base_url=server.url) as client:
            gql = GraphQLClient(client)
            candidate, employer, conversation_id, first = await accepted_conversation(gql)
            async with gql.websocket(token=candidate.token) as ws:
                op = await ws.subscribe(MESSAGE_ADDED, {"id": conversation_id, "after": first["id"]})
                # fresh connections each time: uvicorn's workers share the port
                sent = []
                for i in range(8):
                    async with httpx.AsyncClient(base_url=server.url) as fresh:
                        sent.append(await send(GraphQLClient(fresh), employer, conversation_id, f"m{i}"))
                got = await _read_until(ws, op, sent[-1]["id"])
                assert [m["id"] for m in got][-len(sent):] == [m["id"] for m in sent]
                await ws.expect_silence(0.3)


async def test_listener_terminated_mid_stream_loses_nothing(pg_env: dict[str, str]) -> None:
    """The listening backends of both servers are terminated (what a database restart
    does to them) while messages keep coming; the subscriber gets every one, in order,
    once; a client that then disconnects resumes with ``after``."""
    async with serve(pg_env) as a, serve(pg_env) as b:
        async with httpx.AsyncClient(base_url=a.url) as client_a, httpx.AsyncClient(base_url=b.url) as client_b:
            on_a, on_b = GraphQLClient(client_a), GraphQLClient(client_b)
            candidate, employer, conversation_id, first = await accepted_conversation(on_a)
            async with on_b.websocket(token=candidate.token) as ws:
                op = await ws.subscribe(MESSAGE_ADDED, {"id": conversation_id, "after": first["id"]})
                before = await send(on_a, employer, conversation_id, "before")
                seen = await _read_until(ws, op, before["id"])
                # when: the listeners' connections are terminated, and messages keep coming
                assert await _terminate_listeners(pg_env["DATABASE_URL"], pg_env["BROADCAST_CHANNEL_PREFIX"]) == 2
                during = [await send(on_a, employer, conversation_id, f"during {i}") for i in range(3)]
                after = await send(on_a, employer, conversation_id, "after")
                # then: everything arrives, in order, exactly once
                expected = [m["id"] for m in during] + [after["id"]]
                got = [(await ws.next(op, timeout=20))["data"]["messageAdded"] for _ in expected]
                assert [m["id"] for m in got] == expected
                seqs = [m["seq"] for m in seen + got]
                assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
                await ws.expect_silence(0.5)
            # and a client that went away resumes with `after` on either server
            missed = [await send(on_b, employer, conversation_id, f"missed {i}") for i in range(2)]
            async with on_a.websocket(token=candidate.token) as ws:
                op = await ws.subscribe(MESSAGE_ADDED, {"id": conversation_id, "after": after["id"]})
                replay = [(await ws.next(op, timeout=10))["data"]["messageAdded"] for _ in missed]
                assert [m["id"] for m in replay] == [m["id"] for m in missed]
                await ws.expect_silence(0.3)


async def test_broadcast_connection_cut_mid_stream_loses_nothing(pg_env: dict[str, str]) -> None:
    """Both servers reach PostgreSQL's LISTEN/NOTIFY through a proxy (the data itself
    directly); cutting it is the broadcast path going away. Messages sent meanwhile are
    committed; once it is back the subscriber receives every one, in sequence."""
    target = urlparse(pg_env["BROADCAST_URL"])
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 5432)
    await proxy.start()
    proxied = urlunparse(target._replace(netloc=f"{target.username or 'postgres'}@127.0.0.1:{proxy.port}"))
    env = {**pg_env, "BROADCAST_URL": proxied}
    try:
        async with serve(env) as a, serve(env) as b:
            async with httpx.AsyncClient(base_url=a.url) as client_a, httpx.AsyncClient(base_url=b.url) as client_b:
                on_a, on_b = GraphQLClient(client_a), GraphQLClient(client_b)
                candidate, employer, conversation_id, first = await accepted_conversation(on_a)
                async with on_b.websocket(token=candidate.token) as ws:
                    op = await ws.subscribe(MESSAGE_ADDED, {"id": conversation_id, "after": first["id"]})
                    before = await send(on_a, employer, conversation_id, "before the outage")
                    seen = await _read_until(ws, op, before["id"])
                    # when: the broadcast path goes away, messages are sent, it comes back
                    await proxy.cut()
                    during = [await send(on_a, employer, conversation_id, f"during {i}") for i in range(3)]
                    await proxy.restore()
                    after = await send(on_a, employer, conversation_id, "after the outage")
                    # then: everything arrives, in order, exactly once
                    expected = [m["id"] for m in during] + [after["id"]]
                    got = [(await ws.next(op, timeout=20))["data"]["messageAdded"] for _ in expected]
                    assert [m["id"] for m in got] == expected
                    seqs = [m["seq"] for m in seen + got]
                    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
                    await ws.expect_silence(0.5)
    finally:
        await proxy.stop()
