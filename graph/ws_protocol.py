"""The WebSocket protocol ``openforwork serve`` runs: uvicorn's ``websockets-sansio``
implementation, without the opening handshake kept for the connection's life and with
lighter waiting structures.

uvicorn keeps the handshake's request (its headers parsed into websockets' ``Headers``, a
dict and a list of every name and value) and the response it sent, on the protocol
object, for as long as the socket is open; it never reads either once the response is
sent, and websockets' parser holds the request as a local of its generator, suspended for
the connection's life. The app has the request's headers in its ASGI scope.
``bench/soak.py`` found what each subscriber holds kept after the subscribers leave (issue
21): tracemalloc put the request's headers at ~3 KiB per socket and the response at ~0.5.

Each socket also held an ``asyncio.Queue`` of received events (three deques of 760 bytes,
an ``asyncio.Event`` with a fourth, and two instance dicts) and an ``asyncio.Event`` for
``writable`` (a fifth deque): ~5 KiB per socket for a queue that holds one or two events
at a time (uvicorn stops reading the socket while one is waiting) and a flag that is
waited on only while the transport's buffer is full. ``Inbox`` and ``Writable`` do what
uvicorn asks of those two (``put_nowait``/``get``/``empty``; ``set``/``clear``/``wait``)
in two lists.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

# ``uvicorn.run(ws=...)`` and ``uvicorn --ws``: an import string, so that worker processes
# import the class themselves.
WS_PROTOCOL = "graph.ws_protocol:WebSocketProtocol"


class Inbox:
    """The part of ``asyncio.Queue`` uvicorn uses for a socket's received events: FIFO,
    unbounded (bounded in practice: uvicorn pauses reading while an event waits), getters
    woken in the order they came, as ``asyncio.Queue`` does."""

    __slots__ = ("_getters", "_items")

    def __init__(self) -> None:
        self._items: list[Any] = []
        self._getters: list[asyncio.Future[None]] = []

    def empty(self) -> bool:
        return not self._items

    def qsize(self) -> int:
        return len(self._items)

    def put_nowait(self, item: Any) -> None:
        self._items.append(item)
        self._wake_next()

    def _wake_next(self) -> None:
        getters = self._getters
        while getters:
            getter = getters.pop(0)
            if not getter.done():
                getter.set_result(None)
                return

    async def get(self) -> Any:
        while not self._items:
            getter = asyncio.get_running_loop().create_future()
            self._getters.append(getter)
            try:
                await getter
            except BaseException:
                getter.cancel()
                try:
                    self._getters.remove(getter)
                except ValueError:  # woken before it was cancelled: pass the wake-up on
                    if self._items:
                        self._wake_next()
                raise
        return self._items.pop(0)


class Writable:
    """The part of ``asyncio.Event`` uvicorn uses for ``writable``: set while the
    transport takes more data; ``wait`` returns at once when set (nearly always)."""

    __slots__ = ("_set", "_waiters")

    def __init__(self) -> None:
        self._set = True
        self._waiters: list[asyncio.Future[None]] = []

    def is_set(self) -> bool:
        return self._set

    def set(self) -> None:
        if self._set:
            return
        self._set = True
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def clear(self) -> None:
        self._set = False

    async def wait(self) -> bool:
        if self._set:
            return True
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
            return True
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)


class WebSocketProtocol(WebSocketsSansIOProtocol):
    """``WebSocketsSansIOProtocol`` that lets go of the handshake once it is answered and
    waits with ``Inbox`` and ``Writable`` (module doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue = Inbox()  # type: ignore[assignment]  # uvicorn types it as asyncio.Queue
        self.writable = Writable()  # type: ignore[assignment]  # and this as asyncio.Event

    def start_keepalive(self) -> None:
        # uvicorn calls this once per connection, right after it sent the 101 response of
        # an accepted handshake; nothing reads the request or the response after that.
        # websockets' parser keeps the request too (a local of its generator, suspended
        # for the connection's life): its headers are emptied, not only let go of here.
        if self.request is not None:
            self.request.headers.clear()
        self.request = None  # type: ignore[assignment]  # uvicorn types them as always set
        self.response = None  # type: ignore[assignment]
        super().start_keepalive()
