"""Freed memory goes back to the system once the last WebSocket client has left
(graph/memory.py), through the real app and a real WebSocket."""

from __future__ import annotations

import asyncio

import pytest
from tortoise import connections

from graph.database import release_database_memory
from graph.memory import IdleTrim, release_free_memory
from tests.graphql import GraphQLClient


def graphql_view(app: object) -> IdleTrim:
    view = next(r.app for r in app.router.routes if r.path == "/graphql")
    return view.idle


async def until(condition: object, rounds: int = 200) -> None:
    for _ in range(rounds):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition never held")


async def test_the_heap_is_trimmed_once_the_last_socket_closes(app: object, gql: GraphQLClient) -> None:
    # given: a short delay, and two clients holding sockets
    idle = graphql_view(app)
    idle.delay = 0.05
    async with gql.websocket():
        async with gql.websocket():
            assert idle.open == 2
        # when one leaves: the other is still connected, nothing is trimmed
        await until(lambda: idle.open == 1)
        await asyncio.sleep(0.1)
        assert idle.trims == 0
    # when the last one leaves
    await until(lambda: idle.trims == 1)
    # then: one trim, nothing left pending
    assert idle.open == 0
    assert idle._timer is None


async def test_a_client_arriving_before_the_delay_cancels_the_trim() -> None:
    idle = IdleTrim(delay=0.05)
    idle.opened()
    idle.closed()
    idle.opened()  # back before the delay ran out
    await asyncio.sleep(0.1)
    assert idle.trims == 0
    idle.closed()
    await until(lambda: idle.trims == 1)


def test_release_free_memory_answers_without_failing() -> None:
    assert release_free_memory() in {True, False}


async def test_the_trim_first_asks_each_cache_to_forget() -> None:
    forgotten: list[str] = []
    idle = IdleTrim(delay=0.05, forget=[lambda: forgotten.append("sessions")])
    idle.opened()
    idle.closed()
    await until(lambda: idle.trims == 1)
    assert forgotten == ["sessions"]


def test_the_app_forgets_expired_sessions_and_releases_the_database_cache_when_idle(app: object) -> None:
    view = next(r.app for r in app.router.routes if r.path == "/graphql")
    assert view.idle.forget == [view.sessions.drop_expired]
    assert view.idle.release == [release_database_memory]


async def test_each_release_is_awaited_after_the_forgetting_and_before_the_trim() -> None:
    steps: list[str] = []

    async def release() -> None:
        await asyncio.sleep(0)
        steps.append(f"release, trims {idle.trims}")

    idle = IdleTrim(delay=0.01, forget=[lambda: steps.append("forget")], release=[release])
    idle.opened()
    idle.closed()
    await until(lambda: idle.trims == 1)
    assert steps == ["forget", "release, trims 0"]


async def test_a_failing_release_does_not_stop_the_trim(caplog: pytest.LogCaptureFixture) -> None:
    async def closed_database() -> None:
        raise RuntimeError("the database is closed")

    idle = IdleTrim(delay=0.01, release=[closed_database])
    idle.opened()
    idle.closed()
    await until(lambda: idle.trims == 1)
    assert "closed_database" in caplog.text


async def test_a_client_arriving_while_the_release_runs_stops_the_trim() -> None:
    idle = IdleTrim(delay=0.01)

    async def slow_release() -> None:
        idle.opened()  # a client connects while the release is awaited
        await asyncio.sleep(0)

    idle.release = [slow_release]
    idle.opened()
    idle.closed()
    await asyncio.sleep(0.1)
    assert idle.trims == 0
    idle.release = []
    idle.closed()
    await until(lambda: idle.trims == 1)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_sqlites_page_cache_is_handed_back_once_the_last_socket_closes(app: object, gql: GraphQLClient) -> None:
    # given: a short delay and a trace of the statements SQLite runs
    idle = graphql_view(app)
    idle.delay = 0.05
    ran: list[str] = []
    client = connections.get("default")
    await client.execute_query("SELECT count(*) FROM profile")  # pages read into the cache
    connection = client._connection
    # when: a client's socket opens and closes
    async with gql.websocket():
        await connection.set_trace_callback(ran.append)
    await until(lambda: idle.trims == 1)
    await connection.set_trace_callback(None)
    # then: the connection's page cache went back to the allocator before the trim
    assert "PRAGMA shrink_memory" in ran
