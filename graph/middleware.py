"""ASGI middleware of the HTTP routes: ``BodySizeLimit`` (413 above ``MAX_BODY_BYTES``,
408 when the body is not received within ``BODY_READ_TIMEOUT_SECONDS``)."""

from __future__ import annotations

import asyncio

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodySizeLimit:
    """Refuses request bodies above ``limit`` bytes with a GraphQL-shaped 413, and bodies
    not fully received within ``timeout`` seconds (slow senders) with a 408.

    Each timed ``receive`` runs under ``asyncio.timeout_at`` (a timer; ``wait_for`` made a
    task per receive and cost two turns of the loop: see
    bench/README.md "Floor trims"). When the body arrives in time the timer is
    cancelled but stays in the event loop's heap until its deadline (at most ``timeout``
    seconds) or until asyncio drops cancelled timers in bulk (more than half of over 100
    scheduled): bounded by asyncio, see ``graph.debug.drop_cancelled_timers``."""

    def __init__(self, app: ASGIApp, limit: int, timeout: float = 30.0) -> None:
        self.app = app
        self.limit = limit
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = next((value for name, value in scope.get("headers") or () if name == b"content-length"), None)
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._reject(scope, receive, send)
            return
        received = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        body_done = False

        async def limited_receive() -> Message:
            nonlocal received, body_done
            if body_done:  # after the body: only http.disconnect is left to wait for
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise _TooSlow() from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge()
                body_done = not message.get("more_body", False)
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _TooLarge:
            await self._reject(scope, receive, send)
        except _TooSlow:
            response = JSONResponse(
                {
                    "errors": [
                        {
                            "message": f"The request body was not received within {self.timeout:g} seconds.",
                            "extensions": {"code": "REQUEST_TIMEOUT"},
                        }
                    ]
                },
                status_code=408,
                headers={"connection": "close"},
            )
            await response(scope, receive, send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = JSONResponse(
            {
                "errors": [
                    {
                        "message": f"Request body is larger than {self.limit} bytes; send a smaller document or variables.",
                        "extensions": {"code": "PAYLOAD_TOO_LARGE"},
                    }
                ]
            },
            status_code=413,
        )
        await response(scope, receive, send)


class BodyRefused(Exception):
    """Raised from the body-reading ``receive`` of BodySizeLimit; answered there."""


class _TooSlow(BodyRefused):
    pass


class _TooLarge(BodyRefused):
    pass
