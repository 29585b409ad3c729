"""The composition root: ``create_app(settings)`` builds the whole service.

Routes: ``POST /graphql`` (queries, mutations), ``GET /graphql`` (GraphiQL for a
browser), WebSocket ``/graphql`` (graphql-transport-ws and legacy graphql-ws),
``GET /healthz`` (alive), ``GET /readyz`` (database and broker answer; also the mail
backlog and the scheduler's lag), ``GET /unsubscribe`` (the link in notification mails,
``graph/unsubscribe.py``) and, with
``METRICS_TOKEN`` set, ``GET /metrics`` (Prometheus, bearer token; ``graph/metrics.py``).
The lifespan opens Tortoise and the broker, starts the mail sender and the scheduler
(``graph/background.py``) and closes all of them.

The parts: the GraphQL view (``graph/http.py``, with its WebSocket half in
``graph/websocket.py``), the middlewares (``graph/middleware.py``), the broker
(``subscriptions/broker.py``), metrics and tracing.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections.abc import AsyncIterator
from typing import Any, cast

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send
from tortoise import connections
from tortoise.contrib.starlette import RegisterTortoise

from graph.background import background_jobs
from graph.database import configure_sql_log, tortoise_config
from graph.debug import debug_routes
from graph.graphiql import ASSET_PREFIX, asset_endpoint
from graph.http import GraphQLApp, bearer_token
from graph.memory import tune_garbage_collector
from graph.metrics import CONTENT_TYPE_LATEST, Metrics
from graph.middleware import BodySizeLimit
from graph.settings import Settings
from graph.tracing import tracing_from_settings
from graph.unsubscribe import unsubscribe_route
from resolvers.accounts.sessions import SessionCache
from resolvers.mail.queries import mail_backlog
from resolvers.scheduler import scheduler_lag
from subscriptions.accounts import session_evictions
from subscriptions.broker import Broker, BrokerObserver


def _health_routes(settings: Settings, broker: Broker, metrics: Metrics, sessions: SessionCache) -> list[BaseRoute]:
    """``/healthz``, ``/readyz`` and, with ``METRICS_TOKEN`` set, ``/metrics``."""

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        checks: dict[str, Any] = {}
        try:
            await connections.get("default").execute_query("SELECT 1")
            checks["database"] = "ok"
        except Exception as exc:  # any failure means "not ready"
            checks["database"] = f"unavailable: {type(exc).__name__}"
            # A worker that cannot reach its database stops vouching for tokens from memory:
            # signed-in requests answer SERVICE_UNAVAILABLE, as without the cache, until a
            # read succeeds again (the cache refills only from successful reads).
            sessions.clear()
        checks["broker"] = "ok" if await broker.ping() else "unavailable"
        ready = all(value == "ok" for value in checks.values())
        if checks["database"] == "ok":
            # Information, not readiness: a backlog is the sender's problem, not this worker's.
            checks["mailBacklog"] = await mail_backlog()
            checks["schedulerLagSeconds"] = await scheduler_lag()
        return JSONResponse({"status": "ready" if ready else "unavailable", **checks}, status_code=200 if ready else 503)

    async def metrics_endpoint(request: Request) -> Response:
        """Prometheus text format, for ``Authorization: Bearer <METRICS_TOKEN>`` only."""
        token = bearer_token(request.headers.get("authorization")) or ""
        if not hmac.compare_digest(token.encode(), settings.metrics_token.encode()):
            return JSONResponse(
                {"error": "Send Authorization: Bearer <METRICS_TOKEN>."},
                status_code=401,
                headers={"www-authenticate": 'Bearer realm="metrics"'},
            )
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    return [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        *([Route("/metrics", metrics_endpoint)] if settings.metrics_token else []),
    ]


class App(Starlette):
    """Starlette, with the GraphQL WebSocket handed straight to its app.

    A WebSocket is served for as long as the client stays, and every layer between the
    server and the GraphQL app keeps a suspended coroutine (and some a closure and a
    copy of the scope) for all that time: Starlette's error and exception middlewares,
    ``BodySizeLimit``, the router and the route, ~3 KiB per socket that none of them uses
    (the error middleware, ``BodySizeLimit`` and CORS act on HTTP only; the GraphQL app
    closes its own sockets). ``bench/soak.py`` found the memory of 200 subscribers kept
    after they left (issue 21): what each socket holds is what stays. Every other request,
    and a WebSocket on any other path, goes through the whole stack as before."""

    def __init__(self, *args: Any, websocket_path: str, websocket_app: ASGIApp, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.websocket_path = websocket_path
        self.websocket_app = websocket_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and _route_path(scope) == self.websocket_path:
            scope["app"] = self  # as Starlette sets it: graph.observability finds the metrics there
            await self.websocket_app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def _route_path(scope: Scope) -> str:
    """The path the router matches: ``path`` without the ``root_path`` prefix (what
    Starlette's routing does)."""
    path: str = scope["path"]
    root_path: str = scope.get("root_path", "")
    if root_path and path.startswith(root_path) and path[len(root_path) : len(root_path) + 1] == "/":
        return path[len(root_path) :]
    return path


def _middleware(settings: Settings) -> list[Middleware]:
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
    return middleware


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
        # Metrics has BrokerObserver's methods; BrokerObserver is a base class, not a Protocol.
        observer=cast(BrokerObserver, metrics),
    )
    graphql_app = GraphQLApp(settings, broker, metrics)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with RegisterTortoise(app, config=tortoise_config(settings)):
            await broker.connect()
            # Before the first request: a revocation announced from now on reaches the cache.
            evictions = contextlib.AsyncExitStack()
            await evictions.enter_async_context(session_evictions(broker, graphql_app.sessions))
            metrics.start()
            stop_background = asyncio.Event()
            background = [asyncio.create_task(job.run(stop_background)) for job in background_jobs(settings, broker)]
            try:
                yield
            finally:
                await evictions.aclose()
                stop_background.set()
                await asyncio.gather(*background, return_exceptions=True)
                await metrics.stop()
                if tracing is not None:
                    tracing.shutdown()
                await graphql_app.costly_limiter.aclose()
                await broker.disconnect()

    app = App(
        websocket_path="/graphql", websocket_app=graphql_app,
        routes=[
            Route("/graphql", graphql_app, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql_app),
            *_health_routes(settings, broker, metrics, graphql_app.sessions),
            unsubscribe_route(settings),
            *(
                [Route(ASSET_PREFIX + "{name:path}", asset_endpoint(), methods=["GET", "HEAD"])]
                if settings.graphiql and settings.graphiql_assets == "local"
                else []
            ),
            *debug_routes(settings.debug_endpoints, graphql_app),
        ],
        middleware=_middleware(settings),
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
