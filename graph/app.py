"""The composition root: ``create_app(settings)`` builds the whole service.

Routes: ``POST /graphql`` (queries, mutations), ``GET /graphql`` (GraphiQL for a
browser), WebSocket ``/graphql`` (graphql-transport-ws and legacy graphql-ws),
``GET /healthz`` (alive), ``GET /readyz`` (database and broker answer) and, with
``METRICS_TOKEN`` set, ``GET /metrics`` (Prometheus, bearer token; ``graph/metrics.py``).
The lifespan opens Tortoise and the broker and closes both.
"""

from __future__ import annotations

import contextlib
import hmac
import itertools
import json
import logging
import os
import re
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import orjson
from cross_web import HTTPException
from graphql import (
    GraphQLError,
)
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL
from strawberry.types import ExecutionResult
from tortoise import connections
from tortoise.contrib.starlette import RegisterTortoise

from graph.context import Context
from graph.database import configure_sql_log, tortoise_config
from graph.debug import debug_routes
from graph.graphiql import ASSET_PREFIX, asset_endpoint, content_security_policy, example_document, local_page, with_examples
from graph.memory import IdleTrim, tune_garbage_collector
from graph.metrics import CONTENT_TYPE_LATEST, Metrics
from graph.middleware import BodyRefused, BodySizeLimit
from graph.observability import log_refusal
from graph.schema import create_schema
from graph.settings import Settings
from graph.tracing import tracing_from_settings
from graph.websocket import LegacyWSHandler, LimitedWebSocketAdapter, SocketsPerUser, TransportWSHandler
from resolvers.accounts import authenticate
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


def _bearer(value: str | None) -> str | None:
    if not value:
        return None
    scheme, _, token = value.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


class BadRequestBody(Exception):
    """A body no GraphQL request can be made of: answered 400 with a GraphQL error."""


