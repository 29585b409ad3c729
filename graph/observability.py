"""One structured log line per GraphQL operation, and one per request refused before
execution (``log_refusal``: a rate limit, so floods and their targets show in the log).

Fields: request id, operation name and type, duration, viewer id, error codes (and for a
refusal, which limit refused it). Never tokens, passwords, message bodies, variables or
emails. The same two places feed the Prometheus metrics (``graph/metrics.py``).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from typing import Any

from graphql import OperationDefinitionNode
from strawberry.extensions import SchemaExtension

logger = logging.getLogger("openforwork.operations")


def metrics_of(context: Any) -> Any:
    """The app's ``graph.metrics.Metrics`` (``app.state.metrics``), or None outside an app."""
    request = getattr(context, "request", None)
    app = request.scope.get("app") if request is not None else None
    return getattr(getattr(app, "state", None), "metrics", None)


class OperationLog(SchemaExtension):
    """Logs each operation and counts it in the metrics (requests, latency, error codes)."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        log_operation(self.execution_context, time.perf_counter() - started)


def log_operation(execution_context: Any, duration: float) -> None:
    """``OperationLog``'s work after an operation (also called by graph/prepared.py,
    which runs no extension objects): the metrics and, at INFO, the log line."""
    context = execution_context.context
    metrics = metrics_of(context)
    logging_on = logger.isEnabledFor(logging.INFO)
    if metrics is None and not logging_on:
        return
    result = execution_context.result
    errors = getattr(result, "errors", None) or []
    operation_type = None
    document = execution_context.graphql_document
    if document is not None:
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                operation_type = definition.operation.value
                break
    codes = sorted({(e.extensions or {}).get("code", "UNKNOWN") for e in errors}) if errors else []
    operation_name = execution_context.operation_name
    if metrics is not None:
        metrics.record_operation(operation_name, operation_type, duration, codes)
    if not logging_on:
        return
    session = getattr(context, "session", None)
    record = {
        "event": "graphql.operation",
        "requestId": getattr(context, "request_id", None),
        "operation": operation_name,
        "type": operation_type,
        "durationMs": round(duration * 1000, 2),
        "viewerId": session.user.pk if session else None,
        "errorCodes": codes,
    }
    logger.info(json.dumps(record, separators=(",", ":")))


def log_refusal(context: Any, operation_name: str | None, code: str, **fields: str) -> None:
    """Log a request refused before execution in the same shape as an operation, and
    count it (``openforwork_graphql_errors``; with a ``limit``: ``openforwork_rate_limit_refusals``)."""
    metrics = metrics_of(context)
    if metrics is not None:
        metrics.record_refusal(operation_name, "mutation", code, fields.get("limit"))
    session = getattr(context, "session", None)
    record = {
        "event": "graphql.operation",
        "requestId": getattr(context, "request_id", None),
        "operation": operation_name,
        "type": "mutation",
        "durationMs": 0.0,
        "viewerId": session.user.pk if session else None,
        "errorCodes": [code],
        "refused": True,
        **fields,
    }
    logger.warning(json.dumps(record, separators=(",", ":")))
