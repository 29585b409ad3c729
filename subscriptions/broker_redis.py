"""The broker's Redis pub/sub listener: one connection per worker, supervised (rebuilt
after any failure, heartbeats to notice a silent cut), SUBSCRIBE confirmed before a
subscriber is handed out, RESYNC to every subscriber after a reconnection. Used by
``subscriptions/broker.py``, which owns the guarantees (see its docstring)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from subscriptions.supervision import (
    DEAD_AFTER_SECONDS,
    HEARTBEAT_SECONDS,
    SUBSCRIBE_TIMEOUT,
    SupervisedListener,
)

logger = logging.getLogger("openforwork.broker")


class RedisListener(SupervisedListener):
    """One Redis pub/sub connection, supervised: rebuilt after any failure."""

    task_name = "broker-redis-listener"

    def __init__(
        self,
        url: str,
        prefix: str,
        deliver: Callable[[str, str], None],
        resync: Callable[[], None],
        channels: Callable[[], Iterable[str]],
    ) -> None:
        self.url = url
        self.prefix = prefix
        self._deliver = deliver
        self._resync = resync
        self._channels = channels
        self._pubsub: Any = None
        self._client: Any = None
        self._confirm: dict[str, asyncio.Future[None]] = {}
        self._confirmed: set[str] = set()
        self._task: asyncio.Task[None] | None = None
        self._up = asyncio.Event()
        self._closing = False
        self.reconnects = 0

    @property
    def client_name(self) -> str:
        """The pub/sub connection's CLIENT SETNAME (operators and tests find it by this)."""
        return "ofw-pubsub-" + "".join(ch if ch.isalnum() else "-" for ch in self.prefix)

    @property
    def heartbeat_channel(self) -> str:
        return f"{self.prefix}__broker__"

    async def _close(self) -> None:
        await self._drop()

    async def subscribe(self, channel: str) -> None:
        """Subscribe and wait for Redis's confirmation (bounded). While disconnected this
        returns at once: the reconnection subscribes the channel and sends RESYNC."""
        if not self._up.is_set() or self._pubsub is None:
            return
        key = self.prefix + channel
        if key in self._confirmed:
            return
        future = self._confirm.get(key)
        if future is None or future.done():
            future = asyncio.get_running_loop().create_future()
            self._confirm[key] = future
            try:
                await self._pubsub.subscribe(key)
            except Exception:
                logger.warning("SUBSCRIBE %s failed; the listener will reconnect", key)
                return
        with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
            await asyncio.wait_for(asyncio.shield(future), SUBSCRIBE_TIMEOUT)

    async def unsubscribe(self, channel: str) -> None:
        self._confirmed.discard(self.prefix + channel)
        if self._pubsub is not None and self._up.is_set():
            with contextlib.suppress(Exception):
                await self._pubsub.unsubscribe(self.prefix + channel)

    async def _drop(self) -> None:
        self._up.clear()
        pubsub, client, self._pubsub, self._client = self._pubsub, self._client, None, None
        for future in self._confirm.values():
            if not future.done():
                future.cancel()
        self._confirm.clear()
        self._confirmed.clear()
        if pubsub is not None:
            with contextlib.suppress(Exception):
                await pubsub.aclose()
        if client is not None:
            with contextlib.suppress(Exception):
                await client.aclose()

    async def _open(self) -> None:
        import redis.asyncio as redis
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff

        # No silent retries: a dropped connection must surface here so we can RESYNC.
        self._client = redis.Redis.from_url(
            self.url,
            retry=Retry(NoBackoff(), 0),
            socket_connect_timeout=5,
            decode_responses=True,
            client_name=self.client_name,
        )
        self._pubsub = self._client.pubsub()
        wanted = [self.heartbeat_channel] + [self.prefix + c for c in self._channels()]
        loop = asyncio.get_running_loop()
        for key in wanted:
            self._confirm[key] = loop.create_future()
        await self._pubsub.subscribe(*wanted)

    async def _supervise(self) -> None:
        backoff = 0.05
        first = True
        while not self._closing:
            try:
                await self._open()
                await self._read(first)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if self._closing:
                    return
                logger.warning("redis pub/sub connection lost (%r); reconnecting in %.2fs", exc, backoff)
            first = False
            await self._drop()
            self.reconnects += 1
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 2.0)

    async def _read(self, first: bool) -> None:
        pubsub = self._pubsub
        last_seen = time.monotonic()
        pinged = False
        waiting_for_confirmations = True
        while True:
            message = await pubsub.get_message(timeout=1.0)
            now = time.monotonic()
            if message is None:
                if now - last_seen > DEAD_AFTER_SECONDS:
                    raise ConnectionError("no answer to the heartbeat")
                if now - last_seen > HEARTBEAT_SECONDS and not pinged:
                    await pubsub.ping()
                    pinged = True
                continue
            last_seen, pinged = now, False
            kind = message["type"]
            if kind == "message":
                channel = message["channel"]
                if channel.startswith(self.prefix) and channel != self.heartbeat_channel:
                    self._deliver(channel[len(self.prefix):], message["data"])
            elif kind == "subscribe":
                self._confirmed.add(message["channel"])
                future = self._confirm.pop(message["channel"], None)
                if future is not None and not future.done():
                    future.set_result(None)
                if waiting_for_confirmations and not any(
                    not f.done() for f in self._confirm.values()
                ):
                    waiting_for_confirmations = False
                    self._up.set()
                    if not first:
                        logger.info("redis pub/sub reconnected; resyncing subscribers")
                        self._resync()
