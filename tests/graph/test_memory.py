"""Memory does not grow with traffic (issue 21): N cycles, then N more, compared after a
full collection. Nothing is timed: live objects are counted (``graph.debug``).

A leak shows as growth between the first and the second N that scales with N; what a
process builds once (statement caches, parsed documents) is built during the warm-up.
"""

from __future__ import annotations

import gc
import types
from collections.abc import Awaitable, Callable

import httpx
import pytest

from graph.debug import APP_PACKAGES, cache_sizes, drop_cancelled_timers, live_objects
from graph.memory import tune_garbage_collector
from graph.settings import Settings, SettingsError
from models.profiles import Profile, Visibility
from tests.factories.chat import pk, send, start_chat
from tests.graphql import GraphQLClient, live_subscriptions, subscribed

N = 30
# Objects the collector tracks may differ by a few between two counts (a pending timer,
# a pooled connection); a leak of even one object per cycle exceeds this.
SLACK = N // 2
# Rounds until one is flat (``assert_flat``). asyncpg fills each pooled connection's
# statement cache (an expiry timer per entry) over the first rounds, and the pool opens
# connections (up to 10, each with an empty cache) only when requests and the in-process
# mail sender overlap: on a loaded CI machine a fifth round still added the 14 statements
# of a connection just opened (and a transaction of the mail sender was in flight when
# it was counted). A leak grows in every round, so more rounds only cost time when the
# stack is still filling.
ROUNDS = 10
# The libraries the server runs on: their objects must not grow with N either.
SERVER_STACK = ("strawberry.", "graphql.", "starlette.", "tortoise.", "pypika_tortoise.", "aiosqlite.", "asyncio.")
# sqlite3 keeps a weak reference per cursor and prunes the dead ones every 200 cursors.
BOUNDED_ELSEWHERE = {"weakref.ReferenceType"}


MESSAGE_ADDED = """
subscription Added($conversationId: ID) {
  messageAdded(conversationId: $conversationId) { id seq body conversation { id status } sender { displayName } }
}
"""
VIEWER = "query Viewer { viewer { id displayName role company { name } } }"
SEARCH = """
query Search($query: String) {
  searchCandidates(query: $query, first: 20) {
    totalCount
    facets { skills { value count } countries { value count } remotePreferences { value count } openToWork { value count } }
    edges { cursor score node { id headline displayName skills { name level } } highlights { field text } }
  }
}
"""
PROFILE = "query Profile($handle: String!) { profile(handle: $handle) { id handle headline skills { name level } } }"


@pytest.fixture
def settings(database_url: str) -> Settings:
    from tests.conftest import base_settings

    # The app runs as ``serve`` does: the mail sender and the scheduler in-process.
    return base_settings(database_url, messages_per_minute=100_000, costly_mutations_per_minute_per_address=100_000)


def graphql_view(app: object) -> object:
    return next(r.app for r in app.router.routes if r.path == "/graphql")


async def counted(app: object) -> tuple[dict[str, int], dict[str, int]]:
    """Live objects by type (after a full collection) and the caches' entry counts.

    Cancelled timers that asyncio keeps in its heap until their deadline (each request's
    30 s body-read timeout, the test client's 5 s receive timeouts) are dropped first: how
    many are still there depends on which live timer is due first (with the mail sender's
    2 s poll, all of them; ``graph.debug.drop_cancelled_timers``). Live timers are counted."""
    await drop_cancelled_timers()
    gc.collect()
    return live_objects(top=100_000)["top"], cache_sizes(graphql_view(app))


