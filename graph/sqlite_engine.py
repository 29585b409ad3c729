"""Tortoise's SQLite engine, with write-ready transactions (``engine`` in
``graph.database.tortoise_config`` names this module).

SQLite's default ``BEGIN`` is deferred: the transaction starts as a reader and upgrades
to a writer at its first write. If another process holds the write lock (a CLI command,
a second server by mistake), that upgrade fails at once with "database is locked" —
``busy_timeout`` is not consulted, to avoid deadlocks — so a write failed after ~10 ms
as an internal error. ``BEGIN IMMEDIATE`` takes the write lock at the start, where SQLite
does wait up to ``SQLITE_BUSY_TIMEOUT_MS``. Within one process Tortoise already runs
every statement through one connection under a lock, so nothing is serialised that was
not already.
"""

from __future__ import annotations

import sqlite3

from tortoise.backends.base.client import TransactionContext
from tortoise.backends.sqlite.client import SqliteClient, SqliteTransactionContext, SqliteTransactionWrapper
from tortoise.exceptions import TransactionManagementError


class ImmediateTransactionWrapper(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise TransactionManagementError(exc) from exc


class ImmediateSqliteClient(SqliteClient):
    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(ImmediateTransactionWrapper(self), self._lock)


client_class = ImmediateSqliteClient
