"""Chat across workers: two app instances (separate brokers) on one Redis and one
database deliver each other's messages, and delivery recovers after the Redis
connection drops — with nothing lost in between. Needs TEST_REDIS_URL."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator

import httpx
from httpx_ws.transport import ASGIWebSocketTransport

from graph.app import create_app
from tests.conftest import base_settings, held, running_app
from tests.factories.chat import send, start_chat
from tests.graphql import LEGACY_WS, TRANSPORT_WS, GraphQLClient, subscribed
from tests.subscriptions.test_broker import _kill_pubsub

MESSAGE_ADDED = """
subscription Added($conversationId: ID, $after: ID) {
  messageAdded(conversationId: $conversationId, after: $after) { id seq body }
}
"""


def _settings(database_url: str, redis_url: str, prefix: str):
    return base_settings(database_url, broadcast_url=redis_url, broadcast_channel_prefix=prefix)


@contextlib.asynccontextmanager
async def second_worker(settings) -> AsyncIterator[tuple[object, httpx.AsyncClient]]:
    """Another app instance with its own broker, schema and routes. Tortoise allows one
    global ORM context per process, so it uses the first instance's ORM connection to
    the same database (a second process would open its own)."""
    application = create_app(settings)
    broker = application.state.broker
    await broker.connect()
    try:
        async with ASGIWebSocketTransport(application) as transport:  # type: ignore[arg-type]
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                yield application, client
    finally:
        await application.state.graphql_app.costly_limiter.aclose()  # its Redis rate counter
        await broker.disconnect()


async def test_two_workers_deliver_each_others_messages(database_url: str, redis_url: str) -> None:
    # given: two app instances sharing the database and Redis, a subscriber on each
    prefix = f"test-{uuid.uuid4().hex[:12]}:"
    async with held(running_app(_settings(database_url, redis_url, prefix))) as (app_a, http_a), held(
        second_worker(_settings(database_url, redis_url, prefix))
    ) as (app_b, http_b):
        a, b = GraphQLClient(http_a), GraphQLClient(http_b)
        chat = await start_chat(a, accept=True)
        async with b.websocket(token=chat.candidate.token, protocol=TRANSPORT_WS) as on_b, a.websocket(
            token=chat.employer.token, protocol=LEGACY_WS
        ) as on_a:
            op_b = await subscribed(app_b, on_b, MESSAGE_ADDED, {"conversationId": chat.conversation_id})
            op_a = await subscribed(app_a, on_a, MESSAGE_ADDED)
            # when: sent through worker A, then through worker B
            await send(a, chat.employer, chat.conversation_id, "via A")
            await send(b, chat.candidate, chat.conversation_id, "via B")
            # then: each subscriber gets both, in order
            assert [(await on_b.next(op_b))["data"]["messageAdded"]["body"] for _ in range(2)] == ["via A", "via B"]
            assert [(await on_a.next(op_a))["data"]["messageAdded"]["body"] for _ in range(2)] == ["via A", "via B"]


async def test_delivery_recovers_after_the_redis_connection_drops(database_url: str, redis_url: str) -> None:
    # given
    prefix = f"test-{uuid.uuid4().hex[:12]}:"
    async with held(running_app(_settings(database_url, redis_url, prefix))) as (app, http):
        gql = GraphQLClient(http)
        chat = await start_chat(gql, accept=True)
        broker = app.state.broker
        async with gql.websocket(token=chat.candidate.token) as ws:
            op = await subscribed(app, ws, MESSAGE_ADDED, {"conversationId": chat.conversation_id})
            await send(gql, chat.employer, chat.conversation_id, "before")
            assert (await ws.next(op))["data"]["messageAdded"]["body"] == "before"
            # when: the pub/sub connection is killed and a message is sent right away
            assert await _kill_pubsub(redis_url, broker.pubsub_client_name) == 1
            await send(gql, chat.employer, chat.conversation_id, "during the outage")
            # then: nothing is lost (RESYNC re-reads the database), and live delivery resumes
            assert (await ws.next(op, timeout=10))["data"]["messageAdded"]["body"] == "during the outage"
            await send(gql, chat.employer, chat.conversation_id, "after")
            assert (await ws.next(op, timeout=10))["data"]["messageAdded"]["body"] == "after"
            await ws.expect_silence()
