"""The broker over PostgreSQL LISTEN/NOTIFY (``BROADCAST_URL=postgres://…``): round trips
between brokers (as two workers would have), confirmed subscriptions, concurrent
publishes, safe channel names, the NOTIFY payload limit, and recovery with RESYNC when the
listening connection is terminated, cut, or stops answering.

Run when TEST_POSTGRES_URL is set (CI sets it); each test uses its own channel prefix, so
parallel runs on one database do not see each other.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from urllib.parse import urlparse, urlunparse

import pytest

from subscriptions import broker_postgres
from subscriptions.broker import RESYNC_TYPE, Broker, SlowConsumer
from subscriptions.broker_postgres import MAX_IDENTIFIER_BYTES, EventTooLarge, pg_channel
from tests.scaleout.tcp_proxy import TcpProxy

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url() -> str:
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        pytest.skip("TEST_POSTGRES_URL is not set")
    return url


@pytest.fixture
def prefix() -> str:
    return f"test-{uuid.uuid4().hex[:12]}:"


@contextlib.asynccontextmanager
async def connected(url: str, prefix: str, **options: object) -> AsyncIterator[Broker]:
    broker = Broker(url, channel_prefix=prefix, **options)
    await broker.connect()
    try:
        yield broker
    finally:
        await broker.disconnect()


async def _admin(url: str):
    import asyncpg

    return await asyncpg.connect(url.replace("postgres://", "postgresql://", 1), timeout=5)


async def _terminate_listener(url: str, application_name: str) -> int:
    """End the listening backend from another connection, as a database restart would."""
    admin = await _admin(url)
    try:
        return int(await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1",
            application_name,
        ))
    finally:
        await admin.close()


def _through(url: str, port: int) -> str:
    parsed = urlparse(url)
    return urlunparse(parsed._replace(netloc=f"{parsed.username or 'postgres'}@127.0.0.1:{port}"))


class BlackHoleProxy(TcpProxy):
    """A TCP proxy whose open connections can be turned into black holes: bytes stop
    flowing both ways and nothing is closed (a pulled cable, a dead NAT entry). New
    connections pass."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(host, port)
        self._holed: set[asyncio.StreamWriter] = set()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(self.target_host, self.target_port)
        self._writers |= {writer, upstream_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while data := await src.read(65536):
                    if dst in self._holed:
                        continue  # swallowed
                    dst.write(data)
                    await dst.drain()
            with contextlib.suppress(Exception):
                dst.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

    def black_hole(self) -> None:
        self._holed |= self._writers


async def test_round_trip_between_two_brokers(pg_url: str, prefix: str) -> None:
    """Two brokers, as two workers would have: subscribe() returned, so PostgreSQL
    confirmed the LISTEN and an immediate publish is delivered."""
    async with connected(pg_url, prefix) as publisher, connected(pg_url, prefix) as subscriber:
        async with subscriber.subscribe("room") as subscription:
            await publisher.publish("room", {"type": "message", "n": 1})
            event = await asyncio.wait_for(subscription.get(), 5)
            assert event == {"type": "message", "n": 1, "channel": "room"}
        assert await publisher.ping() and await subscriber.ping()


async def test_other_prefixes_and_channels_are_not_heard(pg_url: str, prefix: str) -> None:
    async with connected(pg_url, prefix) as ours, connected(pg_url, "other-" + prefix) as theirs:
        async with ours.subscribe("room") as subscription:
            await theirs.publish("room", {"n": "theirs"})
            await ours.publish("elsewhere", {"n": "elsewhere"})
            await ours.publish("room", {"n": "ours"})
            assert (await asyncio.wait_for(subscription.get(), 5))["n"] == "ours"
            assert subscription.get_nowait() is None


async def test_concurrent_publishes_all_arrive(pg_url: str, prefix: str) -> None:
    """broadcaster 0.3.1's backend fails this: one connection for every pg_notify gives
    'another operation is in progress'."""
    async with connected(pg_url, prefix, queue_size=100) as broker:
        async with broker.subscribe("room") as subscription:
            await asyncio.gather(*(broker.publish("room", {"n": n}) for n in range(50)))
            got = [(await asyncio.wait_for(subscription.get(), 5))["n"] for _ in range(50)]
            assert sorted(got) == list(range(50))


async def test_racing_first_subscribers_both_receive(pg_url: str, prefix: str) -> None:
    async with connected(pg_url, prefix) as broker:
        async def first_subscriber(ready: asyncio.Event, got: list) -> None:
            async with broker.subscribe("race") as subscription:
                ready.set()
                got.append(await asyncio.wait_for(subscription.get(), 5))

        ready_a, ready_b, got_a, got_b = asyncio.Event(), asyncio.Event(), [], []
        tasks = [asyncio.create_task(first_subscriber(ready_a, got_a)),
                 asyncio.create_task(first_subscriber(ready_b, got_b))]
        await ready_a.wait()
        await ready_b.wait()
        await broker.publish("race", {"n": 7})
        await asyncio.gather(*tasks)
        assert got_a[0]["n"] == got_b[0]["n"] == 7


async def test_leaving_and_rejoining_a_channel(pg_url: str, prefix: str) -> None:
    async with connected(pg_url, prefix) as broker:
        async with broker.subscribe("room"):
            pass
        assert broker.subscriber_count == 0
        async with broker.subscribe("room") as again:
            await broker.publish("room", {"n": 2})
            assert (await asyncio.wait_for(again.get(), 5))["n"] == 2


async def test_long_channel_names_and_prefixes(pg_url: str, prefix: str) -> None:
    # given: two prefixes that PostgreSQL would truncate into the same 63-byte identifier
    one, two = prefix + "x" * 80 + "1:", prefix + "x" * 80 + "2:"
    assert len(pg_channel(one).encode()) <= MAX_IDENTIFIER_BYTES
    assert pg_channel(one) != pg_channel(two)
    long_channel = "saved_search:" + "y" * 200
    async with connected(pg_url, one) as first, connected(pg_url, two) as second:
        async with first.subscribe(long_channel) as heard, second.subscribe(long_channel) as other:
            # when: a long channel is published under one prefix
            await first.publish(long_channel, {"n": 1})
            # then: only that prefix hears it, under its full name
            assert await asyncio.wait_for(heard.get(), 5) == {"n": 1, "channel": long_channel}
            await second.publish(long_channel, {"n": 2})
            assert (await asyncio.wait_for(other.get(), 5))["n"] == 2
            assert heard.get_nowait() is None and other.get_nowait() is None


async def test_channel_names_are_quoted(pg_url: str, prefix: str) -> None:
    """Any text is a channel or a prefix: quotes, spaces, semicolons, case, newlines, non-ASCII."""
    names = ['say "hi"; DROP TABLE users; --', "MixedCase", "mixedcase", "zürich:été", "two\nlines"]
    async with connected(pg_url, 'Pre"fix; ' + prefix) as broker:
        async with broker.subscribe(*names) as subscription:
            for n, name in enumerate(names):
                await broker.publish(name, {"n": n})
            got = [await asyncio.wait_for(subscription.get(), 5) for _ in names]
            assert [(e["channel"], e["n"]) for e in got] == [(name, n) for n, name in enumerate(names)]


async def test_an_event_too_large_for_notify_is_refused_clearly(pg_url: str, prefix: str) -> None:
    async with connected(pg_url, prefix) as broker:
        async with broker.subscribe("room") as subscription:
            with pytest.raises(EventTooLarge, match=r"at most 7999.*Publish ids"):
                await broker.publish("room", {"body": "x" * 8000})
            # the broker goes on working
            await broker.publish("room", {"body": "x" * 7000})
            assert len((await asyncio.wait_for(subscription.get(), 5))["body"]) == 7000


async def test_a_slow_subscriber_is_cut_off(pg_url: str, prefix: str) -> None:
    async with connected(pg_url, prefix, queue_size=4) as broker:
        async with broker.subscribe("room") as slow, broker.subscribe("room") as fast:
            for n in range(10):
                await broker.publish("room", {"n": n})
                assert (await asyncio.wait_for(fast.get(), 5))["n"] == n
            with pytest.raises(SlowConsumer):
                await slow.get()


async def test_listener_recovers_after_its_backend_is_terminated(pg_url: str, prefix: str) -> None:
    async with connected(pg_url, prefix) as broker:
        async with broker.subscribe("room") as subscription:
            # when: the listening backend is terminated (as on a database restart)
            assert await _terminate_listener(pg_url, broker.pubsub_client_name) == 1
            # then: the subscriber is told to resync, and delivery works again
            marker = await asyncio.wait_for(subscription.get(), 10)
            assert marker["type"] == RESYNC_TYPE
            await broker.publish("room", {"n": 2})
            assert (await asyncio.wait_for(subscription.get(), 5))["n"] == 2
        assert broker.reconnects >= 1
        assert await broker.ping()


async def test_subscribing_while_the_database_is_unreachable_gets_resync(pg_url: str, prefix: str) -> None:
    # given: the listener reaches PostgreSQL through a proxy we can cut
    target = urlparse(pg_url)
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 5432)
    await proxy.start()
    try:
        async with connected(_through(pg_url, proxy.port), prefix) as broker, connected(pg_url, prefix) as direct:
            # when: the connection is cut and someone subscribes meanwhile
            await proxy.cut()
            async with broker.subscribe("room") as subscription:
                await direct.publish("room", {"n": "lost"})
                await proxy.restore()
                # then: once back, the subscriber hears RESYNC (re-read), then live events
                assert (await asyncio.wait_for(subscription.get(), 10))["type"] == RESYNC_TYPE
                await direct.publish("room", {"n": "live"})
                assert (await asyncio.wait_for(subscription.get(), 5))["n"] == "live"
    finally:
        await proxy.stop()


