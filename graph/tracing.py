"""OpenTelemetry tracing, off unless ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set.

When off, nothing of OpenTelemetry is imported (the ``otel`` extra need not be
installed). When on (``pip install 'openforwork[otel]'``):

- **One span per GraphQL operation** (``OperationSpan``, the outermost schema extension),
  named ``"<type> <name>"`` (``mutation SignUp``; ``query`` alone for an anonymous one),
  with ``openforwork.request_id`` (the ``X-Request-Id`` of the log line),
  ``graphql.operation.name``/``type`` and the error codes; status ERROR when the result
  has errors. Its parent is the incoming W3C ``traceparent`` header (the WebSocket
  upgrade's for operations on a socket); without one it starts a trace.
- **A child span per SQL statement**: Tortoise's client ``execute_*`` methods (SQLite and
  PostgreSQL alike) are wrapped once per process; the statement text has placeholders,
  never values.
- **A child span per Redis command** through ``opentelemetry-instrumentation-redis``
  (the broker's publishes, the shared rate limiter).

Each app has its own ``TracerProvider`` (tests build several apps in one process); the
SQL and Redis wrappers find the current operation's tracer in a context variable, so a
statement outside any traced operation (start-up, the broker's listener) makes no span.
Spans leave through a batch processor (OTLP over HTTP, ``/v1/traces`` under the
endpoint; its queue holds at most 2,048 spans, the SDK default, and drops beyond).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from graphql import OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from graph.settings import Settings, SettingsError

_current_tracer: ContextVar[Any] = ContextVar("openforwork_tracer", default=None)
_in_sql: ContextVar[bool] = ContextVar("openforwork_in_sql", default=False)
SQL_METHODS = ("execute_query", "execute_query_dict", "execute_insert", "execute_many", "execute_script")
MAX_STATEMENT_CHARS = 2_000


class Tracing:
    """One app's tracer provider and propagator. ``exporter``: tests pass the SDK's
    ``InMemorySpanExporter`` (exported at once); otherwise OTLP over HTTP, batched."""

    def __init__(self, settings: Settings, exporter: Any = None) -> None:
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
        from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

        if exporter is None:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            processor: Any = BatchSpanProcessor(OTLPSpanExporter(endpoint=settings.otel_endpoint.rstrip("/") + "/v1/traces"))
        else:
            processor = SimpleSpanProcessor(exporter)
        self.provider = TracerProvider(resource=Resource.create({"service.name": settings.otel_service_name}))
        self.provider.add_span_processor(processor)
        self.tracer = self.provider.get_tracer("openforwork")
        self.propagator = TraceContextTextMapPropagator()
        instrument_sql()
        instrument_redis()

    def shutdown(self) -> None:
        self.provider.shutdown()


def tracing_from_settings(settings: Settings, exporter: Any = None) -> Tracing | None:
    if not settings.otel_endpoint:
        return None
    try:
        return Tracing(settings, exporter)
    except ImportError as exc:
        raise SettingsError(
            f"OTEL_EXPORTER_OTLP_ENDPOINT is set but OpenTelemetry is not installed ({exc.name}): "
            "pip install 'openforwork[otel]'"
        ) from None


def tracing_of(context: Any) -> Tracing | None:
    request = getattr(context, "request", None)
    app = request.scope.get("app") if request is not None else None
    return getattr(getattr(app, "state", None), "tracing", None)


class OperationSpan(SchemaExtension):
    """The span of one GraphQL operation (installed only when tracing is on)."""

    def on_operation(self) -> Iterator[None]:
        from opentelemetry import context as otel_context
        from opentelemetry import trace
        from opentelemetry.trace import SpanKind, Status, StatusCode

        context = self.execution_context.context
        tracing = tracing_of(context)
        if tracing is None:
            yield
            return
        parent = tracing.propagator.extract(dict(context.request.headers.items()))
        span = tracing.tracer.start_span(
            "graphql.operation",
            context=parent,
            kind=SpanKind.SERVER,
            attributes={"openforwork.request_id": getattr(context, "request_id", "")},
        )
        attached = otel_context.attach(trace.set_span_in_context(span, parent))
        current = _current_tracer.set(tracing.tracer)
        try:
            yield
        finally:
            _end_operation_span(span, self.execution_context, Status, StatusCode)
            _current_tracer.reset(current)
            otel_context.detach(attached)
            span.end()


def _end_operation_span(span: Any, execution_context: Any, status: Any, status_code: Any) -> None:
    kind = None
    document = execution_context.graphql_document
    for definition in getattr(document, "definitions", ()):
        if isinstance(definition, OperationDefinitionNode):
            kind = definition.operation.value
            break
    name = execution_context.operation_name
    span.update_name(" ".join(part for part in (kind or "graphql", name) if part))
    if kind:
        span.set_attribute("graphql.operation.type", kind)
    if name:
        span.set_attribute("graphql.operation.name", name)
    errors = getattr(execution_context.result, "errors", None) or []
    if errors:
        codes = sorted({(e.extensions or {}).get("code", "UNKNOWN") for e in errors})
        span.set_attribute("openforwork.error_codes", codes)
        span.set_status(status(status_code.ERROR, ", ".join(codes)))


# --- SQL: Tortoise's clients ----------------------------------------------------------

def instrument_sql() -> None:
    """Wrap the ``execute_*`` methods of Tortoise's SQLite and asyncpg clients (and their
    transaction wrappers) once per process; a no-op outside a traced operation."""
    from tortoise.backends.sqlite.client import SqliteClient, SqliteTransactionWrapper

    classes: list[tuple[type, str]] = [(SqliteClient, "sqlite"), (SqliteTransactionWrapper, "sqlite")]
    try:
        from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper

        classes += [(AsyncpgDBClient, "postgresql"), (TransactionWrapper, "postgresql")]
    except ImportError:  # pragma: no cover - asyncpg is a dependency
        pass
    for cls, system in classes:
        for name in SQL_METHODS:
            method = cls.__dict__.get(name)
            if method is not None and not getattr(method, "_openforwork_traced", False):
                setattr(cls, name, _traced(method, system))


def _traced(method: Callable[..., Any], system: str) -> Callable[..., Any]:
    from opentelemetry.trace import SpanKind

    @functools.wraps(method)
    async def traced(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        tracer = _current_tracer.get()
        if tracer is None or _in_sql.get():
            return await method(self, query, *args, **kwargs)
        operation = query.lstrip().split(None, 1)[0].upper() if query.strip() else "SQL"
        inside = _in_sql.set(True)
        try:
            with tracer.start_as_current_span(
                operation,
                kind=SpanKind.CLIENT,
                attributes={
                    "db.system.name": system,
                    "db.operation.name": operation,
                    "db.query.text": query[:MAX_STATEMENT_CHARS],
                },
            ):
                return await method(self, query, *args, **kwargs)
        finally:
            _in_sql.reset(inside)

    traced._openforwork_traced = True  # type: ignore[attr-defined]  # a marker on the wrapper, read back with getattr
    return traced


# --- Redis -----------------------------------------------------------------------------

def instrument_redis() -> None:
    """redis-py instrumented once per process, with a provider that hands out the
    current operation's tracer (or a no-op one outside operations)."""
    from opentelemetry.instrumentation.redis import RedisInstrumentor

    instrumentor = RedisInstrumentor()
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument(tracer_provider=_ContextTracerProvider())


def _context_tracer_classes() -> tuple[type, type]:
    from opentelemetry import trace

    class ContextTracer(trace.Tracer):
        @staticmethod
        def _tracer() -> Any:
            return _current_tracer.get() or trace.NoOpTracer()

        def start_span(self, *args: Any, **kwargs: Any) -> Any:
            return self._tracer().start_span(*args, **kwargs)

        def start_as_current_span(self, *args: Any, **kwargs: Any) -> Any:
            return self._tracer().start_as_current_span(*args, **kwargs)

    class ContextTracerProvider(trace.TracerProvider):
        def get_tracer(self, *args: Any, **kwargs: Any) -> Any:
            return ContextTracer()

    return ContextTracer, ContextTracerProvider


def _ContextTracerProvider() -> Any:  # noqa: N802 - builds the class lazily (OpenTelemetry is optional)
    return _context_tracer_classes()[1]()
