"""GraphQL clients for tests: HTTP through httpx, WebSocket through httpx-ws.

``GraphQLClient.execute`` fails the test on any ``errors`` unless the test says it
expects them (``expect_errors=True``), so an unnoticed error never passes as data.

``subscribed`` is the one way a test waits for a subscription: it returns once the
server says the subscription is live (``Broker.live_subscribers``), never after a
fixed time, so what the test does next is sure to reach it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
from httpx_ws import AsyncWebSocketSession, aconnect_ws

TRANSPORT_WS = "graphql-transport-ws"
LEGACY_WS = "graphql-ws"


@dataclass
class Response:
    data: dict[str, Any] | None
    errors: list[dict[str, Any]]
    status_code: int

    @property
    def codes(self) -> list[str | None]:
        return [e.get("extensions", {}).get("code") for e in self.errors]


class GraphQLClient:
    def __init__(self, http: httpx.AsyncClient, path: str = "/graphql") -> None:
        self.http = http
        self.path = path

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        response = await self.http.post(self.path, json=body, headers=all_headers)
        try:
            payload = response.json()
        except ValueError:
            raise AssertionError(f"not JSON ({response.status_code}): {response.text[:500]}") from None
        return Response(payload.get("data"), payload.get("errors") or [], response.status_code)

    async def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        expect_errors: bool = False,
    ) -> dict[str, Any]:
        result = await self.post(query, variables, token=token)
        if result.errors and not expect_errors:
            raise AssertionError(f"unexpected GraphQL errors: {json.dumps(result.errors, indent=2)}")
        assert result.status_code == 200, result
        assert result.data is not None
        return result.data

    async def mutate(
        self, query: str, input: dict[str, Any], *, token: str | None = None, ok: bool = True
    ) -> dict[str, Any]:
        """Run a one-mutation document with ``$input``; returns its payload.
        With ``ok=True`` (default) the payload's ``userErrors`` must be empty."""
        data = await self.execute(query, {"input": input}, token=token)
        payload = next(iter(data.values()))
        if ok:
            assert payload["userErrors"] == [], payload["userErrors"]
        return payload

    @contextlib.asynccontextmanager
    async def websocket(
        self,
        *,
        token: str | None = None,
        protocol: str = TRANSPORT_WS,
        init: bool = True,
        headers: dict[str, str] | None = None,
    ) -> AsyncIterator[WebSocketClient]:
        async with aconnect_ws(
            str(self.http.base_url.join(self.path)),
            self.http,
            subprotocols=[protocol],
            headers=dict(headers or {}),
            keepalive_ping_interval_seconds=None,
        ) as ws:
            client = WebSocketClient(ws, protocol)
            if init:
                await client.init({"authorization": f"Bearer {token}"} if token else {})
            yield client


# How long a test waits for a frame that must come: only a failing test waits it out. It
# was 5 s, and on CI under load (the whole suite on two cores, PostgreSQL) a FORBIDDEN
# answer to an outsider's subscription once took longer.
EXPECTED_WITHIN = 15.0


class WebSocketClient:
    """Speaks graphql-transport-ws or legacy graphql-ws."""

    def __init__(self, ws: AsyncWebSocketSession, protocol: str) -> None:
        self.ws = ws
        self.protocol = protocol
        self._next_id = 0
        self._pending: dict[str, list[dict[str, Any]]] = {}

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send_text(json.dumps(message))

    async def receive(self, timeout: float = EXPECTED_WITHIN) -> dict[str, Any]:
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.receive_text(), timeout))
            if message.get("type") in {"ka", "ping", "pong"}:
                if message["type"] == "ping":
                    await self.send({"type": "pong"})
                continue
            return message

    async def init(self, payload: dict[str, Any]) -> dict[str, Any]:
        await self.send({"type": "connection_init", "payload": payload})
        ack = await self.receive()
        assert ack["type"] == "connection_ack", ack
        return ack

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> str:
        self._next_id += 1
        op_id = str(self._next_id)
        payload: dict[str, Any] = {"query": query}
        if variables is not None:
            payload["variables"] = variables
        kind = "subscribe" if self.protocol == TRANSPORT_WS else "start"
        await self.send({"id": op_id, "type": kind, "payload": payload})
        return op_id

    async def stop(self, op_id: str) -> None:
        kind = "complete" if self.protocol == TRANSPORT_WS else "stop"
        await self.send({"id": op_id, "type": kind})

    async def next(self, op_id: str | None = None, timeout: float = EXPECTED_WITHIN) -> dict[str, Any]:
        """The next ``next``/``data`` payload of ``op_id`` (fails on ``error``/``complete``).
        Messages of other operations on the socket are kept for their own ``next``."""
        if op_id is not None and self._pending.get(op_id):
            message = self._pending[op_id].pop(0)
        else:
            while True:
                message = await self.receive(timeout)
                if op_id is None or message.get("id") == op_id:
                    break
                self._pending.setdefault(str(message.get("id")), []).append(message)
        assert message["type"] in {"next", "data"}, message
        return message["payload"]

    async def expect_silence(self, seconds: float = 0.3) -> None:
        with contextlib.suppress(asyncio.TimeoutError, TimeoutError):
            message = await self.receive(timeout=seconds)
            raise AssertionError(f"expected nothing, got {message}")


LIVE_POLL_SECONDS = 0.005  # how often the broker's count is looked at, not a wait for time


async def live_subscriptions(app: Any, count: int, *, timeout: float = 10.0) -> None:
    """Wait until the broker of ``app`` holds exactly ``count`` live subscriptions:
    confirmed by the backend, set up (replay and baseline reads done) and reading
    events. Fails with the count it saw when that does not happen within ``timeout``."""
    broker = app.state.broker
    deadline = asyncio.get_running_loop().time() + timeout
    while (live := broker.live_subscribers()) != count:
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{live} live subscriptions on the broker, expected {count}")
        await asyncio.sleep(LIVE_POLL_SECONDS)


async def subscribed(
    app: Any,
    ws: WebSocketClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    live: int | None = None,
) -> str:
    """Subscribe on ``ws`` and return the operation id once the subscription is live on
    the server of ``app`` (``live_subscriptions``). ``live``: how many live subscriptions
    that server holds then; by default one more than before this one."""
    expected = app.state.broker.live_subscribers() + 1 if live is None else live
    op = await ws.subscribe(query, variables)
    await live_subscriptions(app, expected)
    return op
