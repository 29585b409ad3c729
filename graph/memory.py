"""Process memory: the collector's thresholds (``tune_garbage_collector``), and freed memory
given back to the system when the last WebSocket client leaves (``IdleTrim``).

After a day of chat the heap holds pages that Python already freed but glibc's allocator
keeps for reuse: ``bench/soak.py`` measured RSS 14.7% above the level before 200
subscribers came, with every Python object of theirs collected (the same live-object
count as before); ``malloc_trim(0)`` after a full collection brought it to +9.9%.
``IdleTrim`` counts open WebSockets and, ``delay`` seconds after the count reaches zero
(and is still zero), runs one full collection (the last cycles of the subscriptions are
freed only then) and asks glibc to trim. Both take milliseconds on a large heap, so they
run only when the worker has no socket open; the trim is a no-op where glibc's
``malloc_trim`` does not exist (macOS, musl). Before them each SQLite connection hands
its page cache back (``PRAGMA shrink_memory``: up to ``cache_size``, 2 MiB by default,
filled by the load's reads and writes and kept after it): ``bench/soak.py --seconds 40
--requests 2000 --cycles 0``, alternated with and without, RSS after the clients left
+13.1-13.7% → +11.4-11.9% (``/proc/<pid>/smaps`` of the server meanwhile: glibc's
``[heap]`` back to its level before the load, the rest in anonymous mappings, pymalloc's
arenas).

What the trim cannot give back is in Python's own small-object allocator (pymalloc),
which returns a 1 MiB arena to the system only when every block in it is free.
``sys._debugmallocstats()`` in the server, before 200 subscribers came and 15 s after
they left (``bench/soak.py --seconds 30``): arenas 43 → 53, bytes in allocated blocks
42.35 → 42.12 MB (the same live data), free pools 35 → 378 (0.6 → 6.2 MB) and free
blocks 1.4 → 6.3 MB inside the ten extra arenas, each kept by a few blocks that
outlived the load; glibc's heap moved 15.5 → 15.8 MiB. A later collection or trim
frees nothing more (``--diagnose``: RSS 89.5 → 89.5 → 89.2 MiB).

What holds those arenas was listed by walking pymalloc's arena table in the server
after the chat (a throw-away ctypes probe, not kept: it reads CPython 3.11's private
structures) and naming the type of every used block of the ten mostly-empty arenas.
Removed since: the expired sessions of the subscribers (``SessionCache.drop_expired``,
called here), ~1,900 attribute names held by CPython's method cache
(``clear_type_cache``) and 110 dead ``SAVEPOINT`` statements in sqlite3's statement
cache (``graph/sqlite_engine.py``). Left, and enough to keep each arena: the free lists
of asyncio's ``FutureIter`` (255) and uvloop's ``Handle`` and ``TimerHandle`` (250
each), whose objects are whichever were freed last, the sessions of tokens still in use,
and the timers, tasks and futures of what keeps running (the mail sender, the scheduler,
the next request). Renewing the free lists at idle did not help: new objects go to the
partly used pools of their size, which are in those same arenas. With
``PYTHONMALLOC=malloc`` the soak measured +5.3% (glibc's trim returns free pages inside
its heap), but ``bench/http_floor.py`` measured 6-15% more CPU per request.

So what stays is, nearly all of it, the high-water mark of what the subscribers held:
``--subscribers 130 --inbox 30`` left +10.3%, the default 200 +11.4-13.4%, about 52 KiB
per subscriber either way. 200 subscribers opened in the server: 62 KiB of RSS each;
tracemalloc (allocation sites grouped by file) 57.8 kB, of which the WebSocket server (uvicorn's protocol,
the handshake's headers kept by ``websockets`` and the scope) ~12 KiB, strawberry's
per-operation extension machinery ~5.5 KiB, asyncio queues and events ~7 KiB. Taken out:
the HTTP middleware stack under each socket (``graph.app.App``), strawberry's cancelled
init timer (``graph.websocket``), ``asyncio.Queue`` and an async generator in the broker's
subscriptions, the per-operation hook wrappers and, for the operation stage, strawberry's
exit stack and context managers (``graph.extension_runner``), the two limit hooks held
from ``on_operation`` (``graph.query_limits.DocumentLimits``), the opening handshake
uvicorn kept, with its headers, which websockets' parser kept as well, and uvicorn's
``asyncio.Queue`` and ``asyncio.Event`` per socket (``graph.ws_protocol``): 62 → 39 KiB of
RSS per subscriber; RSS after the clients left +12.9-13.4% → +8.7-8.8%
(``bench/soak.py --seconds 40 --requests 2000 --cycles 0``), +9.2% in the default
5-minute run (``python bench/soak.py``; +10.9% before the last three). Not explained:
tracemalloc also put ~1.4 KiB per subscriber at Tortoise's query copies (``get_or_none``,
``first().values()``), yet the live query builders stayed at the models' own 90 with 10
and with 40 subscribers open; a block counted at a site need not belong to an object of
that site any more.
What stays after the clients left, by tracemalloc (a snapshot after the warm-up, 200
subscribers, 400 messages, all closed): ~1,000 blocks allocated during the load still
alive, each keeping its arena: the free lists of ``FutureIter`` (188) and of uvloop's
handles (~265), the senders' cached sessions (~170), sqlite3's statement caches (~100),
rate-limit windows (~40), uvicorn's (~100).
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import logging
import sys
from collections.abc import Awaitable, Callable, Sequence
from functools import cache

logger = logging.getLogger(__name__)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or ``None`` where there is none (looked up once)."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def release_free_memory() -> bool:
    """``malloc_trim(0)``: hand freed heap pages back to the system. False when nothing
    was released or the C library has no ``malloc_trim``."""
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False


def clear_type_cache() -> None:
    """Empty CPython's method cache (4,096 entries, each holding a reference to the
    attribute name it was looked up with).

    The cache is keyed by the *address* of the name, so a name built at run time
    (``getattr(x, f"_db_{dialect}")`` in Tortoise's fields, ``f"{operation}_type"`` in
    graphql-core's ``get_root_type``, ``"utcoffset"`` that the ``datetime`` C code makes
    for every aware datetime it compares) takes a new entry per call and keeps that
    string alive until the entry is reused. After ``bench/soak.py``'s chat ~1,900 such
    strings, made during the load, were the commonest objects left in the pymalloc arenas
    that could not be returned (issue 21). The cache refills on the next lookups."""
    clear = getattr(sys, "_clear_internal_caches", None) or getattr(sys, "_clear_type_cache", None)
    if clear is not None:
        clear()


class IdleTrim:
    """Counts open WebSockets; trims the heap ``delay`` seconds after the last one closed.
    Holds one counter, at most one pending timer, at most one running trim and the
    callbacks it was given (fixed at start-up): ``forget``, one per per-process cache,
    each drops what its cache no longer needs (expired entries); ``release``, awaited,
    each hands back what a connection keeps for speed (SQLite's page cache, see
    ``graph.sqlite_engine.ImmediateSqliteClient.release_memory``). Then one full
    collection and glibc's trim."""

    def __init__(
        self,
        delay: float = 2.0,
        forget: Sequence[Callable[[], object]] = (),
        release: Sequence[Callable[[], Awaitable[object]]] = (),
    ) -> None:
        self.delay = delay
        self.forget = list(forget)
        self.release = list(release)
        self.open = 0
        self.trims = 0
        self._timer: asyncio.TimerHandle | None = None
        self._running: asyncio.Task[None] | None = None

    def opened(self) -> None:
        self.open += 1
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def closed(self) -> None:
        self.open -= 1
        if self.open == 0 and self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.delay, self._trim_if_idle)

    def _trim_if_idle(self) -> None:
        self._timer = None
        if self.open == 0 and self._running is None:
            self._running = asyncio.get_running_loop().create_task(self._trim())

    async def _trim(self) -> None:
        try:
            for forget in self.forget:
                forget()
            for release in self.release:
                try:
                    await release()
                except Exception:  # a closing database, say: the rest of the trim still helps
                    logger.warning("idle trim: %r failed", release, exc_info=True)
            if self.open:  # a client came back meanwhile: its next departure trims
                return
            clear_type_cache()
            gc.collect()
            release_free_memory()
            self.trims += 1
        finally:
            self._running = None


