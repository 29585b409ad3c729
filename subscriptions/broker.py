"""The broker: publish small JSON events (ids, not rows) and fan them out to subscribers.

The only module that imports broadcaster. ``memory://`` serves one process; ``redis://``
serves several workers and hosts. On top of broadcaster's backend this adds what it
lacks (see STYLE.md's pitfalls):

- one backend subscription per channel, fanned out locally to every subscriber;
- a bounded queue per subscriber: one that falls behind is cut off with
  ``SlowConsumer`` (it resumes from the database with ``after``) and memory stays bounded;
- a supervised listener: when the backend connection fails it reconnects with backoff,
  re-subscribes every channel and hands each subscriber a ``RESYNC`` marker, since
  events published during the outage are gone and must be re-read from the database.

Publish only after the transaction that wrote the rows has committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Iterable
from typing import Any
from urllib.parse import urlparse

from broadcaster._backends.base import BroadcastBackend

logger = logging.getLogger("openforwork.broker")

DEFAULT_QUEUE_SIZE = 1_000
RESYNC: dict[str, Any] = {"type": "__resync__"}


class SlowConsumer(Exception):
    """The subscriber fell more than its queue size behind and was cut off."""


class BrokerUnavailable(Exception):
    """The broker is not connected."""


def _make_backend(url: str) -> BroadcastBackend:
    scheme = urlparse(url).scheme
    if scheme == "memory":
        from broadcaster._backends.memory import MemoryBackend

        return MemoryBackend(url)
    if scheme in {"redis", "rediss"}:
        from broadcaster._backends.redis import RedisBackend

        return RedisBackend(url)
    raise ValueError(f"Unsupported BROADCAST_URL scheme {scheme!r}: use memory:// or redis://")


class Subscription:
    """One subscriber's view of one or more channels; iterate it for event dicts."""

    def __init__(self, broker: Broker, channels: tuple[str, ...], queue_size: int) -> None:
        self._broker = broker
        self.channels = channels
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=queue_size)
        self._overflowed = False

    def _offer(self, event: dict[str, Any]) -> None:
        if self._overflowed:
            return
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self._overflowed = True
            # Wake the reader so it notices at once.
            with contextlib.suppress(asyncio.QueueEmpty):
                self._queue.get_nowait()
            self._queue.put_nowait({"type": "__overflow__"})

    async def get(self) -> dict[str, Any]:
        event = await self._queue.get()
        if event.get("type") == "__overflow__" or self._overflowed:
            raise SlowConsumer(
                "This subscription fell too far behind and was closed; "
                "subscribe again with 'after' set to the last id you received."
            )
        return event

    def __aiter__(self) -> AsyncIterator[dict[str, Any]]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[dict[str, Any]]:
        while True:
            yield await self.get()


class Broker:
    """Publish/subscribe over a broadcaster backend, with local fan-out."""

    def __init__(self, url: str, *, queue_size: int = DEFAULT_QUEUE_SIZE) -> None:
        self.url = url
        self.queue_size = queue_size
        self._backend: BroadcastBackend | None = None
        self._subscribers: dict[str, set[Subscription]] = {}
        self._listener: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()
        self._lock = asyncio.Lock()
        self._closing = False

    @property
    def is_memory(self) -> bool:
        return urlparse(self.url).scheme == "memory"

    async def connect(self) -> None:
        self._closing = False
        await self._open_backend()
        self._listener = asyncio.create_task(self._listen(), name="broker-listener")

    async def disconnect(self) -> None:
        self._closing = True
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener
        await self._close_backend()

    async def _open_backend(self) -> None:
        backend = _make_backend(self.url)
        await backend.connect()
        for channel in list(self._subscribers):
            await backend.subscribe(channel)
        self._backend = backend
        self._connected.set()

    async def _close_backend(self) -> None:
        backend, self._backend = self._backend, None
        self._connected.clear()
        if backend is not None:
            with contextlib.suppress(Exception):
                await backend.disconnect()

    async def ping(self) -> bool:
        """True when the backend answers (``/readyz``)."""
        if self._backend is None or not self._connected.is_set():
            return False
        conn = getattr(self._backend, "_conn", None)
        if conn is None:
            return True
        try:
            return bool(await asyncio.wait_for(conn.ping(), timeout=2))
        except Exception:
            return False

    async def publish(self, channel: str, event: dict[str, Any]) -> None:
        if self._backend is None:
            raise BrokerUnavailable("The broker is not connected.")
        await self._backend.publish(channel, json.dumps(event, separators=(",", ":")))

    async def publish_many(self, channels: Iterable[str], event: dict[str, Any]) -> None:
        for channel in dict.fromkeys(channels):
            await self.publish(channel, event)

    @contextlib.asynccontextmanager
    async def subscribe(self, *channels: str) -> AsyncIterator[Subscription]:
        subscription = Subscription(self, tuple(dict.fromkeys(channels)), self.queue_size)
        async with self._lock:
            for channel in subscription.channels:
                subscribers = self._subscribers.get(channel)
                if subscribers is None:
                    self._subscribers[channel] = subscribers = set()
                    if self._backend is not None:
                        await self._backend.subscribe(channel)
                subscribers.add(subscription)
        try:
            yield subscription
        finally:
            async with self._lock:
                for channel in subscription.channels:
                    subscribers = self._subscribers.get(channel)
                    if subscribers is None:
                        continue
                    subscribers.discard(subscription)
                    if not subscribers:
                        del self._subscribers[channel]
                        if self._backend is not None:
                            with contextlib.suppress(Exception):
                                await self._backend.unsubscribe(channel)

    def _dispatch(self, channel: str, message: str) -> None:
        subscribers = self._subscribers.get(channel)
        if not subscribers:
            return
        try:
            event = json.loads(message)
        except (TypeError, ValueError):
            logger.warning("dropped a malformed event on %s", channel)
            return
        event.setdefault("channel", channel)
        for subscription in list(subscribers):
            subscription._offer(event)

    async def _listen(self) -> None:
        backoff = 0.1
        while not self._closing:
            try:
                if self._backend is None:
                    await self._open_backend()
                    for subscription in {s for subs in self._subscribers.values() for s in subs}:
                        subscription._offer(dict(RESYNC))
                    logger.info("broker reconnected to %s", urlparse(self.url).scheme)
                backend = self._backend
                assert backend is not None
                while True:
                    event = await self._next(backend)
                    backoff = 0.1
                    self._dispatch(event.channel, event.message)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("broker connection lost; reconnecting in %.1fs", backoff)
                await self._close_backend()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    async def _next(self, backend: BroadcastBackend) -> Any:
        """The next event, or the error that killed the backend's own listener task."""
        inner = getattr(backend, "_listener", None)
        if inner is None:
            return await backend.next_published()
        getter = asyncio.ensure_future(backend.next_published())
        try:
            done, _ = await asyncio.wait({getter, inner}, return_when=asyncio.FIRST_COMPLETED)
        except BaseException:
            getter.cancel()
            raise
        if getter in done:
            return getter.result()
        getter.cancel()
        exc = inner.exception() if not inner.cancelled() else None
        raise ConnectionError(f"broker listener stopped: {exc!r}")
