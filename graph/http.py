"""The GraphQL view: strawberry's ASGI app with our context, authentication, persisted
queries, costly-mutation limit, error shapes and GraphiQL switch.

``GraphQLApp`` serves ``/graphql`` for both transports; this module holds the HTTP
side and what both share (the context, bearer authentication, JSON encoding, request
ids). The WebSocket side (frame limits, sessions per operation, sockets per account, the
open-socket gauge) is ``graph.websocket.WebSocketView``, which it inherits.

Outside GraphQL execution, an HTTP request is answered with a GraphQL-shaped error: 400
for a body no GraphQL request can be made of (``BadRequestBody``), 503 when something
fails before execution (typically the database is unreachable while authenticating);
``BodySizeLimit`` (``graph.middleware``) answers 413/408 itself.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import uuid
from datetime import timedelta
from typing import Any, cast

import orjson
from cross_web import HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL
from strawberry.types import ExecutionResult

from graph.context import Context
from graph.database import release_database_memory
from graph.graphiql import content_security_policy, example_document, local_page, with_examples
from graph.metrics import Metrics
from graph.middleware import BodyRefused
from graph.observability import log_refusal
from graph.schema import create_schema
from graph.settings import Settings
from graph.thin_http import PREMADE, ThinPath, plain_json_post
from graph.websocket import LimitedWebSocketAdapter, WebSocketView
from resolvers.accounts import authenticate
from resolvers.accounts.sessions import SessionCache
from resolvers.errors import ApiError, RateLimited
from resolvers.persisted import PersistedQueries
from resolvers.ratelimit import charges, costly_mutations, window_counter
from subscriptions.broker import Broker

logger = logging.getLogger("openforwork.app")
_MUTATION_NAME = re.compile(r"\bmutation\s+([_A-Za-z][_0-9A-Za-z]*)")

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


# Request ids: a random 64-bit prefix per process and a counter, 32 hex digits like a
# uuid4's hex (unique, not secret: they only join a log line to an answer). uuid4 read
# os.urandom per request.
_REQUEST_ID_PREFIX = os.urandom(8).hex()
_request_counter = itertools.count(1)


def new_request_id() -> str:
    return f"{_REQUEST_ID_PREFIX}{next(_request_counter) & 0xFFFFFFFFFFFFFFFF:016x}"


def encode_json(data: object) -> str:
    """orjson (compact); json.dumps for what orjson refuses (an int beyond 64 bits, a
    non-string key), so no answer fails because of the encoder. A str, not bytes: the
    WebSocket adapter sends bytes as binary frames, and the protocols want text."""
    try:
        return orjson.dumps(data).decode()
    except TypeError:
        return json.dumps(data, separators=(",", ":"))


def bearer_token(value: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` value (any case of the scheme),
    or ``None`` when the value is missing or not of that form."""
    if not value:
        return None
    scheme, _, token = value.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


class BadRequestBody(Exception):
    """A body no GraphQL request can be made of: answered 400 with a GraphQL error."""


def _unavailable() -> JSONResponse:
    request_id = uuid.uuid4().hex
    logger.exception("request failed before execution request_id=%s", request_id)
    return JSONResponse(
        {
            "errors": [
                {
                    "message": "The service is temporarily unavailable; retry shortly.",
                    "extensions": {"code": "SERVICE_UNAVAILABLE", "requestId": request_id},
                }
            ]
        },
        status_code=503,
        headers={"retry-after": "1"},
    )


def _refusal(exc: ApiError) -> ExecutionResult:
    return ExecutionResult(data=None, errors=[GraphQLError(exc.message, extensions={"code": exc.code, **exc.extensions})])


