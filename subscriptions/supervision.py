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
    """Start, wait for and stop a listener's supervising task. A subclass sets ``_task``
    (None), ``_up`` (an ``asyncio.Event`` set while connected) and ``_closing`` in its
    ``__init__``, names its task ``task_name`` and implements ``_supervise`` and
    ``_close`` (drop the connection on stop)."""

    task_name = "broker-listener"
    _task: asyncio.Task[Any] | None
    _up: asyncio.Event
    _closing: bool

    async def _supervise(self) -> None:
        raise NotImplementedError

    async def _close(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        self._closing = False
        self._task = asyncio.create_task(self._supervise(), name=self.task_name)

    async def wait_up(self, timeout: float) -> bool:
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