def growth(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {name: after[name] - before.get(name, 0) for name in after if after[name] > before.get(name, 0)}


async def assert_flat(app: object, cycle: Callable[[], Awaitable[None]], *, client_keeps_sockets: bool = False) -> None:
    """Warm up, then rounds of N cycles: a round must leave nothing behind.

    Bounded caches of the stack may still be filling after the warm-up (asyncpg keeps
    up to 100 statements per pooled connection, each with an expiry timer), so up to
    ``ROUNDS`` rounds are run until one is flat; a leak grows in every round.
    In-process WebSocket clients (httpx-ws) keep each closed connection's streams until
    the transport closes; with ``client_keeps_sockets`` only typed objects of the app
    and of the server's stack are compared, not the total."""
    for _ in range(3):
        await cycle()
    types, caches = await counted(app)
    problems: list[str] = []
    for _ in range(ROUNDS):
        for _ in range(N):
            await cycle()
        types_next, caches_next = await counted(app)
        grown = growth(types, types_next)
        ours = {name: n for name, n in grown.items() if name.startswith(APP_PACKAGES + SERVER_STACK)}
        total = sum(n for name, n in grown.items() if name not in BOUNDED_ELSEWHERE)
        problems = []
        if ours:
            problems.append(f"objects of the app and its server stack grew in {N} cycles: {ours}")
        if caches_next != caches:
            problems.append(f"a cache grew in {N} cycles: {caches} → {caches_next}")
        if not client_keeps_sockets and total > SLACK:
            problems.append(f"{total / N:.1f} more live objects per cycle: {grown}")
        if not problems:
            return
        types, caches = types_next, caches_next
    raise AssertionError(f"still growing after {ROUNDS} rounds of {N} cycles: " + "; ".join(problems))


async def test_live_subscriptions_do_not_grow_with_deliveries(app: object, gql: GraphQLClient) -> None:
    # given: a new employer and candidate talk; each follows it live (conversation, inbox)
    chat = await start_chat(gql, accept=True)
    async with gql.websocket(token=chat.candidate.token) as candidate, gql.websocket(token=chat.employer.token) as employer:
        on_conversation = await subscribed(app, candidate, MESSAGE_ADDED, {"conversationId": chat.conversation_id})
        on_inbox = await subscribed(app, employer, MESSAGE_ADDED, {})

        async def deliver() -> None:
            await send(gql, chat.employer, chat.conversation_id, "hello")
            assert (await candidate.next(on_conversation))["data"]["messageAdded"]["body"] == "hello"
            assert (await employer.next(on_inbox))["data"]["messageAdded"]["body"] == "hello"

        # when / then
        await assert_flat(app, deliver)


async def test_ended_subscriptions_leave_nothing_behind(app: object, gql: GraphQLClient) -> None:
    # given
    chat = await start_chat(gql, accept=True)

    async def subscribe_receive_complete() -> None:
        async with gql.websocket(token=chat.candidate.token) as ws:
            op = await subscribed(app, ws, MESSAGE_ADDED, {"conversationId": chat.conversation_id})
            await send(gql, chat.employer, chat.conversation_id, "one")
            await ws.next(op)
            await ws.stop(op)
        await live_subscriptions(app, 0)  # the server let go of it

    # when / then
    await assert_flat(app, subscribe_receive_complete, client_keeps_sockets=True)
    assert cache_sizes(graphql_view(app))["brokerChannels"] == 0


def _suspended_coroutines() -> list[str]:
    """``file:qualname`` of every live coroutine, after a full collection."""
    gc.collect()
    return [f"{c.cr_code.co_filename}:{c.__qualname__}" for c in gc.get_objects() if isinstance(c, types.CoroutineType)]


async def test_an_open_subscription_keeps_no_http_layer_and_no_init_timer(app: object, gql: GraphQLClient) -> None:
    # given: a new candidate follows her conversation live
    chat = await start_chat(gql, accept=True)
    async with gql.websocket(token=chat.candidate.token) as ws:
        await subscribed(app, ws, MESSAGE_ADDED, {"conversationId": chat.conversation_id})
        # when: the socket is open and idle
        suspended = _suspended_coroutines()
        # then: nothing of the HTTP middleware stack or the router waits under it
        # (graph.app.App hands the GraphQL WebSocket straight to its app) …
        layers = ("starlette/middleware/", "starlette/routing.py", "starlette/applications.py", "starlette/_exception_handler.py")
        http_layers = [c for c in suspended if any(layer in c for layer in layers) or c.endswith(":BodySizeLimit.__call__")]
        assert http_layers == []
        # … strawberry's connection-init timeout did not outlive the init …
        assert [c for c in suspended if c.endswith("handle_connection_init_timeout")] == []
        # … and the only operation hooks held open are those with work after the operation
        # (the log line, the error masking): the document limits ended with validation
        held = sorted(g.__qualname__ for g in gc.get_objects() if isinstance(g, types.GeneratorType) and g.__name__ == "on_operation")
        assert held == ["MaskErrors.on_operation", "OperationLog.on_operation"]
        # the subscription still delivers
        await send(gql, chat.employer, chat.conversation_id, "still here")
        assert (await ws.next())["data"]["messageAdded"]["body"] == "still here"


async def test_http_requests_do_not_grow_memory(app: object, gql: GraphQLClient) -> None:
    # given: an employer who searches, opens a profile and writes
    chat = await start_chat(gql, accept=True)
    await Profile.filter(user_id=pk(chat.candidate.id)).update(visibility=Visibility.EMPLOYERS)
    handle = (await Profile.get(user_id=pk(chat.candidate.id))).handle
    token = chat.employer.token

    async def mix() -> None:
        await gql.execute(VIEWER, token=token)
        await gql.execute(SEARCH, {"query": "data"}, token=token)
        await gql.execute(PROFILE, {"handle": handle}, token=token)
        await send(gql, chat.employer, chat.conversation_id, "mix")

    # when / then
    await assert_flat(app, mix)


async def test_debug_endpoint_is_off_by_default(http: httpx.AsyncClient) -> None:
    assert (await http.get("/debug/memory")).status_code == 404


async def test_debug_endpoint_reports_memory_when_enabled(settings: Settings) -> None:
    # given
    from tests.conftest import running_app

    async with running_app(settings.replace(debug_endpoints=True)) as (_, http):
        # when
        report = (await http.get("/debug/memory", params={"collect": "1"})).json()
    # then
    assert report["process"]["rssKiB"] > 0 and report["process"]["fds"] > 0
    assert report["objects"]["total"] > 0
    assert report["caches"]["brokerChannels"] == 0


def test_debug_endpoints_are_refused_in_production() -> None:
    with pytest.raises(SettingsError, match="DEBUG_ENDPOINTS"):
        Settings.from_env({"ENVIRONMENT": "production", "SECRET_KEY": "s" * 40, "DEBUG_ENDPOINTS": "true"})


def test_the_server_collects_old_cycles_after_a_bounded_number_of_allocations() -> None:
    """Reference cycles that reached the oldest generation (a request's loaders and
    executor, an ended subscription's state) wait for a full collection. With the
    server's thresholds one comes after ~1.2 million net allocations at most; at the
    former (50,000, 20, 100) it took 100 million, and RSS grew ~2.7 MiB per 1,000
    requests. (The bound was 100,000, CPython's own thresholds: with 1,000 subscribers a
    full collection took ~140 ms, nine of them 1.3 s of a 9.7 s fan-out run; with these,
    two took 0.1 s, and bench/soak.py stayed flat — graph/memory.py.)"""
    previous = gc.get_threshold()
    try:
        tune_garbage_collector()
        young, middle, old = gc.get_threshold()
    finally:
        gc.unfreeze()
        gc.set_threshold(*previous)
    assert young * (middle + 1) * (old + 1) <= 1_250_000
