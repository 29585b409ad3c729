"""The broker's PostgreSQL backend: LISTEN/NOTIFY over asyncpg (``BROADCAST_URL=postgres://…``).

A deployment with PostgreSQL alone can run several workers: each worker LISTENs on one
dedicated connection and publishes with ``pg_notify`` through a small pool of its own.
``subscriptions/broker.py`` picks this backend for ``postgres://`` and ``postgresql://``
URLs; the fan-out, the bounded per-subscriber queues (``Subscription``) and the RESYNC
contract are the broker's and the same as with Redis. NOTIFY reaches the listeners
connected to the *same database*, so point ``BROADCAST_URL`` at the database every worker
uses (usually ``DATABASE_URL`` itself).

What this module guarantees (the shape of the Redis listener):

- **One LISTEN per worker.** Every worker LISTENs on one PostgreSQL channel per
  ``BROADCAST_CHANNEL_PREFIX`` (``pg_channel``); each NOTIFY payload is the broker
  channel (JSON string), a newline, and the event. The worker drops events of channels
  nobody local subscribed to without parsing them. A LISTEN per broker channel was
  measured first and dropped: asyncpg runs one command at a time per connection, so the
  chat benchmark's 1,000 subscribers opening at once (2,000+ LISTENs, one round trip each)
  queued for more than the 5 s subscribe bound. The cost of one channel: every worker
  receives every event of the deployment (ids, ~100 bytes each), fine for thousands per
  second; beyond that, use Redis.
- **Subscribed means subscribed.** The LISTEN is answered (autocommit, in force at once)
  before the listener counts as up, and ``subscribe`` returns only while it is up, so a
  subscriber that replays from the database afterwards misses nothing. While the
  listener is down ``subscribe`` returns at once and that subscriber gets ``RESYNC``
  once it is back.
- **A supervised listener.** When the connection ends (``pg_terminate_backend``, a
  database restart, a network cut noticed by the heartbeat: ``SELECT 1`` every
  ``HEARTBEAT_SECONDS``, dead after ``DEAD_AFTER_SECONDS`` without an answer), it
  reconnects with backoff, LISTENs again and then hands every subscriber a ``RESYNC``
  marker: notifications sent meanwhile are gone and must be re-read. The connection's
  ``application_name`` is ``listener_application_name(prefix)`` (operators and tests
  find its backend in ``pg_stat_activity`` by it).
- **Safe channel names.** The PostgreSQL channel is a quoted identifier (asyncpg quotes
  ``LISTEN``; ``pg_notify`` takes the name as a parameter), so any prefix is safe.
  PostgreSQL truncates identifiers to 63 bytes, which would merge distinct long
  prefixes: a longer name is replaced by its head and a SHA-256 digest. Broker channel
  names travel in the payload, any text.
- **Payload limit.** NOTIFY refuses payloads of 8000 bytes or more. Events carry ids,
  never rows; a larger one is refused before it is sent with ``EventTooLarge`` naming
  the channel and the size (a programming error, not something a user can cause).

Bounds: one listening connection plus at most ``PUBLISH_POOL_SIZE`` publishing
connections per worker process (count them against ``max_connections`` besides
``DB_POOL_SIZE``); no per-channel state here (the broker holds the subscribers).

Why not broadcaster's PostgreSQL backend (0.3.1): it runs LISTEN, UNLISTEN and every
``pg_notify`` on one asyncpg connection with no lock, so two concurrent publishes (or a
publish during a subscribe) fail with ``InterfaceError: cannot perform operation:
another operation is in progress``; when the backend is terminated the connection stays
closed, publishes fail and ``next_published`` waits forever (no reconnect, nothing to
resync on); its queue is unbounded; and it passes channel names through as they are: LISTEN
truncates a name over 63 bytes while ``pg_notify`` refuses it ("channel name too long").
Measured with broadcaster 0.3.1 and asyncpg 0.32
against PostgreSQL; none of that can be supervised from outside, so this module talks
to asyncpg itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from subscriptions.supervision import (
    DEAD_AFTER_SECONDS,
    HEARTBEAT_SECONDS,
    SUBSCRIBE_TIMEOUT,
    SupervisedListener,
)

logger = logging.getLogger("openforwork.broker")

MAX_IDENTIFIER_BYTES = 63  # NAMEDATALEN - 1
MAX_PAYLOAD_BYTES = 7999  # NOTIFY: "must be shorter than 8000 bytes"
PUBLISH_POOL_SIZE = 2
CONNECT_TIMEOUT = 5.0


class EventTooLarge(ValueError):
    """An event does not fit in one NOTIFY payload (8000 bytes): publish ids, not rows."""


def asyncpg_dsn(url: str) -> str:
    """asyncpg accepts ``postgresql://`` and ``postgres://``; Tortoise's ``asyncpg://``
    spelling is mapped too."""
    if url.startswith("asyncpg://"):
        return "postgresql://" + url[len("asyncpg://"):]
    return url


def pg_channel(prefix: str) -> str:
    """The one PostgreSQL channel of a prefix: ``<prefix>events`` when it fits in an
    identifier, else its head and a digest of the whole name (distinct long prefixes stay
    distinct; PostgreSQL itself would truncate them into one)."""
    raw = (prefix + "events").encode()
    if len(raw) <= MAX_IDENTIFIER_BYTES:
        return raw.decode()
    digest = hashlib.sha256(raw).hexdigest()[:32]
    head = raw[: MAX_IDENTIFIER_BYTES - len(digest) - 1].decode(errors="ignore")
    return f"{head}#{digest}"


def listener_application_name(prefix: str) -> str:
    """The ``application_name`` of every worker's LISTEN connection for ``prefix`` (at
    most 63 bytes): find them in ``pg_stat_activity``."""
    name = "ofw-listen-" + "".join(ch if ch.isalnum() else "-" for ch in prefix)
    return name.encode()[:MAX_IDENTIFIER_BYTES].decode(errors="ignore")


def _connection_errors() -> tuple[type[BaseException], ...]:
    import asyncpg

    return (asyncpg.ConnectionDoesNotExistError, asyncpg.InterfaceError, asyncpg.CannotConnectNowError,
            asyncpg.AdminShutdownError)


class PostgresPublisher:
    """``pg_notify`` through a pool of at most ``PUBLISH_POOL_SIZE`` connections, so
    concurrent publishes never share a connection. Same methods as the Redis client the
    broker uses (``publish``, ``ping``, ``aclose``)."""

    def __init__(self, url: str, prefix: str) -> None:
        self.url = asyncpg_dsn(url)
        self.prefix = prefix
        self.pg_channel = pg_channel(prefix)
        self._pool: Any = None
        self._lock = asyncio.Lock()

    async def _get_pool(self) -> Any:
        if self._pool is None:
            async with self._lock:
                if self._pool is None:
                    import asyncpg

                    self._pool = await asyncpg.create_pool(
                        self.url,
                        min_size=0,
                        max_size=PUBLISH_POOL_SIZE,
                        timeout=CONNECT_TIMEOUT,
                        server_settings={"application_name": "ofw-notify"},
                    )
        return self._pool

    async def publish(self, key: str, payload: str) -> None:
        """Publish ``payload`` (event JSON) on ``key`` (prefix + broker channel)."""
        channel = key[len(self.prefix):] if key.startswith(self.prefix) else key
        message = json.dumps(channel) + "\n" + payload
        size = len(message.encode())
        if size > MAX_PAYLOAD_BYTES:
            raise EventTooLarge(
                f"An event on channel {channel!r} is {size} bytes; PostgreSQL NOTIFY carries at most "
                f"{MAX_PAYLOAD_BYTES}. Publish ids and let subscribers read the rows."
            )
        pool = await self._get_pool()
        retryable: tuple[type[BaseException], ...] = (OSError, *_connection_errors())  # OSError covers TimeoutError
        try:
            await pool.execute("SELECT pg_notify($1, $2)", self.pg_channel, message)
        except retryable:
            # Connections killed by a restart stay in the pool until used: replace them
            # all, then one retry on a fresh connection; a second failure is raised.
            await pool.expire_connections()
            await pool.execute("SELECT pg_notify($1, $2)", self.pg_channel, message)

    async def ping(self) -> bool:
        pool = await self._get_pool()
        answer: int | None = await pool.fetchval("SELECT 1", timeout=2)
        return answer == 1

    async def aclose(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(pool.close(), 5)


class PostgresListener(SupervisedListener):
    """One LISTEN connection, supervised: rebuilt after any failure. Same interface as
    the broker's Redis listener (``start``, ``wait_up``, ``subscribe``, ``unsubscribe``,
    ``stop``, ``client_name``, ``reconnects``)."""

    task_name = "broker-postgres-listener"

    def __init__(
        self,
        url: str,
        prefix: str,
        deliver: Callable[[str, str], None],
        resync: Callable[[], None],
        channels: Callable[[], Iterable[str]],
    ) -> None:
        self.url = asyncpg_dsn(url)
        self.prefix = prefix
        self.pg_channel = pg_channel(prefix)
        self._deliver = deliver
        self._resync = resync
        self._conn: Any = None
        self._task: asyncio.Task[None] | None = None
        self._up = asyncio.Event()
        self._lost = asyncio.Event()
        self._closing = False
        self._missed = False  # someone subscribed while we were down: RESYNC when up
        self.reconnects = 0

    @property
    def client_name(self) -> str:
        return listener_application_name(self.prefix)

    async def _close(self) -> None:
        await self._drop(graceful=True)

    async def subscribe(self, channel: str) -> None:
        """Nothing to send: the one LISTEN was answered before the listener came up.
        While it is down, the subscriber gets RESYNC once it is back."""
        if not self._up.is_set():
            self._missed = True

    async def unsubscribe(self, channel: str) -> None:
        """Nothing to send: events of channels nobody subscribes to are dropped locally."""

    def _on_notify(self, connection: Any, pid: int, pg_channel: str, payload: str) -> None:
        head, _, event = payload.partition("\n")
        try:
            channel = json.loads(head)
        except ValueError:
            logger.warning("dropped a malformed notification on %s", pg_channel)
            return
        if isinstance(channel, str):
            self._deliver(channel, event)

    def _on_terminated(self, connection: Any) -> None:
        self._lost.set()

    async def _drop(self, *, graceful: bool = False) -> None:
        """Forget the connection; close it politely on ``stop``, else cut it at once (a
        connection that stopped answering would hold ``close`` up)."""
        self._up.clear()
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.remove_termination_listener(self._on_terminated)
            if graceful:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(conn.close(), 2)
            if not conn.is_closed():
                conn.terminate()

    async def _open(self) -> None:
        import asyncpg

        self._lost.clear()
        self._conn = await asyncpg.connect(
            self.url,
            timeout=CONNECT_TIMEOUT,
            server_settings={"application_name": self.client_name},
        )
        self._conn.add_termination_listener(self._on_terminated)
        async with asyncio.timeout(SUBSCRIBE_TIMEOUT):
            await self._conn.add_listener(self.pg_channel, self._on_notify)
        self._up.set()

    async def _supervise(self) -> None:
        backoff = 0.05
        first = True
        while not self._closing:
            try:
                await self._open()
                if not first or self._missed:
                    logger.info("postgres listener (re)connected; resyncing subscribers")
                    self._missed = False
                    self._resync()
                backoff = 0.05
                await self._watch()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if self._closing:
                    return
                logger.warning("postgres LISTEN connection lost (%r); reconnecting in %.2fs", exc, backoff)
            first = False
            await self._drop()
            self.reconnects += 1
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 2.0)

    async def _watch(self) -> None:
        """Return only by raising: when the connection ended or stopped answering."""
        while True:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._lost.wait(), HEARTBEAT_SECONDS)
            if self._lost.is_set() or self._conn is None or self._conn.is_closed():
                raise ConnectionError("the LISTEN connection ended")
            async with asyncio.timeout(DEAD_AFTER_SECONDS - HEARTBEAT_SECONDS):
                await self._conn.fetchval("SELECT 1")
