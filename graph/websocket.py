"""WebSocket protocol handling on top of strawberry's: frame limits, sessions checked
per operation, a cap on sockets per account, and a legacy graphql-ws that answers.

- ``LimitedWebSocketAdapter``: a frame above ``MAX_WS_FRAME_BYTES`` closes with 1009; a
  frame that is JSON but not an object closes with 4400.
- Every operation started on a socket signed in with a token re-reads that token from
  the database first (one indexed SELECT): after ``logOut`` or ``deleteMyAccount`` (on
  any worker) the next operation gets an ``UNAUTHENTICATED`` error and the socket is
  closed with 4403. Subscriptions already open end through ``subscriptions.accounts``.
- ``SocketsPerUser``: at most ``MAX_WEBSOCKETS_PER_USER`` signed-in sockets per account
  in one worker process; one more is refused at ``connection_init`` with close code 4429
  (graphql-ws: ``connection_error``, then 4429). The count lives in the process (bounded
  by the open sockets themselves): with N workers an account may hold N times the cap.
- Legacy ``graphql-ws``: queries and mutations run (strawberry's handler only knew
  subscriptions and failed them with ``InvalidOperationTypeError``); a frame that is not
  JSON, has no known ``type`` or lacks its payload gets an ``error`` message instead of
  silence.
- ``WebSocketView``: the WebSocket half of the GraphQL view (``graph.http.GraphQLApp``
  inherits it): the adapter and protocol handlers above, authentication at
  ``connection_init`` (``{"authorization": "Bearer <token>"}``, or the upgrade request's
  header) and the gauge of open sockets (metrics, and the idle heap trim of
  ``graph.memory``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from json import JSONDecodeError
from typing import Any

from graphql.error import GraphQLFormattedError
from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.exceptions import NonJsonMessageReceived, NonTextMessageReceived, WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.subscriptions.protocols.graphql_transport_ws.types import ErrorMessage as TransportError
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import ErrorMessage as LegacyError
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError

from graph.context import Context
from graph.memory import IdleTrim
from graph.metrics import Metrics
from graph.settings import Settings
from resolvers.accounts import is_token_active

REVOKED_CLOSE_CODE = 4403
REVOKED_MESSAGE = "Your token was revoked or expired; sign in again and reconnect."
TOO_MANY_SOCKETS_CLOSE_CODE = 4429


class LimitedWebSocketAdapter(ASGIWebSocketAdapter):
    """Closes the socket with 1009 (message too big) on a frame above the limit."""

    async def iter_json(self, *, ignore_parsing_errors: bool = False) -> AsyncGenerator[object, None]:
        limit = self.view.settings.max_ws_frame_bytes  # type: ignore[attr-defined]
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                message = await self.ws.receive()
                if message["type"] == "websocket.disconnect":
                    return
                text = message.get("text")
                if text is None:
                    raise NonTextMessageReceived()
                if len(text) > limit:
                    await self.ws.close(code=1009, reason=f"Frame larger than {limit} bytes")
                    return
                try:
                    decoded = self.view.decode_json(text)
                except (JSONDecodeError, RecursionError) as e:  # too deep is not JSON we read
                    if not ignore_parsing_errors:
                        raise NonJsonMessageReceived from e
                    continue
                if not isinstance(decoded, dict):
                    await self.ws.close(code=4400, reason="WebSocket message must be a JSON object")
                    return
                yield decoded
        except WebSocketDisconnect:
            return


class TooManySockets(Exception):
    """The account already holds the most sockets allowed."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"Too many open connections for this account (at most {limit}); close one first.")
        self.limit = limit