class GraphQLApp(GraphQL):
    """strawberry's ASGI view with our context, authentication, persisted queries and
    GraphiQL switch."""

    websocket_adapter_class = LimitedWebSocketAdapter  # type: ignore[assignment]
    graphql_transport_ws_handler_class = TransportWSHandler
    graphql_ws_handler_class = LegacyWSHandler

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
        self.metrics = metrics
        self.idle = IdleTrim()
        self.persisted = PersistedQueries(settings.persisted_queries, max_tokens=settings.max_tokens)
        self.costly_limiter = window_counter(
            settings.broadcast_url,
            settings.costly_mutations_per_minute_per_address,
            prefix=settings.broadcast_channel_prefix,
        )
        self.sockets = SocketsPerUser(settings.max_websockets_per_user)
        self.ide_html = ""
        self.ide_headers = dict(SECURITY_HEADERS)
        if settings.graphiql:
            local = settings.graphiql_assets == "local"
            self.ide_html = with_examples(local_page() if local else self.graphql_ide_html, example_document())
            if local:
                self.ide_headers["content-security-policy"] = content_security_policy(self.ide_html)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] != "websocket":
                await super().__call__(scope, receive, send)
                return
            self.idle.opened()
            if self.metrics is not None:
                self.metrics.websockets.inc()
            try:
                await super().__call__(scope, receive, send)
            finally:
                self.idle.closed()
                if self.metrics is not None:
                    self.metrics.websockets.dec()
            return
        try:
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
            # typically the database is unreachable. Answer like GraphQL would, 503.
            request_id = uuid.uuid4().hex
            logger.exception("request failed before execution request_id=%s", request_id)
            response = JSONResponse(
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
            await response(scope, receive, send)

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

    async def execute_single(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        request_data = kwargs["request_data"]
        try:
            request_data.query = await self.persisted.resolve(request_data.query, request_data.extensions)
            await self._limit_costly_mutations(request_data.query, request_data.operation_name, kwargs["context"])
        except ApiError as exc:
            return ExecutionResult(
                data=None,
                errors=[GraphQLError(exc.message, extensions={"code": exc.code, **exc.extensions})],
            )
        return await super().execute_single(*args, **kwargs)

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

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:  # type: ignore[override]
        request_id = request.headers.get("x-request-id", "")[:64] or new_request_id()
        context = Context(
            request=request,
            response=response,
            settings=self.settings,
            broker=self.broker,
            request_id=request_id,
        )
        raw_header = request.headers.get("authorization")
        if raw_header:
            await self._authenticate(context, raw_header)
        return context

    async def _authenticate(self, context: Context, header_value: str) -> bool:
        token = _bearer(header_value)
        session = await authenticate(self.settings, token) if token else None
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

    async def on_ws_connect(self, context: Context) -> dict[str, object] | None:  # type: ignore[override]
        params = context.connection_params or {}
        value = params.get("authorization") or params.get("Authorization")
        if value is not None:
            if not isinstance(value, str) or not await self._authenticate(context, value):
                raise ConnectionRejectionError({"message": "Invalid or expired token."})
        elif context.token_problem:
            raise ConnectionRejectionError({"message": context.token_problem})
        if context.session is not None:
            self.sockets.open(context, context.session.user.pk)  # TooManySockets: see graph.websocket
        return None

    async def process_result(self, request: Any, result: Any) -> Any:
        data = await super().process_result(request, result)
        for error in data.get("errors") or ():
            extensions = error.setdefault("extensions", {})
            extensions.setdefault("code", "GRAPHQL_VALIDATION_FAILED")
        return data

    async def render_graphql_ide(self, request: Request) -> Response:
        response = HTMLResponse(self.ide_html)
        response.headers.update(self.ide_headers)
        return response




def create_app(settings: Settings, *, span_exporter: Any = None) -> Starlette:
    """``span_exporter``: where spans go when tracing is on (tests: the SDK's in-memory
    exporter); by default OTLP to ``OTEL_EXPORTER_OTLP_ENDPOINT`` (graph/tracing.py)."""
    configure_sql_log(settings)
    metrics = Metrics()
    tracing = tracing_from_settings(settings, span_exporter)
    broker = Broker(
        settings.broadcast_url,
        queue_size=settings.subscriber_queue_size,
        channel_prefix=settings.broadcast_channel_prefix,
        observer=metrics,
    )
    graphql_app = GraphQLApp(settings, broker, metrics)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        checks: dict[str, str] = {}
        try:
            await connections.get("default").execute_query("SELECT 1")
            checks["database"] = "ok"
        except Exception as exc:  # any failure means "not ready"
            checks["database"] = f"unavailable: {type(exc).__name__}"
        checks["broker"] = "ok" if await broker.ping() else "unavailable"
        ready = all(value == "ok" for value in checks.values())
        return JSONResponse({"status": "ready" if ready else "unavailable", **checks}, status_code=200 if ready else 503)

    async def metrics_endpoint(request: Request) -> Response:
        """Prometheus text format, for ``Authorization: Bearer <METRICS_TOKEN>`` only."""
        token = _bearer(request.headers.get("authorization")) or ""
        if not hmac.compare_digest(token.encode(), settings.metrics_token.encode()):
            return JSONResponse(
                {"error": "Send Authorization: Bearer <METRICS_TOKEN>."},
                status_code=401,
                headers={"www-authenticate": 'Bearer realm="metrics"'},
            )
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with RegisterTortoise(app, config=tortoise_config(settings)):
            await broker.connect()
            metrics.start()
            try:
                yield
            finally:
                await metrics.stop()
                if tracing is not None:
                    tracing.shutdown()
                await graphql_app.costly_limiter.aclose()
                await broker.disconnect()

    middleware = [Middleware(BodySizeLimit, limit=settings.max_body_bytes, timeout=settings.body_read_timeout_seconds)]
    if settings.allowed_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.allowed_origins),
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["authorization", "content-type", "x-request-id"],
            )
        )
    app = Starlette(
        routes=[
            Route("/graphql", graphql_app, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql_app),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            *(
                [Route(ASSET_PREFIX + "{name:path}", asset_endpoint(), methods=["GET", "HEAD"])]
                if settings.graphiql and settings.graphiql_assets == "local"
                else []
            ),
            *debug_routes(settings.debug_endpoints, graphql_app),
            *([Route("/metrics", metrics_endpoint)] if settings.metrics_token else []),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.broker = broker
    app.state.metrics = metrics
    app.state.tracing = tracing
    app.state.graphql_app = graphql_app
    return app


def app_from_env() -> Starlette:
    """uvicorn factory (``openforwork serve``): settings from the environment."""
    settings = Settings.from_env()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = create_app(settings)
    tune_garbage_collector()
    return app


# CPython's own thresholds: a full collection after about every 700 × 10 × 10 = 70,000 net
# container allocations (once the objects promoted since the last one exceed a quarter of
# the old generation).
