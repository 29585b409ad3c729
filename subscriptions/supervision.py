"""Timings shared by the broker's supervised pub/sub listeners (Redis in
``subscriptions/broker_redis.py``, PostgreSQL in ``subscriptions/broker_postgres.py``)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

# How long a subscriber waits for the backend to confirm its subscription.
SUBSCRIBE_TIMEOUT = 5.0
# Silence after which a listener pings its connection.
HEARTBEAT_SECONDS = 5.0
# Silence after which a listener gives its connection up and reconnects.
DEAD_AFTER_SECONDS = 15.0


class SupervisedListener:
    """The interface the broker holds its listener by, and the start, wait and stop of its
    supervising task. A subclass sets ``_task`` (None), ``_up`` (an ``asyncio.Event`` set
    while connected), ``_closing`` and ``reconnects`` (0) in its ``__init__``, names its
    task ``task_name`` and implements ``client_name``, ``subscribe``, ``unsubscribe``,
    ``_supervise`` and ``_close`` (drop the connection on stop)."""

    task_name = "broker-listener"
    _task: asyncio.Task[Any] | None
    _up: asyncio.Event
    _closing: bool
    reconnects: int

    @property
    def client_name(self) -> str:
        """The name of the listening connection on the server (operators find it by this)."""
        raise NotImplementedError

    async def subscribe(self, channel: str) -> None:
        """Return once the backend delivers ``channel``'s events to this process."""
        raise NotImplementedError

    async def unsubscribe(self, channel: str) -> None:
        raise NotImplementedError

    async def _supervise(self) -> None:
        raise NotImplementedError

    async def _close(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        self._closing = False
        self._task = asyncio.create_task(self._supervise(), name=self.task_name)

    @property
    def up(self) -> bool:
        """Connected and delivering (cleared as soon as the connection is known lost)."""
        return self._up.is_set()

    async def wait_up(self, timeout: float) -> bool:  # noqa: ASYNC109 - answers False at the deadline, never raises
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._up.wait(), timeout)
        return self._up.is_set()

    async def stop(self) -> None:
        self._closing = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        await self._close()