async def test_heartbeat_finds_a_connection_that_stopped_answering(
    pg_url: str, prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No FIN, no RST: only the heartbeat notices. Shortened here so the test is quick."""
    monkeypatch.setattr(broker_postgres, "HEARTBEAT_SECONDS", 0.2)
    monkeypatch.setattr(broker_postgres, "DEAD_AFTER_SECONDS", 0.8)
    target = urlparse(pg_url)
    proxy = BlackHoleProxy(target.hostname or "127.0.0.1", target.port or 5432)
    await proxy.start()
    try:
        async with connected(_through(pg_url, proxy.port), prefix) as broker, connected(pg_url, prefix) as direct:
            async with broker.subscribe("room") as subscription:
                # when: the listening connection silently stops carrying bytes
                proxy.black_hole()
                # then: the listener gives up on it, reconnects and says RESYNC
                assert (await asyncio.wait_for(subscription.get(), 10))["type"] == RESYNC_TYPE
                await direct.publish("room", {"n": 1})
                assert (await asyncio.wait_for(subscription.get(), 5))["n"] == 1
            assert broker.reconnects >= 1
    finally:
        await proxy.stop()


async def test_a_thousand_subscriptions_at_once(pg_url: str, prefix: str) -> None:
    """What a worker sees when clients reconnect after a deploy: every subscription is
    confirmed and hears its event, and the listener never gave up (a LISTEN per channel,
    one round trip each behind one connection, timed out under bench/chat.py with 1,000
    WebSocket subscribers; in-process, as here, it was only slow)."""
    async with connected(pg_url, prefix) as broker, contextlib.AsyncExitStack() as stack:
        subscriptions = await asyncio.gather(*(
            stack.enter_async_context(broker.subscribe(f"conversation:{n}", f"user:{n}:auth")) for n in range(1000)
        ))
        await asyncio.gather(*(broker.publish(f"conversation:{n}", {"n": n}) for n in range(1000)))
        got = [(await asyncio.wait_for(s.get(), 10))["n"] for s in subscriptions]
        assert got == list(range(1000))
        assert broker.reconnects == 0
