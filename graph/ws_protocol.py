"""The WebSocket protocol ``openforwork serve`` runs: uvicorn's ``websockets-sansio``
implementation, without the opening handshake kept for the connection's life.

uvicorn keeps the handshake's request (its headers parsed into websockets' ``Headers``, a
dict and a list of every name and value) and the response it sent, on the protocol
object, for as long as the socket is open; it never reads either once the response is
sent. The app has the request's headers in its ASGI scope. ``bench/soak.py`` found what
each subscriber holds kept after the subscribers leave (issue 21): tracemalloc put these
two at ~3.5 KiB per socket.
"""

from __future__ import annotations

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

# ``uvicorn.run(ws=...)`` and ``uvicorn --ws``: an import string, so that worker processes
# import the class themselves.
WS_PROTOCOL = "graph.ws_protocol:WebSocketProtocol"


class WebSocketProtocol(WebSocketsSansIOProtocol):
    """``WebSocketsSansIOProtocol`` that lets go of the handshake once it is answered
    (module doc)."""

    def start_keepalive(self) -> None:
        # uvicorn calls this once per connection, right after it sent the 101 response of
        # an accepted handshake; nothing reads the request or the response after that.
        self.request = None  # type: ignore[assignment]  # uvicorn types them as always set
        self.response = None  # type: ignore[assignment]
        super().start_keepalive()
