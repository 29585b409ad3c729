"""The broker: publish small JSON events (ids, not rows) and fan them out to subscribers.

``memory://`` serves one process; ``redis://`` serves several workers and hosts, and so
does ``postgres://`` (LISTEN/NOTIFY). The two listeners live in
``subscriptions/broker_redis.py`` and ``subscriptions/broker_postgres.py`` (same interface,
same guarantees, timings in ``subscriptions/supervision.py``); nothing outside these
modules talks to the pub/sub backend. It does not use broadcaster's
backends any more: broadcaster 0.3.1's Redis backend delivers nothing with redis-py 8,
never reconnects after a Redis restart (its listener task dies silently while publishes
keep succeeding), keeps unbounded queues and can orphan one of two racing first
subscribers (STYLE.md). What this module guarantees instead:

- **One backend subscription per channel, local fan-out.** Every local subscriber of a
  channel gets the *same* event dict (subscribers may cache reads on it, see
  ``subscriptions/chat.py``).
- **Subscribed means subscribed.** ``Broker.subscribe`` returns only once Redis has
  confirmed the SUBSCRIBE, so a subscriber that replays from the database *after*
  subscribing misses nothing in between. Racing first subscribers share one
  confirmation.
- **Bounded memory.** Each subscriber has a bounded queue; one that falls more than
  ``queue_size`` events behind is cut off with ``SlowConsumer`` (a GraphQL error that
  tells the client to resubscribe with ``after``). The channel map holds only channels
  with a live local subscriber (the last one to leave removes its channel), and the
  Redis listener's pending confirmations are cleared on every reconnection.
- **A supervised listener.** When the Redis connection drops (restart, ``CLIENT KILL``,
  a network cut noticed by the heartbeat), the listener reconnects with backoff,
  re-subscribes every channel and, once Redis confirmed them, hands every subscriber a
  ``RESYNC`` marker: events published during the outage are gone and must be re-read
  from the database.

Publish only after the transaction that wrote the rows has committed. Channel names
get ``channel_prefix`` in Redis, so several deployments (or parallel test runs) can
share one Redis.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any, Protocol
from urllib.parse import urlparse

from resolvers.errors import ApiError
from subscriptions.broker_postgres import PostgresListener, PostgresPublisher
from subscriptions.broker_redis import RedisListener
from subscriptions.supervision import SupervisedListener

logger = logging.getLogger("openforwork.broker")

DEFAULT_QUEUE_SIZE = 256
RESYNC_TYPE = "__resync__"
RESYNC: dict[str, Any] = {"type": RESYNC_TYPE}
_OVERFLOW: dict[str, Any] = {"type": "__overflow__"}
POSTGRES_SCHEMES = frozenset({"postgres", "postgresql"})


class SlowConsumer(ApiError):
    """The subscriber fell more than its queue size behind and was cut off."""

    code = "SLOW_CONSUMER"
    default_message = (
        "This subscription fell too far behind and was closed; subscribe again with "
        "'after' set to the id of the last message you received."
    )


class BrokerUnavailable(Exception):
    """The broker is not connected."""


class BrokerObserver(Protocol):
    """What the broker reports (``graph/metrics.py`` counts it)."""

    def subscribed(self, delta: int) -> None: ...
    def delivered(self, subscribers: int, published_at: float | None) -> None: ...
    def cut(self) -> None: ...
    def reconnected(self) -> None: ...


class IgnoredReports:
    """The observer of a broker nobody observes."""

    def subscribed(self, delta: int) -> None:
        return None

    def delivered(self, subscribers: int, published_at: float | None) -> None:
        return None

    def cut(self) -> None:
        return None

    def reconnected(self) -> None:
        return None


class Subscription:
    """One subscriber's view of one or more channels; iterate it for event dicts.

    Each event has ``channel`` (without prefix). ``{"type": "__resync__"}`` means events
    may have been lost: re-read from the database.

    Its queue is a deque and its one reader's future, not an ``asyncio.Queue`` (four
    deques: events, getters, putters, the ``Event`` of ``join``): ~2.5 KiB less per
    subscriber, memory ``bench/soak.py`` found kept after the subscribers left (issue 21)."""

    __slots__ = ("channels", "_events", "_size", "_waiter", "_overflowed", "_reading")

    def __init__(self, channels: tuple[str, ...], queue_size: int) -> None:
        self.channels = channels
        self._events: deque[dict[str, Any]] = deque()
        self._size = queue_size
        self._waiter: asyncio.Future[None] | None = None
        self._overflowed = False
        self._reading = False

    @property
    def live(self) -> bool:
        """True once the subscriber asked for its first event: the backend confirmed the
        subscription and the stream finished its setup (replay, baseline reads), so it
        delivers everything published from now on (``Broker.live_subscribers``)."""
        return self._reading

    def _offer(self, event: dict[str, Any]) -> bool:
        """Queue ``event``; True when this overflowed the queue (the subscriber is cut)."""
        if self._overflowed:
            return False
        events = self._events
        overflowed = 0 < self._size <= len(events)
        if overflowed:
            self._overflowed = True
            # Free everything queued and wake the reader so it notices at once.
            events.clear()
            event = _OVERFLOW
        events.append(event)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
        return overflowed

    @property
    def pending(self) -> int:
        return len(self._events)

    async def get(self) -> dict[str, Any]:
        self._reading = True
        events = self._events
        while not events:
            if self._waiter is not None:
                raise RuntimeError("a broker subscription has one reader")
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        event = events.popleft()
        if event is _OVERFLOW or self._overflowed:
            raise SlowConsumer()
        return event

    def get_nowait(self) -> dict[str, Any] | None:
        """The next queued event, or ``None`` when nothing is queued."""
        self._reading = True
        if not self._events:
            return None
        event = self._events.popleft()
        if event is _OVERFLOW or self._overflowed:
            raise SlowConsumer()
        return event

    def __aiter__(self) -> Subscription:
        return self

    def __anext__(self) -> Awaitable[dict[str, Any]]:
        """The next event (``get``): a subscription is its own endless iterator, with no
        async generator kept suspended for as long as it lives."""
        return self.get()


class Broker:
    """Publish/subscribe with local fan-out over ``memory://`` or ``redis://``."""

    def __init__(
        self, url: str, *, queue_size: int = DEFAULT_QUEUE_SIZE, channel_prefix: str = "ofw:",
        observer: BrokerObserver | None = None,
    ) -> None:
        scheme = urlparse(url).scheme
        if scheme not in {"memory", "redis", "rediss", *POSTGRES_SCHEMES}:
            raise ValueError(
                f"Unsupported BROADCAST_URL scheme {scheme!r}: use memory:// or redis:// "
                "(or postgres:// for PostgreSQL LISTEN/NOTIFY)"
            )
        self.url = url
        self.queue_size = queue_size
        self.channel_prefix = channel_prefix
        # channel -> its live local subscriptions; no entry outlives its last subscriber.
        self._subscribers: dict[str, set[Subscription]] = {}
        # channel -> callbacks run synchronously on each event (``watch``).
        self._watchers: dict[str, list[Callable[[dict[str, Any]], None]]] = {}
        self._listener: SupervisedListener | None = None
        self._publisher: Any = None
        self._connected = False
        self.observer: BrokerObserver = observer or IgnoredReports()

    @property
    def is_memory(self) -> bool:
        return urlparse(self.url).scheme == "memory"

    @property
    def pubsub_client_name(self) -> str | None:
        return self._listener.client_name if self._listener is not None else None

    @property
    def reconnects(self) -> int:
        return self._listener.reconnects if self._listener is not None else 0

    @property
    def subscriber_count(self) -> int:
        return len({s for subs in self._subscribers.values() for s in subs})

    def live_subscribers(self, channel: str | None = None) -> int:
        """Local subscriptions (of ``channel``, or of any channel) that are live
        (``Subscription.live``): the fact a test waits for after subscribing, instead of
        a sleep."""
        if channel is not None:
            subscriptions = self._subscribers.get(channel, set())
        else:
            subscriptions = {s for subs in self._subscribers.values() for s in subs}
        return sum(1 for subscription in subscriptions if subscription.live)

    async def connect(self) -> None:
        if not self.is_memory:
            listener, backend = self._open_backend()
            self._listener = listener
            listener.start()
            if not await listener.wait_up(10):
                logger.warning("%s is not up yet; subscribers will get RESYNC once it is", backend)
        self._connected = True

    def _open_backend(self) -> tuple[SupervisedListener, str]:
        """Set the publisher of ``redis://`` or ``postgres://``; return the listener (not
        started yet) and the backend's name for the logs."""
        if urlparse(self.url).scheme in POSTGRES_SCHEMES:
            # LISTEN/NOTIFY: same listener interface, see subscriptions/broker_postgres.py.
            self._publisher = PostgresPublisher(self.url, self.channel_prefix)
            listener: SupervisedListener = PostgresListener(
                self.url, self.channel_prefix, self._deliver_raw, self._resync_all, self._channels
            )
            return listener, "postgres LISTEN"
        import redis.asyncio as redis

        self._publisher = redis.Redis.from_url(self.url, socket_connect_timeout=5)
        listener = RedisListener(
            self.url, self.channel_prefix, self._deliver_raw, self._resync_all, self._channels
        )
        return listener, "redis pub/sub"

    def _channels(self) -> list[str]:
        """Every channel the backend must deliver here (re-subscribed on reconnection)."""
        return list(dict.fromkeys([*self._subscribers, *self._watchers]))

    @property
    def listening(self) -> bool:
        """True while every event published anywhere reaches this process's watchers: the
        broker is connected and, for Redis or PostgreSQL, its listener is up."""
        if not self._connected:
            return False
        return self._listener is None or self._listener.up

    async def disconnect(self) -> None:
        self._connected = False
        if self._listener is not None:
            await self._listener.stop()
            self._listener = None
        if self._publisher is not None:
            with contextlib.suppress(Exception):
                await self._publisher.aclose()
            self._publisher = None

    async def ping(self) -> bool:
        """True when the backend answers (``/readyz``)."""
        if not self._connected:
            return False
        if self.is_memory:
            return True
        try:
            return bool(await asyncio.wait_for(self._publisher.ping(), timeout=2))
        except Exception:
            return False

    async def publish(self, channel: str, event: dict[str, Any]) -> None:
        if not self._connected:
            raise BrokerUnavailable("The broker is not connected.")
        if self.is_memory:
            self._dispatch(channel, dict(event, channel=channel), time.time())
            return
        # publishedAt: the publish-to-delivery lag (removed again before subscribers see it)
        # This process's watchers first, before the request that published answers.
        self._notify_watchers(channel, dict(event, channel=channel))
        payload = json.dumps({**event, "publishedAt": time.time()}, separators=(",", ":"))
        try:
            await self._publisher.publish(self.channel_prefix + channel, payload)
        except Exception:
            # One retry on a fresh connection (the pool reconnects); then give up loudly.
            await asyncio.sleep(0.05)
            await self._publisher.publish(self.channel_prefix + channel, payload)

    async def publish_many(self, channels: Iterable[str], event: dict[str, Any]) -> None:
        for channel in dict.fromkeys(channels):
            await self.publish(channel, event)

    @contextlib.asynccontextmanager
    async def subscribe(self, *channels: str) -> AsyncIterator[Subscription]:
        """Subscribe to ``channels``; on entry every backend subscription is confirmed."""
        subscription = Subscription(tuple(dict.fromkeys(channels)), self.queue_size)
        try:
            for channel in subscription.channels:
                subscribers = self._subscribers.setdefault(channel, set())
                subscribers.add(subscription)
                if self._listener is not None:
                    # Idempotent: racing first subscribers share one confirmation.
                    await self._listener.subscribe(channel)
            self.observer.subscribed(1)
            try:
                yield subscription
            finally:
                self.observer.subscribed(-1)
        finally:
            for channel in subscription.channels:
                remaining = self._subscribers.get(channel)
                if remaining is None:
                    continue
                remaining.discard(subscription)
                if not remaining:
                    del self._subscribers[channel]
                    if self._listener is not None and channel not in self._watchers:
                        await self._listener.unsubscribe(channel)

    @contextlib.asynccontextmanager
    async def watch(self, channel: str, callback: Callable[[dict[str, Any]], None]) -> AsyncIterator[None]:
        """Run ``callback`` synchronously on every event of ``channel`` (from this process
        as it is published, from others as it arrives) and with ``RESYNC`` after a
        reconnection, for as long as the block lasts; on entry the backend subscription is
        confirmed. For in-memory state that must follow events at once (the session
        cache), not for streams: a watcher has no queue and is never cut off."""
        self._watchers.setdefault(channel, []).append(callback)
        try:
            if self._listener is not None:
                await self._listener.subscribe(channel)
            yield
        finally:
            remaining = self._watchers.get(channel, [])
            if callback in remaining:
                remaining.remove(callback)
            if not remaining:
                self._watchers.pop(channel, None)
                if self._listener is not None and channel not in self._subscribers:
                    await self._listener.unsubscribe(channel)

    def _notify_watchers(self, channel: str, event: dict[str, Any]) -> None:
        for callback in self._watchers.get(channel, ()):
            try:
                callback(event)
            except Exception:
                logger.exception("a watcher of %s failed", channel)

    def _deliver_raw(self, channel: str, message: str) -> None:
        if channel not in self._subscribers and channel not in self._watchers:
            return
        try:
            event = json.loads(message)
        except (TypeError, ValueError):
            logger.warning("dropped a malformed event on %s", channel)
            return
        if not isinstance(event, dict):
            return
        event["channel"] = channel
        published_at = event.pop("publishedAt", None)
        self._dispatch(channel, event, published_at if isinstance(published_at, (int, float)) else None)

    def _dispatch(self, channel: str, event: dict[str, Any], published_at: float | None = None) -> None:
        self._notify_watchers(channel, event)
        subscribers = self._subscribers.get(channel)
        if not subscribers:
            return
        self.observer.delivered(len(subscribers), published_at)
        for subscription in list(subscribers):
            if subscription._offer(event):
                self.observer.cut()

    def _resync_all(self) -> None:
        self.observer.reconnected()
        for channel in list(self._watchers):
            self._notify_watchers(channel, dict(RESYNC, channel=channel))
        for subscription in {s for subs in self._subscribers.values() for s in subs}:
            subscription._offer(dict(RESYNC))