GC_THRESHOLDS = (10_000, 10, 10)


def tune_garbage_collector() -> None:
    """Once per server process, after the schema is built.

    Freezing moves what exists at start-up (schema, models, modules) out of the
    collector's sight, so a full collection walks only what requests and sockets
    created: with 1,000 WebSocket subscribers py-spy had found ~40% of a fan-out run in
    ``gc_collect_main``, much of it full collections walking the whole schema.

    The thresholds: a young collection every 10,000 net allocations instead of CPython's
    700, the older generations as CPython's (10, 10). ``py-spy --native`` found
    ``gc_collect_main`` in 14% of the chat fan-out's samples with CPython's, most of it
    full collections: young collections every 700 allocations promoted what was in
    flight across awaits, and each full collection walked the subscribers' whole heap
    (~140 ms with 1,000 of them, a pause for every client). Timed with ``gc.callbacks``
    over one fan-out run (``bench/chat.py --employers 1000``): CPython's, 9 full
    collections in 1.29 s and 1.77 s in all of 9.7 s CPU; these, 2 in 0.10 s and 0.56 s
    of 7.2 s. Memory stays flat (``bench/soak.py --seconds 60 --requests 20000 --cycles
    0``, CPython's → these: chat +12.3 → +9.4 KiB per 1,000 deliveries, HTTP +22.6 →
    +34.2 KiB per 1,000 requests, after clients left +13.5% → +13.7%). They once were (50,000, 20, 100): a full collection only every
    100 million net allocations, so every reference cycle that outlived two young
    collections stayed until then: ~2.7 MiB of RSS per 1,000 HTTP requests (issue 21)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
