"""``GET /debug/memory``: what one server process holds, for ``bench/soak.py``.

Served only with ``DEBUG_ENDPOINTS=true`` (refused in production) and only to clients
on the same host. The answer: resident memory and open file descriptors (from
``/proc/self``), the collector's state, the live objects of the app's own types
(``graph``, ``resolvers``, ``subscriptions``, ``models``) and of the commonest types
overall, and the entry count of every per-process cache and map, each of which has a
bound or an expiry stated in its docstring. ``?referrers=builtins.tuple`` shows who holds
a few live objects of a type. ``?collect=1`` runs a full collection first
(otherwise unreachable cycles still waiting for the collector are counted too) after
dropping the cancelled timers asyncio still keeps (``drop_cancelled_timers``);
``?trim=1`` then hands freed heap pages back to the system (``malloc_trim``). When
the server runs with ``PYTHONTRACEMALLOC=<frames>``, ``?top=N`` adds the N allocation
sites that grew most since the previous such call (one snapshot is kept, no more).

``live_objects``, ``cache_sizes`` and ``drop_cancelled_timers`` are also what ``tests/graph/test_memory.py``
compares between N and 2N cycles.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import os
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from graph.memory import release_free_memory

APP_PACKAGES = ("graph.", "resolvers.", "subscriptions.", "models.")
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def live_objects(*, top: int = 25) -> dict[str, Any]:
    """Counts of the objects the collector tracks: the app's own types, and the
    ``top`` commonest types overall."""
    everything = Counter(type(o) for o in gc.get_objects())
    named = {f"{t.__module__}.{t.__qualname__}": n for t, n in everything.items()}
    return {
        "total": sum(everything.values()),
        "app": {name: n for name, n in sorted(named.items()) if name.startswith(APP_PACKAGES)},
        "top": dict(Counter(named).most_common(top)),
    }


def referrer_chains(type_name: str, samples: int = 3, depth: int = 4) -> list[list[str]]:
    """For a few live objects of ``type_name`` (``module.QualName``), who holds them:
    the first referrer of each, ``depth`` levels up."""
    import random

    def name(o: object) -> str:
        return f"{type(o).__module__}.{type(o).__qualname__}"

    candidates = [o for o in gc.get_objects() if name(o) == type_name]
    chains = []
    for obj in random.sample(candidates, min(samples, len(candidates))):
        chain, current = [repr(obj)[:160]], obj
        for _ in range(depth):
            holders = [r for r in gc.get_referrers(current) if r is not candidates and type(r).__name__ != "frame"]
            if not holders:
                break
            current = holders[0]
            chain.append(f"{name(current)} ({len(holders)} holders): {repr(current)[:160]}")
        chains.append(chain)
    del candidates
    return chains


async def drop_cancelled_timers() -> None:
    """Let the event loop forget the timers that were cancelled but are still in its heap.

    asyncio's loop (``BaseEventLoop._run_once``) removes a cancelled timer lazily: when it
    reaches the head of the heap (at its deadline, or earlier if no live timer is due
    before it), or all at once when more than 100 timers are scheduled and over half of
    them are cancelled. Each ``asyncio.timeout_at`` left in time leaves one (the
    body-read timeout of every HTTP request in ``graph.middleware``: 30 s), holding a copy
    of the request's context until then: a bounded set (at most ~100, or half the heap),
    not a leak, but one whose size depends on which live timer happens to be due first
    (the mail sender's 2 s poll keeps every cancelled timeout until its deadline), so
    counts of live objects taken a few seconds apart differ by tens of timers.

    Scheduling and cancelling more timers than are alive crosses that threshold; the next
    turn of the loop rebuilds the heap without any cancelled timer. Live timers stay.
    Under uvloop a cancelled timer is freed at once and this only costs the loop turn."""
    loop = asyncio.get_running_loop()
    alive = sum(1 for o in gc.get_objects() if isinstance(o, asyncio.TimerHandle))
    for handle in [loop.call_later(3600, _nothing) for _ in range(alive + 101)]:
        handle.cancel()
    await asyncio.sleep(0)


def _nothing() -> None:
    """The callback of the timers ``drop_cancelled_timers`` cancels at once."""


def cache_sizes(graphql_app: Any) -> dict[str, int]:
    """Entries in every per-process cache and map the service keeps."""
    from strawberry.extensions.parser_cache import _get_parse_cache
    from strawberry.extensions.validation_cache import _get_validate_cache
    from tortoise.backends.base.executor import EXECUTOR_CACHE

    from graph.plain import _SHARED_PLANS, _STATIC
    from graph.schema import _PLAIN_FAILED, CACHE_SIZE
    from resolvers import accounts
    from resolvers.profiles import access as privacy
    from resolvers.ratelimit import costly_mutations

    broker = graphql_app.broker
    return {
        "parsedDocuments": _lru_size(_get_parse_cache(CACHE_SIZE)),
        "validatedDocuments": _lru_size(_get_validate_cache(CACHE_SIZE)),
        "costlyMutationCounts": costly_mutations.cache_info().currsize,
        "persistedQueries": len(graphql_app.persisted._cache),
        # in-process counter only (memory://); with Redis the keys expire there
        "costlyLimiterKeys": len(getattr(graphql_app.costly_limiter, "_counts", ())),
        "socketsPerUser": len(graphql_app.sockets._holders),
        "brokerChannels": len(broker._subscribers),
        "brokerSubscriptions": broker.subscriber_count,
        "tokenStatements": len(accounts._TOKEN_WITH_USER),
        # bounded: SESSION_CACHE_SIZE entries (resolvers/accounts/sessions.py)
        "cachedSessions": len(graphql_app.sessions),
        # bounded: _PLAIN_FAILED_MAX field nodes whose plain walk failed (graph/schema.py)
        "plainWalkFailures": len(_PLAIN_FAILED),
        # bounded: _SHARED_PLANS_MAX sub-field plans, _STATIC_MAX operations (graph/plain.py)
        "plainWalkPlans": len(_SHARED_PLANS),
        "plainWalkOperations": len(_STATIC),
        # one statement per SQL dialect (resolvers/profiles/access.py ``_company_by_id``)
        "companyStatements": len(privacy._COMPANY_BY_ID),
        "tortoiseExecutors": len(EXECUTOR_CACHE),
        "asyncioTasks": len(asyncio.all_tasks()),
    }


def _lru_size(cached: Callable[..., Any]) -> int:
    """Entries of a ``functools.lru_cache`` function (strawberry types its document
    caches as plain callables)."""
    wrapper = cast("functools._lru_cache_wrapper[Any]", cached)
    return wrapper.cache_info().currsize


def process_figures() -> dict[str, int]:
    """Resident memory (KiB), open file descriptors and threads of this process."""
    status = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        status[key] = value.strip()
    return {
        "rssKiB": int(status.get("VmRSS", "0 kB").split()[0]),
        "fds": len(os.listdir("/proc/self/fd")),
        "threads": int(status.get("Threads", "0")),
    }


def debug_routes(enabled: bool, graphql_app: Any) -> list[Route]:
    """The debug routes, or none when ``DEBUG_ENDPOINTS`` is off."""
    if not enabled:
        return []

    previous: list[tracemalloc.Snapshot] = []  # at most one

    def allocation_growth(top: int) -> list[str]:
        snapshot = tracemalloc.take_snapshot()
        grown = snapshot.compare_to(previous[0], "traceback") if previous else snapshot.statistics("traceback")
        previous[:] = [snapshot]
        return ["\n".join([str(stat), *stat.traceback.format()[-8:]]) for stat in grown[:top]]

    async def memory(request: Request) -> Response:
        client = request.client.host if request.client else ""
        if client not in LOOPBACK:
            return JSONResponse({"error": "only from the same host"}, status_code=403)
        if request.query_params.get("collect") in {"1", "true"}:
            await drop_cancelled_timers()
            gc.collect()
        if request.query_params.get("trim") in {"1", "true"}:
            release_free_memory()
        top = request.query_params.get("top", "")
        growth = allocation_growth(int(top)) if top.isdigit() and tracemalloc.is_tracing() else None
        held = request.query_params.get("referrers")
        return JSONResponse(
            {
                "referrers": referrer_chains(held) if held else None,
                "allocationGrowth": growth,
                "process": process_figures(),
                "gc": {
                    "counts": gc.get_count(),
                    "thresholds": gc.get_threshold(),
                    "frozen": gc.get_freeze_count(),
                },
                "objects": live_objects(),
                "caches": cache_sizes(graphql_app),
            }
        )

    return [Route("/debug/memory", memory, methods=["GET"])]

