"""The broker: fan-out, bounded queues, confirmed subscriptions, Redis round trips and
recovery after the Redis connection drops.

The Redis tests run when TEST_REDIS_URL is set (CI sets it); each uses its own channel
prefix so parallel runs sharing one Redis do not see each other.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from subscriptions.broker import RESYNC_TYPE, Broker, SlowConsumer


@pytest.fixture
def prefix() -> str:
    return f"test-{uuid.uuid4().hex[:12]}:"


async def _kill_pubsub(redis_url: str, client_name: str) -> int:
    """Drop exactly our pub/sub connection, like a Redis restart would."""
    import redis.asyncio as redis

    admin = redis.Redis.from_url(redis_url, decode_responses=True)
    try:
        killed = 0
        for client in await admin.client_list():
            if client.get("name") == client_name:
                killed += await admin.execute_command("CLIENT", "KILL", "ID", client["id"])
        return killed
    finally:
        await admin.aclose()


@pytest.fixture
async def memory_broker() -> AsyncIterator[Broker]:
    broker = Broker("memory://", queue_size=4)
    await broker.connect()
    yield broker
    await broker.disconnect()


async def test_memory_fan_out_to_every_subscriber(memory_broker: Broker) -> None:
    async with memory_broker.subscribe("a") as one, memory_broker.subscribe("a", "b") as two:
        await memory_broker.publish("a", {"type": "x", "n": 1})
        await memory_broker.publish("b", {"type": "x", "n": 2})
        assert (await one.get())["n"] == 1
        assert [(await two.get())["n"], (await two.get())["n"]] == [1, 2]
        assert one.get_nowait() is None
    assert memory_broker.subscriber_count == 0


async def test_a_subscriber_that_falls_behind_is_cut_off_and_memory_stays_bounded(memory_broker: Broker) -> None:
    async with memory_broker.subscribe("a") as slow, memory_broker.subscribe("a") as fast:
        for n in range(10):
            await memory_broker.publish("a", {"n": n})
            if n < 4:
                assert (await fast.get())["n"] == n
        assert slow.pending <= 1  # queue freed, only the overflow marker left
        with pytest.raises(SlowConsumer) as cut:
            await slow.get()
        assert "after" in str(cut.value.message)


async def test_a_reader_waiting_for_an_event_gets_it_in_order(memory_broker: Broker) -> None:
    async with memory_broker.subscribe("a") as subscription:
        # given: the reader waits on an empty queue
        reading = asyncio.create_task(subscription.get())
        await asyncio.sleep(0)
        # when: two events arrive
        await memory_broker.publish("a", {"n": 1})
        await memory_broker.publish("a", {"n": 2})
        # then: the reader wakes with the first, the second waits for the next read
        assert (await reading)["n"] == 1
        assert subscription.pending == 1
        assert (await subscription.get())["n"] == 2


async def test_an_event_offered_to_a_cancelled_read_is_not_lost(memory_broker: Broker) -> None:
    async with memory_broker.subscribe("a") as subscription:
        # given: a read that is woken by an event and cancelled before it runs again
        reading = asyncio.create_task(subscription.get())
        await asyncio.sleep(0)
        await memory_broker.publish("a", {"n": 1})
        reading.cancel()
        with pytest.raises(asyncio.CancelledError):
            await reading
        # when / then: the next read gets the event
        assert (await subscription.get())["n"] == 1


async def test_a_subscription_has_one_reader(memory_broker: Broker) -> None:
    async with memory_broker.subscribe("a") as subscription:
        first = asyncio.create_task(subscription.get())
        await asyncio.sleep(0)
        with pytest.raises(RuntimeError, match="one reader"):
            await subscription.get()
        first.cancel()


async def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="memory:// or redis://"):
        Broker("kafka://localhost")


async def test_publish_when_disconnected_is_an_error() -> None:
    from subscriptions.broker import BrokerUnavailable

    with pytest.raises(BrokerUnavailable):
        await Broker("memory://").publish("a", {})


@pytest.fixture
async def redis_broker(redis_url: str, prefix: str) -> AsyncIterator[Broker]:
    broker = Broker(redis_url, queue_size=100, channel_prefix=prefix)
    await broker.connect()
    yield broker
    await broker.disconnect()


async def test_redis_publish_subscribe_round_trip(redis_url: str, prefix: str) -> None:
    """Catches the redis-py 8 regression (broadcaster 0.3.1 delivered nothing) and any
    other 'subscribed but deaf' backend: two brokers, as two workers would have."""
    publisher, subscriber = Broker(redis_url, channel_prefix=prefix), Broker(redis_url, channel_prefix=prefix)
    await publisher.connect()
    await subscriber.connect()
    try:
        async with subscriber.subscribe("room") as subscription:
            # subscribe() returned: Redis confirmed, so an immediate publish is delivered
            await publisher.publish("room", {"type": "message", "n": 1})
            event = await asyncio.wait_for(subscription.get(), 5)
            assert event == {"type": "message", "n": 1, "channel": "room"}
    finally:
        await publisher.disconnect()
        await subscriber.disconnect()


async def test_racing_first_subscribers_both_receive(redis_broker: Broker) -> None:
    async def first_subscriber(ready: asyncio.Event, got: list) -> None:
        async with redis_broker.subscribe("race") as subscription:
            ready.set()
            got.append(await asyncio.wait_for(subscription.get(), 5))

    ready_a, ready_b, got_a, got_b = asyncio.Event(), asyncio.Event(), [], []
    tasks = [asyncio.create_task(first_subscriber(ready_a, got_a)), asyncio.create_task(first_subscriber(ready_b, got_b))]
    await ready_a.wait()
    await ready_b.wait()
    await redis_broker.publish("race", {"n": 7})
    await asyncio.gather(*tasks)
    assert got_a[0]["n"] == got_b[0]["n"] == 7


async def test_redis_listener_recovers_after_the_connection_is_killed(redis_broker: Broker, redis_url: str) -> None:
    # given
    async with redis_broker.subscribe("room") as subscription:
        # when: the pub/sub connection dies (as on a Redis restart)
        assert await _kill_pubsub(redis_url, redis_broker.pubsub_client_name) == 1
        # then: the subscriber is told to resync, and delivery works again
        marker = await asyncio.wait_for(subscription.get(), 10)
        assert marker["type"] == RESYNC_TYPE
        await redis_broker.publish("room", {"n": 2})
        assert (await asyncio.wait_for(subscription.get(), 5))["n"] == 2
    assert redis_broker.reconnects >= 1
    assert await redis_broker.ping()


async def test_memory_watchers_run_inside_publish_and_are_not_subscribers(memory_broker: Broker) -> None:
    seen: list[dict] = []
    async with memory_broker.watch("sessions", seen.append):
        assert memory_broker.subscriber_count == 0 and memory_broker.listening
        await memory_broker.publish("sessions", {"type": "viewers_changed", "userIds": [1]})
        # then: the watcher ran before publish returned, with no queue in between
        assert seen == [{"type": "viewers_changed", "userIds": [1], "channel": "sessions"}]
    await memory_broker.publish("sessions", {"type": "viewers_changed", "userIds": [2]})
    assert len(seen) == 1


async def test_redis_watchers_hear_other_workers_and_their_own_at_once(redis_url: str, prefix: str) -> None:
    a, b = Broker(redis_url, channel_prefix=prefix), Broker(redis_url, channel_prefix=prefix)
    await a.connect()
    await b.connect()
    seen_a: list[dict] = []
    seen_b: list[dict] = []
    try:
        async with a.watch("sessions", seen_a.append), b.watch("sessions", seen_b.append), b.subscribe("sessions") as tail:
            await a.publish("sessions", {"type": "viewers_changed", "userIds": [3]})
            # then: A's own watcher ran inside publish; B's runs in the delivery, before its subscribers
            assert seen_a[0]["userIds"] == [3]
            assert (await asyncio.wait_for(tail.get(), 5))["userIds"] == [3]
            assert [event["userIds"] for event in seen_b] == [[3]]
    finally:
        await a.disconnect()
        await b.disconnect()


async def test_a_redis_reconnection_resyncs_watchers(redis_broker: Broker, redis_url: str) -> None:
    seen: list[dict] = []
    async with redis_broker.watch("sessions", seen.append), redis_broker.subscribe("sessions") as tail:
        assert redis_broker.listening
        assert await _kill_pubsub(redis_url, redis_broker.pubsub_client_name) == 1
        assert (await asyncio.wait_for(tail.get(), 10))["type"] == RESYNC_TYPE
        assert [event["type"] for event in seen] == [RESYNC_TYPE] and redis_broker.listening
