"""Raw SQL for the few hot writes where Tortoise would spend several statements (and, on
SQLite, as many hops to aiosqlite's thread): chat's ``send_statement`` and the message
notification of ``notifications.message_statement``. Written once with ``?``
placeholders; ``placeholders`` numbers them ``$1, $2, …`` for PostgreSQL.

``point_statements`` marks the functions whose statements are point reads and writes, which
``graph/sqlite_engine.py`` then runs on the event loop instead of aiosqlite's thread."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

P = ParamSpec("P")
T = TypeVar("T")

POINT_STATEMENTS: ContextVar[bool] = ContextVar("point_statements", default=False)
"""Set while a ``point_statements`` function runs (read by ``graph/sqlite_engine.py``)."""


def point_statements(function: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """Mark ``function``'s statements as point reads and writes: a few rows found by key,
    each in microseconds, so that on SQLite they run on the event loop rather than a hop
    to aiosqlite's thread and back, which costs ~110 µs of CPU each (see
    ``graph/sqlite_engine.py``). For the hot paths only: chat's send and per-event reads.
    No effect on PostgreSQL. Tasks started inside inherit the mark."""

    @functools.wraps(function)
    async def marked(*args: P.args, **kwargs: P.kwargs) -> T:
        token = POINT_STATEMENTS.set(True)
        try:
            return await function(*args, **kwargs)
        finally:
            POINT_STATEMENTS.reset(token)

    return marked


def is_postgres(connection: BaseDBAsyncClient | None = None) -> bool:
    """Whether ``connection`` (default: the current ``default`` one) speaks PostgreSQL."""
    return (connection or connections.get("default")).capabilities.dialect == "postgres"


def placeholders(sql: str, postgres: bool) -> str:
    """``sql`` with its ``?`` placeholders as PostgreSQL's ``$n`` when ``postgres``."""
    if not postgres:
        return sql
    parts = sql.split("?")
    return "".join(part + (f"${i + 1}" if i < len(parts) - 1 else "") for i, part in enumerate(parts))
