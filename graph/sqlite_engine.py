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

Point statements on the event loop. aiosqlite runs every call on its own thread: the
call is queued (a futex wake), the thread runs it and wakes the loop back
(``call_soon_threadsafe``, an eventfd write), and the GIL changes hands twice. On the
2-core machine of ``bench/`` that hop cost ~110 µs of CPU against ~1.3 µs for the
statement itself (``SELECT 1``), and under load the thread waits for the GIL behind the
loop (up to the 5 ms switch interval) while holding Tortoise's connection lock. A
``sendMessage`` made seven hops and each chat event four more. Functions marked with
``resolvers.statements.point_statements`` (a few rows found by key: chat's send and its
per-event reads) run their statements directly on the loop (``LoopConnection``); the
connection is opened with ``check_same_thread=False`` for that. It is safe because
Tortoise already serialises every use of the one connection under its lock, so the
thread is idle whenever a statement runs on the loop. What can wait stays on the thread
for everyone: ``BEGIN IMMEDIATE`` (it waits up to the busy timeout for another process's
write lock), ``COMMIT`` and ``ROLLBACK`` (a commit may run the WAL's checkpoint and its
``fsync``), and every statement not marked (search, pages, jobs: they can be long, and
on the thread the loop keeps serving the rest).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

import aiosqlite
from tortoise.backends.base.client import NestedTransactionContext, TransactionContext
from tortoise.backends.sqlite.client import SqliteClient, SqliteTransactionContext, SqliteTransactionWrapper
from tortoise.exceptions import TransactionManagementError

from resolvers.statements import POINT_STATEMENTS

T = TypeVar("T")


class LoopConnection(aiosqlite.Connection):
    """aiosqlite's connection, running marked point statements on the event loop."""

    async def _execute(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if POINT_STATEMENTS.get() and self._running and self._connection is not None:
            return fn(*args, **kwargs)
        return await super()._execute(fn, *args, **kwargs)

    async def on_thread(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn`` on aiosqlite's thread, marked or not."""
        return await super()._execute(fn, *args)

    async def commit(self) -> None:
        await self.on_thread(self._conn.commit)

    async def rollback(self) -> None:
        await self.on_thread(self._conn.rollback)


def _begin_immediate(connection: sqlite3.Connection) -> None:
    connection.commit()
    connection.execute("BEGIN IMMEDIATE")


class ImmediateTransactionWrapper(SqliteTransactionWrapper):
    # Savepoints open in this transaction (nested ``in_transaction`` blocks, which
    # Tortoise opens from this wrapper however deep they are).
    open_savepoints = 0

    async def begin(self) -> None:
        connection = self._connection
        try:
            if isinstance(connection, LoopConnection):  # one hop, on the thread: it may wait for the lock
                await connection.on_thread(_begin_immediate, connection._conn)
            else:
                await connection.commit()
                await connection.execute("BEGIN IMMEDIATE")
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
    async def create_connection(self, with_db: bool) -> None:
        if not self._connection:
            # Tortoise's own set-up (pragmas, row factory), on a LoopConnection that may
            # also be used from the loop's thread.
            filename = self.filename
            self._connection = await LoopConnection(
                lambda: sqlite3.connect(filename, isolation_level=None, check_same_thread=False), iter_chunk_size=64
            )
            self._connection._conn.row_factory = sqlite3.Row
            for pragma, value in self.pragmas.items():
                cursor = await self._connection.execute(f"PRAGMA {pragma}={value}")
                await cursor.close()
            await self._post_connect()

    async def release_memory(self) -> None:
        """``PRAGMA shrink_memory``: hand the pages SQLite caches for this connection (up to
        ``cache_size``, 2 MiB by default) back to the allocator; they are read again, from
        the system's file cache, when next needed. Run by ``graph.memory.IdleTrim`` when
        the worker has no socket open."""
        if self._connection is None:
            return
        async with self._lock:
            connection = self._connection
            if isinstance(connection, LoopConnection) and connection._connection is not None:
                await connection.on_thread(connection._conn.execute, "PRAGMA shrink_memory")

    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(ImmediateTransactionWrapper(self), self._lock)


client_class = ImmediateSqliteClient
