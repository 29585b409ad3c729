"""Per-request DataLoaders, keyed by their batch function.

A ``Loaders`` registry lives in each request's context (and is made anew for each
subscription event). Batch functions live beside the feature they read
(``resolvers/accounts/loaders.py`` …), are named by their key (``users_by_id``) and return
results in key order, ``None`` or ``[]`` for misses::

    user = await info.context.loaders(users_by_id).load(user_id)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

class Loaders:
    """One DataLoader per batch function, created on first use."""

    __slots__ = ("_loaders",)

    def __init__(self) -> None:
        self._loaders: dict[Callable[..., Any], DataLoader[Any, Any]] = {}

    def __call__(self, batch_fn: Callable[[list[K]], Awaitable[list[V]]]) -> DataLoader[K, V]:
        loader = self._loaders.get(batch_fn)
        if loader is None:
            loader = DataLoader(load_fn=batch_fn)
            self._loaders[batch_fn] = loader
        return loader

    def clear(self) -> None:
        self._loaders.clear()


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
