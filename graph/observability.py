"""One structured log line per GraphQL operation, and one per request refused before
execution (``log_refusal``: a rate limit, so floods and their targets show in the log).

Fields: request id, operation name and type, duration, viewer id, error codes (and for a
refusal, which limit refused it). Never tokens, passwords, message bodies, variables or
emails.
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


class OperationLog(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        if not logger.isEnabledFor(logging.INFO):
            return
        context = self.execution_context.context
        result = self.execution_context.result
        errors = getattr(result, "errors", None) or []
        operation_type = None
        document = self.execution_context.graphql_document
        if document is not None:
            for definition in document.definitions:
                if isinstance(definition, OperationDefinitionNode):
                    operation_type = definition.operation.value
                    break
        session = getattr(context, "session", None)
        record = {
            "event": "graphql.operation",
            "requestId": getattr(context, "request_id", None),
            "operation": self.execution_context.operation_name,
            "type": operation_type,
            "durationMs": round((time.perf_counter() - started) * 1000, 2),
            "viewerId": session.user.pk if session else None,
            "errorCodes": sorted({(e.extensions or {}).get("code", "UNKNOWN") for e in errors}),
        }
        logger.info(json.dumps(record, separators=(",", ":")))


def log_refusal(context: Any, operation_name: str | None, code: str, **fields: str) -> None:
    """Log a request refused before execution in the same shape as an operation."""
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
