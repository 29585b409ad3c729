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

Nested transactions (``in_transaction()`` inside one: a savepoint) are named by their
depth, ``ofw_savepoint_1``, ``_2``… (how many are open in the transaction), where
Tortoise numbers every savepoint of the process (``tortoise_savepoint_<n>``). The
``sqlite3`` module keeps the last 128 distinct statements of a connection prepared:
with a new name per savepoint, every nested transaction (one per chat message,
``resolvers/notifications/commands.py``) added two statements that never ran again, so
the cache filled with dead ``SAVEPOINT``/``RELEASE`` statements and pushed out the
statements run less often than every ~60 nested transactions. Made while a load ran
and alive after it, the dead statements also kept pymalloc arenas from being returned
(issue 21: 110 of the 128 after ``bench/soak.py``'s chat). Depth names repeat, so the
cache holds a few of them. SQLite resolves ``RELEASE``/``ROLLBACK TO`` to the innermost
savepoint of that name, which for nested blocks (closed innermost first) is the one
the block opened, also when a ``ROLLBACK TO`` (which Tortoise does not follow with a
``RELEASE``) left an older one of the same name on SQLite's stack.
"""

from __future__ import annotations

import sqlite3

from tortoise.backends.base.client import NestedTransactionContext, TransactionContext
from tortoise.backends.sqlite.client import SqliteClient, SqliteTransactionContext, SqliteTransactionWrapper
from tortoise.exceptions import TransactionManagementError


class ImmediateTransactionWrapper(SqliteTransactionWrapper):
    # Savepoints open in this transaction (nested ``in_transaction`` blocks, which
    # Tortoise opens from this wrapper however deep they are).
    open_savepoints = 0

    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise TransactionManagementError(exc) from exc

    def _in_transaction(self) -> TransactionContext:
        return NestedTransactionContext(SavepointWrapper(self))


class SavepointWrapper(SqliteTransactionWrapper):
    """A nested transaction: a savepoint named by its depth (see the module docstring)."""

    def __init__(self, transaction: ImmediateTransactionWrapper) -> None:
        super().__init__(transaction)
        self._transaction = transaction

    async def savepoint(self) -> None:
        self._savepoint = f"ofw_savepoint_{self._transaction.open_savepoints + 1}"
        await self._connection.execute(f"SAVEPOINT {self._savepoint}")
        self._transaction.open_savepoints += 1

    async def savepoint_rollback(self) -> None:
        await super().savepoint_rollback()
        self._transaction.open_savepoints -= 1

    async def release_savepoint(self) -> None:
        await super().release_savepoint()
        self._transaction.open_savepoints -= 1


class ImmediateSqliteClient(SqliteClient):
    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(ImmediateTransactionWrapper(self), self._lock)


client_class = ImmediateSqliteClient
