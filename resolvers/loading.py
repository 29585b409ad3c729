"""Per-request DataLoaders, keyed by their batch function.

A ``Loaders`` registry lives in each request's context (and is made anew for each
subscription event). Batch functions live beside the feature they read
(``resolvers/accounts/loaders.py`` …), are named by their key (``users_by_id``) and return
results in key order, ``None`` or ``[]`` for misses::

    user = await info.context.loaders(users_by_id).load(user_id)
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

class Loaders:
    """One DataLoader per batch function, created on first use.

    ``shared`` is set on the registry of one subscription event that every local
    subscriber of the event resolves through (``Loaders(event=True)``): it holds what they
    share beyond rows, the results of their executions (``graph/multiplex.py``), and goes
    with the event. ``None`` for a request's or a socket's registry, which may outlive
    many events."""

    __slots__ = ("_loaders", "shared")

    def __init__(self, *, event: bool = False) -> None:
        self._loaders: dict[Callable[..., Any], DataLoader[Any, Any]] = {}
        self.shared: dict[Any, Any] | None = {} if event else None

    def __call__(self, batch_fn: Callable[[list[K]], Awaitable[list[V]]]) -> DataLoader[K, V]:
        loader = self._loaders.get(batch_fn)
        if loader is None:
            loader = DataLoader(load_fn=batch_fn)
            self._loaders[batch_fn] = loader
        return loader

    def clear(self) -> None:
        self._loaders.clear()


class SharedRead:
    """One read awaited by many subscribers of one event (``subscriptions/chat.py``). A
    subscriber cancelled while it waits cancels only its own waiter, never the read the
    others wait for (what ``asyncio.shield`` gives, without its per-waiter future, two
    callbacks and two closures: 1,000 subscribers of one event all wait on the same
    reads). Holds one future per subscriber still waiting, released when the read ends."""

    __slots__ = ("task", "waiters")

    def __init__(self, task: asyncio.Future[Any]) -> None:
        self.task = task
        self.waiters: list[asyncio.Future[Any]] = []
        task.add_done_callback(self._done)

    def wait(self) -> asyncio.Future[Any]:
        if self.task.done():
            return self.task  # awaiting a finished read neither suspends nor can cancel it
        waiter = self.task.get_loop().create_future()
        self.waiters.append(waiter)
        return waiter

    def _done(self, task: asyncio.Future[Any]) -> None:
        waiters, self.waiters = self.waiters, []
        if task.cancelled():
            for waiter in waiters:
                waiter.cancel()
            return
        error = task.exception()
        for waiter in waiters:
            if waiter.done():
                continue  # that subscriber was cancelled meanwhile
            if error is not None:
                waiter.set_exception(error)
            else:
                waiter.set_result(task.result())


def by_key(rows: Sequence[Any], keys: Sequence[Any], attr: str = "pk") -> list[Any]:
    """Rows in ``keys`` order, ``None`` where a key has no row."""
    index = {getattr(row, attr): row for row in rows}
    return [index.get(key) for key in keys]


def grouped(rows: Sequence[Any], keys: Sequence[Any], attr: str) -> list[list[Any]]:
    """Rows grouped by ``attr`` in ``keys`` order, ``[]`` where a key has none."""
    groups: dict[Any, list[Any]] = {key: [] for key in keys}
    for row in rows:
        bucket = groups.get(getattr(row, attr))
        if bucket is not None:
            bucket.append(row)
    return [groups[key] for key in keys]