class SocketsPerUser:
    """Signed-in sockets per user id in this process: at most ``limit`` each. Keyed by
    the socket's context (``id()``, alive as long as the socket); holds one entry per
    open signed-in socket, so its size is bounded by the open sockets."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._per_user: dict[int, int] = {}
        self._holders: dict[int, int] = {}  # id(context) -> user id

    def open(self, context: Context, user_id: int) -> None:
        key = id(context)
        if self._holders.get(key) == user_id:
            return  # the same socket signing in again (legacy graphql-ws allows it)
        self.close(context)
        count = self._per_user.get(user_id, 0)
        if count >= self.limit:
            raise TooManySockets(self.limit)
        self._per_user[user_id] = count + 1
        self._holders[key] = user_id

    def close(self, context: Context) -> None:
        user_id = self._holders.pop(id(context), None)
        if user_id is None:
            return
        count = self._per_user.get(user_id, 0) - 1
        if count > 0:
            self._per_user[user_id] = count
        else:
            self._per_user.pop(user_id, None)

    def count(self, user_id: int) -> int:
        return self._per_user.get(user_id, 0)


async def session_still_valid(context: Context) -> bool:
    """False when the socket was signed in with a token that is now revoked or expired
    (read from the database, so a revocation on any worker counts)."""
    session = context.session
    return session is None or await is_token_active(session.token.pk)


def _unauthenticated(message: str = REVOKED_MESSAGE) -> GraphQLFormattedError:
    return {"message": message, "extensions": {"code": "UNAUTHENTICATED"}}


def _release_socket(view: Any, context: Context) -> None:
    """The socket no longer counts against its account (``view`` is a ``WebSocketView``;
    strawberry types a handler's view as its own base view)."""
    view.sockets.close(context)


class TransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws with the session checked per operation and the socket cap."""

    async def handle(self) -> None:
        try:
            await super().handle()
        finally:
            _release_socket(self.view, self.context)

    async def handle_connection_init(self, message: Any) -> None:
        try:
            await super().handle_connection_init(message)
        except TooManySockets as exc:
            await self.websocket.close(code=TOO_MANY_SOCKETS_CLOSE_CODE, reason=str(exc))
        finally:
            if self.connection_init_received:
                # strawberry cancelled the init timeout above but keeps its task (with the
                # coroutine, its context and the sleep's future) for the socket's life:
                # ~0.9 KiB per socket, all of it kept after the subscribers left
                # (bench/soak.py, issue 21). The loop holds the task until it has ended.
                self.connection_init_timeout_task = None

    async def handle_subscribe(self, message: Any) -> None:
        if self.connection_acknowledged and not await session_still_valid(self.context):
            await self.send_message(TransportError(id=message.get("id"), type="error", payload=[_unauthenticated()]))
            await self.websocket.close(code=REVOKED_CLOSE_CODE, reason=REVOKED_MESSAGE)
            return
        await super().handle_subscribe(message)


class LegacyWSHandler(BaseGraphQLWSHandler[Context, None]):
    """Legacy graphql-ws that runs queries and mutations too, answers broken frames,
    checks the session per operation and applies the socket cap.

    Its own answers to broken frames (an ``error`` without an id, with ``extensions``)
    are outside strawberry's message types: they go out through ``send_json``."""

    async def handle(self) -> None:
        try:
            try:
                async for message in self.websocket.iter_json(ignore_parsing_errors=False):
                    await self.handle_message(message)
            except NonJsonMessageReceived:
                await self.websocket.send_json({"type": "error", "payload": {"message": "WebSocket message must be valid JSON."}})
                await self.websocket.close(code=4400, reason="WebSocket message must be valid JSON")
            except NonTextMessageReceived:
                await self.websocket.close(code=1002, reason="WebSocket message type must be text")
        except WebSocketDisconnected:
            pass
        finally:
            if self.keep_alive_task:
                self.keep_alive_task.cancel()
                with suppress(BaseException):
                    await self.keep_alive_task
            await self.cleanup()
            _release_socket(self.view, self.context)

    async def handle_message(self, message: Any) -> None:
        kind = message.get("type")
        operation_id = message.get("id")
        if kind not in {"connection_init", "connection_terminate", "start", "stop"}:
            await self._error(operation_id, f"Unknown message type: {kind!r}.")
            return
        if kind in {"start", "stop"} and not isinstance(operation_id, str):
            await self._error(None, f"A {kind} message needs a string id.")
            return
        if kind == "start":
            payload = message.get("payload")
            if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
                await self._error(operation_id, "A start message needs a payload with a query.")
                return
            if self.connection_acknowledged and not await session_still_valid(self.context):
                await self.send_message(LegacyError(type="error", id=operation_id, payload=_unauthenticated()))
                await self.websocket.close(code=REVOKED_CLOSE_CODE, reason=REVOKED_MESSAGE)
                return
        await super().handle_message(message)

    async def _error(self, operation_id: str | None, text: str) -> None:
        message: dict[str, Any] = {"type": "error", "payload": {"message": text, "extensions": {"code": "BAD_REQUEST"}}}
        if operation_id is not None:
            message["id"] = operation_id
        await self.websocket.send_json(message)

    async def handle_connection_init(self, message: Any) -> None:
        try:
            await super().handle_connection_init(message)
        except TooManySockets as exc:
            await self.send_message({"type": "connection_error", "payload": {"message": str(exc), "extensions": {"code": "TOO_MANY_CONNECTIONS"}}})
            await self.websocket.close(code=TOO_MANY_SOCKETS_CLOSE_CODE, reason=str(exc))

    async def handle_async_results(
        self, operation_id: str, query: str, operation_name: str | None, variables: dict[str, object] | None
    ) -> None:
        """Any operation type, through ``schema.stream`` (as graphql-transport-ws does)."""
        try:
            result_source = await self.schema.stream(
                query,
                variable_values=variables,
                context_value=self.context,
                root_value=self.root_value,
                operation_name=operation_name,
            )
            self.subscriptions[operation_id] = result_source
            first = True
            async for result in result_source:
                if first and isinstance(result, PreExecutionError):
                    assert result.errors
                    await self.send_message({"type": "error", "id": operation_id, "payload": result.errors[0].formatted})
                    return
                if not isinstance(result, ExecutionResult):  # @defer/@stream: not in this protocol
                    await self._error(operation_id, "Incremental delivery is not supported over graphql-ws.")
                    return
                await self.send_data_message(result, operation_id)
                first = False
            await self.send_message({"type": "complete", "id": operation_id})
        except asyncio.CancelledError:
            await self.send_message({"type": "complete", "id": operation_id})
        finally:
            self.subscriptions.pop(operation_id, None)
            self.tasks.pop(operation_id, None)


class WebSocketView:
    """The WebSocket half of ``graph.http.GraphQLApp`` (a mixin before strawberry's view
    in its bases): the protocol handlers of this module, sign-in at ``connection_init``,
    the socket cap and the open-socket gauge. (The view names ``LimitedWebSocketAdapter``
    itself: strawberry's ``GraphQL`` and its base type that attribute differently, and
    only a subclass of ``GraphQL`` satisfies both.)"""

    graphql_transport_ws_handler_class: type[BaseGraphQLTransportWSHandler[Context, None]] = TransportWSHandler
    graphql_ws_handler_class: type[BaseGraphQLWSHandler[Context, None]] = LegacyWSHandler

    metrics: Metrics | None
    idle: IdleTrim
    sockets: SocketsPerUser

    def set_up_websockets(
        self,
        settings: Settings,
        metrics: Metrics | None,
        forget: Sequence[Callable[[], object]] = (),
        release: Sequence[Callable[[], Awaitable[object]]] = (),
    ) -> None:
        """``forget``: what the idle trim drops from per-process caches; ``release``: what
        it asks to give memory back (``IdleTrim``)."""
        self.metrics = metrics
        self.idle = IdleTrim(forget=forget, release=release)
        self.sockets = SocketsPerUser(settings.max_websockets_per_user)

    @contextmanager
    def socket_open(self) -> Iterator[None]:
        """Counts one open socket while the block runs (metrics gauge, idle trim)."""
        self.idle.opened()
        if self.metrics is not None:
            self.metrics.websockets.inc()
        try:
            yield
        finally:
            self.idle.closed()
            if self.metrics is not None:
                self.metrics.websockets.dec()

    async def authenticate(self, context: Context, header_value: str) -> bool:
        """Sign ``context`` in with an ``Authorization`` value; the view provides it."""
        raise NotImplementedError

    async def on_ws_connect(self, context: Context) -> dict[str, object] | None:
        """``connection_init``: a token in the payload signs the socket in (a bad one is
        refused); without one, a bad upgrade header is refused. A signed-in socket counts
        against its account's cap (``TooManySockets``, answered by the handlers)."""
        params = context.connection_params or {}
        value = params.get("authorization") or params.get("Authorization")
        if value is not None:
            if not isinstance(value, str) or not await self.authenticate(context, value):
                raise ConnectionRejectionError({"message": "Invalid or expired token."})
        elif context.token_problem:
            raise ConnectionRejectionError({"message": context.token_problem})
        if context.session is not None:
            self.sockets.open(context, context.session.user.pk)
        return None
