"""Prometheus metrics: what is counted, and how ``GET /metrics`` serves it.

**Several workers: prometheus_client's multiprocess mode.** ``openforwork serve --workers
N`` runs N uvicorn worker processes behind one listening socket, so a scrape reaches
whichever worker accepts it. With one registry per worker (and a worker label) each
scrape would show one random worker's figures and Prometheus could not scrape the
others. In multiprocess mode every worker writes its values to memory-mapped files in
``PROMETHEUS_MULTIPROC_DIR`` and any worker (or the ``METRICS_PORT`` listener in the
supervisor) sums all of them: counters and histograms are totals over the workers;
gauges about one worker's resources (open WebSockets, subscriptions, database pool)
keep one series per worker (``pid`` label, ``liveall`` mode) so an imbalance shows —
aggregate them with ``sum()``. ``openforwork serve`` makes a fresh directory when
metrics are on (or empties the one ``PROMETHEUS_MULTIPROC_DIR`` names). Without the
variable (tests, one in-process app) each app has its own in-memory registry.

**Bounds.** Operation names come from clients: at most ``MAX_OPERATION_NAMES`` (200)
distinct names per worker get their own series, later ones are counted as ``other``.
Error codes are the service's own (a bounded set). A worker's ``live`` gauge files are
removed when it stops, and at each scrape for workers that died without stopping.

The mail outbox backlog the issue asks for has no metric: there is no mail outbox yet.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import re
import time
from collections.abc import Iterable
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
MAX_OPERATION_NAMES = 200
POOL_SAMPLE_SECONDS = 5.0
REFUSAL_LIMITS = ("costly-mutations-per-address", "costly-mutations-per-user", "operation")
LATENCY_BUCKETS = (0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
LAG_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
_PID_FILE = re.compile(r"gauge_live\w+?_(\d+)\.db$")


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


class Metrics:
    """Every metric of one app. Built by ``create_app``; values go to the app's own
    registry, or to the shared files of multiprocess mode when ``PROMETHEUS_MULTIPROC_DIR``
    is set (it must be set before ``prometheus_client`` is imported, as ``serve`` does)."""

    def __init__(self) -> None:
        self.multiprocess = multiprocess_dir() is not None
        if self.multiprocess and values.ValueClass.__name__ != "MmapedValue":
            raise RuntimeError(
                f"{MULTIPROC_ENV} was set after prometheus_client was imported: set it before start-up"
            )
        self.registry = CollectorRegistry()
        target = None if self.multiprocess else self.registry
        self._declare_operation_metrics(target)
        self._declare_worker_metrics(target)
        self.worker_started.set(time.time())
        self._names: set[str] = set()
        self._operation_children: dict[tuple[str, str], tuple[Any, Any]] = {}
        self._sampler: asyncio.Task[None] | None = None
        self._shared: CollectorRegistry | None = None

    def _declare_operation_metrics(self, target: CollectorRegistry | None) -> None:
        labels = ("operation", "type")
        self.operations = Counter(
            "openforwork_graphql_operations", "GraphQL operations run, by operation name and type.",
            labels, registry=target,
        )
        self.duration = Histogram(
            "openforwork_graphql_operation_duration_seconds",
            "Time from parsing to the result of a GraphQL operation (a subscription: its setup).",
            labels, buckets=LATENCY_BUCKETS, registry=target,
        )
        self.errors = Counter(
            "openforwork_graphql_errors", "GraphQL errors by extensions.code (refusals before execution included).",
            (*labels, "code"), registry=target,
        )
        self.refusals = Counter(
            "openforwork_rate_limit_refusals",
            "Requests refused by a rate limit: limit=costly-mutations-per-address|-per-user (before execution), "
            "operation (a limit inside an operation: sign-in attempts, messages, contact requests, offers).",
            ("limit",), registry=target,
        )
        for limit in REFUSAL_LIMITS:
            self.refusals.labels(limit)

    def _declare_worker_metrics(self, target: CollectorRegistry | None) -> None:
        """Connections, subscriptions, the broker and the database pool of this worker."""
        self.websockets = Gauge(
            "openforwork_websockets_open", "Open WebSocket connections of this worker.",
            registry=target, multiprocess_mode="liveall",
        )
        self.subscriptions = Gauge(
            "openforwork_subscriptions_active", "Subscriptions of this worker listening to broker events.",
            registry=target, multiprocess_mode="liveall",
        )
        self.deliveries = Counter(
            "openforwork_broker_deliveries", "Events handed to local subscribers (one per subscriber).", registry=target,
        )
        self.slow_consumer_cuts = Counter(
            "openforwork_broker_slow_consumer_cuts",
            "Subscribers cut off with SLOW_CONSUMER (their queue overflowed).", registry=target,
        )
        self.reconnects = Counter(
            "openforwork_broker_reconnects",
            "Times the broker's listener connection was lost and re-established (subscribers got RESYNC).",
            registry=target,
        )
        self.lag = Histogram(
            "openforwork_broker_delivery_lag_seconds",
            "From publish (on any worker) to the event queued for this worker's subscribers; across hosts it includes clock skew.",
            buckets=LAG_BUCKETS, registry=target,
        )
        self.pool = Gauge(
            "openforwork_db_pool_connections",
            "Database connections of this worker: state=open (in the pool), in_use, max. SQLite: one connection.",
            ("state",), registry=target, multiprocess_mode="liveall",
        )
        self.worker_started = Gauge(
            "openforwork_worker_start_time_seconds", "Start time of each live worker process (one series per worker).",
            registry=target, multiprocess_mode="liveall",
        )

    # --- operations ------------------------------------------------------------------

    def operation_label(self, name: str | None) -> str:
        if not name:
            return "anonymous"
        if name in self._names:
            return name
        if len(self._names) >= MAX_OPERATION_NAMES:
            return "other"
        self._names.add(name)
        return name

    def record_operation(self, name: str | None, kind: str | None, seconds: float, codes: Iterable[str]) -> None:
        operation, kind = self.operation_label(name), kind or "unknown"
        # The two children per (operation, kind), kept: ``labels`` takes a lock and
        # validates per call. Bounded like the names (MAX_OPERATION_NAMES + 2, 3 kinds).
        children = self._operation_children.get((operation, kind))
        if children is None:
            children = (self.operations.labels(operation, kind), self.duration.labels(operation, kind))
            self._operation_children[(operation, kind)] = children
        children[0].inc()
        children[1].observe(seconds)
        for code in codes:
            self.errors.labels(operation, kind, code).inc()
            if code == "RATE_LIMITED":
                self.refusals.labels("operation").inc()

    def record_refusal(self, name: str | None, kind: str, code: str, limit: str | None) -> None:
        self.errors.labels(self.operation_label(name), kind, code).inc()
        if limit:
            self.refusals.labels(limit).inc()

    # --- the broker (subscriptions.broker.BrokerObserver) ------------------------------

    def subscribed(self, delta: int) -> None:
        self.subscriptions.inc(delta)

    def delivered(self, subscribers: int, published_at: float | None) -> None:
        self.deliveries.inc(subscribers)
        if published_at is not None:
            self.lag.observe(max(0.0, time.time() - published_at))

    def cut(self) -> None:
        self.slow_consumer_cuts.inc()

    def reconnected(self) -> None:
        self.reconnects.inc()

    # --- the database pool -----------------------------------------------------------

    def sample_pool(self) -> None:
        """asyncpg's pool figures (PostgreSQL), or SQLite's single connection."""
        from tortoise import connections

        try:
            client: Any = connections.get("default")
        except Exception:  # not initialised (start-up, shutdown)
            return
        pool = getattr(client, "_pool", None)
        if pool is not None and hasattr(pool, "get_size"):
            size = pool.get_size()
            self.pool.labels("open").set(size)
            self.pool.labels("in_use").set(size - pool.get_idle_size())
            self.pool.labels("max").set(pool.get_max_size())
        elif hasattr(client, "pool_maxsize"):  # PostgreSQL, pool not opened yet (lazy)
            self.pool.labels("open").set(0)
            self.pool.labels("in_use").set(0)
            self.pool.labels("max").set(client.pool_maxsize)
        else:  # SQLite: one connection, busy while its lock is held
            lock = getattr(client, "_lock", None)
            self.pool.labels("open").set(1 if getattr(client, "_connection", None) is not None else 0)
            self.pool.labels("in_use").set(1 if lock is not None and lock.locked() else 0)
            self.pool.labels("max").set(1)

    async def _sample_forever(self) -> None:
        while True:
            self.sample_pool()
            await asyncio.sleep(POOL_SAMPLE_SECONDS)

    def start(self) -> None:
        """In multiprocess mode, sample the pool every ``POOL_SAMPLE_SECONDS`` (a scrape
        reaches one worker; each worker writes its own figures). In one process the scrape
        samples it (``exposition``), so no timer runs: with the sampler's timer pending,
        cancelled per-request timeouts (the body read's, among others) stayed in the event
        loop's timer heap, ~2 per request until asyncio's own clean-up past 100 — seen by
        tests/graph/test_memory.py as objects growing with requests."""
        if self.multiprocess:
            self._sampler = asyncio.create_task(self._sample_forever(), name="metrics-pool-sampler")

    async def stop(self) -> None:
        if self._sampler is not None:
            self._sampler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sampler
            self._sampler = None
        if self.multiprocess:
            multiprocess.mark_process_dead(os.getpid())

    # --- exposition ------------------------------------------------------------------

    def exposition(self) -> bytes:
        self.sample_pool()
        if self.multiprocess:
            if self._shared is None:
                self._shared = multiprocess_registry()
            return generate_latest(self._shared)
        return generate_latest(self.registry)


class LiveMultiProcessCollector:
    """prometheus_client's multiprocess collector, after dropping the ``live`` gauge
    files of workers that died without stopping (a killed worker leaves them)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._collector = multiprocess.MultiProcessCollector(None, path)

    def collect(self) -> Iterable[Any]:
        for file in glob.glob(os.path.join(self.path, "gauge_live*.db")):
            match = _PID_FILE.search(os.path.basename(file))
            if match and not _alive(int(match.group(1))):
                multiprocess.mark_process_dead(int(match.group(1)), self.path)
        return self._collector.collect()


def multiprocess_registry() -> CollectorRegistry:
    """A registry summing the files of every worker in ``PROMETHEUS_MULTIPROC_DIR``."""
    path = multiprocess_dir()
    assert path, f"{MULTIPROC_ENV} is not set"
    registry = CollectorRegistry()
    registry.register(LiveMultiProcessCollector(path))
    return registry


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def serve_metrics_port(host: str, port: int) -> None:
    """The ``METRICS_PORT`` listener, a thread of the ``openforwork serve`` process (the
    uvicorn supervisor with several workers): it reads every worker's files."""
    from prometheus_client import start_http_server

    start_http_server(port, host, registry=multiprocess_registry())


__all__ = ["CONTENT_TYPE_LATEST", "Metrics", "multiprocess_registry", "serve_metrics_port"]