class GraphQLApp(WebSocketView, GraphQL[Context, None]):
    """strawberry's ASGI view with our context, authentication, persisted queries and
    GraphiQL switch; the WebSocket side comes from ``WebSocketView``."""

    websocket_adapter_class = LimitedWebSocketAdapter

    def __init__(self, settings: Settings, broker: Broker, metrics: Metrics | None = None) -> None:
        super().__init__(
            create_schema(settings),
            graphql_ide="graphiql" if settings.graphiql else None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL),
            connection_init_wait_timeout=timedelta(seconds=settings.connection_init_timeout_seconds),
            max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
            allowed_origins=settings.allowed_origins,
            keep_alive=True,
            keep_alive_interval=15,
        )
        self.settings = settings
        self.broker = broker
        # Bearer tokens seen moments ago (resolvers/accounts/sessions.py); evicted through
        # the broker by subscriptions.accounts.session_evictions, which the lifespan runs.
        self.sessions = SessionCache(settings.session_cache_seconds, trusted=lambda: broker.listening)
        self.set_up_websockets(
            settings, metrics, forget=(self.sessions.drop_expired,), release=(release_database_memory,)
        )
        self.thin = ThinPath(self)
        self.persisted = PersistedQueries(settings.persisted_queries, max_tokens=settings.max_tokens)
        self.costly_limiter = window_counter(
            settings.broadcast_url,
            settings.costly_mutations_per_minute_per_address,
            prefix=settings.broadcast_channel_prefix,
        )
        self.ide_html = ""
        self.ide_headers = dict(SECURITY_HEADERS)
        if settings.graphiql:
            local = settings.graphiql_assets == "local"
            self.ide_html = with_examples(local_page() if local else self.graphql_ide_html, example_document())
            if local:
                self.ide_headers["content-security-policy"] = content_security_policy(self.ide_html)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            with self.socket_open():
                await super().__call__(scope, receive, send)
            return
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            if self.thin.enabled and plain_json_post(scope):
                replay = await self.thin.answer(scope, receive, send)
                if replay is None:
                    return
                receive = replay
            await super().__call__(scope, receive, send)
        except BodyRefused:
            raise  # BodySizeLimit answers 413/408
        except BadRequestBody as exc:
            response = JSONResponse(
                {"errors": [{"message": str(exc), "extensions": {"code": "BAD_REQUEST"}}]}, status_code=400
            )
            await response(scope, receive, send)
        except Exception:
            # Outside GraphQL execution (authenticating the token, reading the body):
            # typically the database is unreachable. Answer like GraphQL would, 503, and
            # answer no token from memory until the database is read again.
            self.sessions.clear()
            await _unavailable()(scope, receive, send)

    def encode_json(self, data: object) -> str:
        return encode_json(data)

    def parse_json(self, data: str | bytes) -> object:
        try:
            parsed = super().parse_json(data)
        except RecursionError:
            # json.loads recurses per nesting level: 100,000 "[" exhausted the stack and
            # was answered 503 (the signal operators alert on). It is the client's error.
            raise BadRequestBody("The request body is JSON nested too deeply.") from None
        if not isinstance(parsed, (dict, list)):
            raise HTTPException(400, "The request body must be a JSON object with a `query`.")
        return parsed

    async def execute_single(self, *args: Any, **kwargs: Any) -> Any:
        request_data = kwargs["request_data"]
        try:
            request_data.query = await self.persisted.resolve(request_data.query, request_data.extensions)
        except ApiError as exc:
            return _refusal(exc)
        refused = await self.refuse_costly(request_data.query, request_data.operation_name, kwargs["context"])
        if refused is not None:
            return refused
        return await super().execute_single(*args, **kwargs)

    async def refuse_costly(self, query: str | None, operation_name: str | None, context: Context) -> ExecutionResult | None:
        """The answer refusing a costly mutation over its limit, or None to run it."""
        try:
            await self._limit_costly_mutations(query, operation_name, context)
        except ApiError as exc:
            return _refusal(exc)
        return None

    async def _limit_costly_mutations(self, query: str | None, operation_name: str | None, context: Context) -> None:
        """Signed-in work counts per user, anonymous work per address (resolvers/ratelimit.py);
        a refusal is logged like an operation."""
        counts = costly_mutations(query) if query else ()
        if not counts:
            return
        user_id = context.session.user.pk if context.session else None
        for key, cost in charges(counts, user_id, context.client_address).items():
            wait = await self.costly_limiter.take(key, cost)
            if wait is None:
                continue
            subject = key.partition(":")[0]
            named = operation_name or next(iter(_MUTATION_NAME.findall(query or "")), None)
            log_refusal(context, named, "RATE_LIMITED", limit=f"costly-mutations-per-{subject}")
            who = "your account" if subject == "user" else "your address"
            raise RateLimited(
                f"Too many sign-ups, sign-ins, messages, contact requests or offers from {who}; "
                f"retry in {int(wait) + 1} seconds.",
                retryAfterSeconds=int(wait) + 1,
            )

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        premade = request.scope.get(PREMADE)  # made by the thin path before it fell back
        if premade:
            return cast(Response, premade[0])
        # strawberry's (a Response without status or headers), without rendering an empty
        # body and deleting its content-length per request.
        sub_response = Response.__new__(Response)
        sub_response.status_code = None  # type: ignore[assignment]  # strawberry's "not set"
        sub_response.background = None
        sub_response.body = b""
        sub_response.raw_headers = []
        return sub_response

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        premade = request.scope.pop(PREMADE, None)
        if premade is not None:
            return cast(Context, premade[1])
        # The two headers read straight from the scope, first of each as Starlette's
        # ``Headers.get`` answers (which lower-cases the name and scans the list per call).
        request_id = raw_header = None
        for name, value in request.scope["headers"]:
            if name == b"x-request-id":
                if request_id is None:
                    request_id = value.decode("latin-1")
            elif name == b"authorization" and raw_header is None:
                raw_header = value.decode("latin-1")
        context = Context(
            request=request,
            response=response,
            settings=self.settings,
            broker=self.broker,
            request_id=(request_id or "")[:64] or new_request_id(),
        )
        if raw_header:
            await self.authenticate(context, raw_header)
        return context

    async def authenticate(self, context: Context, header_value: str) -> bool:
        """Sign ``context`` in with an ``Authorization`` value (HTTP header, WebSocket
        upgrade header or ``connection_init`` payload). On failure the context is
        anonymous and ``token_problem`` says why (``viewer`` and every guarded field
        then answer UNAUTHENTICATED with that message)."""
        token = bearer_token(header_value)
        session = await authenticate(self.settings, token, self.sessions) if token else None
        if session is None:
            context.session = None
            context.token_problem = (
                "The bearer token is unknown, expired or revoked; sign in again."
                if token
                else "The Authorization header must be 'Bearer <token>'."
            )
            return False
        context.session = session
        context.token_problem = None
        return True

    async def process_result(self, request: Any, result: Any) -> Any:
        data = await super().process_result(request, result)
        for error in data.get("errors") or []:
            # strawberry types the formatted errors as objects; each is a dict.
            extensions = cast(dict[str, Any], error).setdefault("extensions", {})
            extensions.setdefault("code", "GRAPHQL_VALIDATION_FAILED")
        return data

    async def render_graphql_ide(self, request: Request) -> Response:
        response = HTMLResponse(self.ide_html)
        response.headers.update(self.ide_headers)
        return response
