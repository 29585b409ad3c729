"""How failures reach a client. Three kinds, and only three:

1. **Expected outcomes of a mutation** (validation, business rules, conflicts):
   ``resolvers.errors.UserErrors``. The mutation catches them and returns
   ``userErrors: [UserError!]!`` in its payload, with a ``UserErrorCode``, the input
   ``field`` path and a message. The transaction is rolled back: nothing changed.

2. **Refusals of the operation**: ``resolvers.errors.ApiError`` and its subclasses
   (``Unauthenticated``, ``Forbidden``, ``BadUserInput``, ``RateLimited``). They become
   GraphQL errors with ``extensions.code`` (``UNAUTHENTICATED``, ``FORBIDDEN``, …).
   GraphQL's own parse and validation errors, and the protection limits (depth, tokens,
   aliases), are kept as they are, with ``extensions.code = "GRAPHQL_VALIDATION_FAILED"``.

3. **Everything else** is masked: ``ErrorMasking`` replaces it with "Unexpected error."
   and ``extensions = {code: INTERNAL_SERVER_ERROR, requestId}``; the log line with the
   same request id has the traceback. A database or broker that cannot be reached is
   masked the same way but with ``SERVICE_UNAVAILABLE`` (retrying helps). When that
   happens before execution (authenticating the token), the answer is HTTP 503.

A node the viewer may not see resolves to ``null``, exactly like a missing one.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from resolvers.errors import ApiError

logger = logging.getLogger("openforwork.errors")

INTERNAL = "INTERNAL_SERVER_ERROR"
VALIDATION = "GRAPHQL_VALIDATION_FAILED"


UNAVAILABLE = "SERVICE_UNAVAILABLE"
UNAVAILABLE_MESSAGE = "The service is temporarily unavailable; retry shortly."


def is_unavailable(error: BaseException | None) -> bool:
    """A database or broker that cannot be reached (not a bug: retrying helps)."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, (ConnectionError, OSError, TimeoutError)):
            return True
        if type(error).__name__ in {"ConnectionDoesNotExistError", "InterfaceError", "CannotConnectNowError"}:
            return True
        if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
            return True  # another process held SQLite's write lock past SQLITE_BUSY_TIMEOUT_MS
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def should_mask_error(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None:
        return False  # parse/validation errors and limit rejections: the client must see them
    if isinstance(original, ApiError):
        return False
    if isinstance(original, GraphQLError):
        return should_mask_error(original)
    return True


class ErrorMasking(MaskErrors):
    """Masks unexpected errors with a request id; gives every kept error a code."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=should_mask_error, error_message="Unexpected error.")

    def _process_result(self, result: object) -> None:
        # strawberry first checks ``result`` against a runtime-checkable Protocol, which
        # walks the protocol's members through ``typing`` on every call (~5% of a trivial
        # request's CPU); a result without errors has nothing to mask.
        if getattr(result, "errors", None):
            super()._process_result(result)

    def _request_id(self) -> str | None:
        context = self.execution_context.context
        return getattr(context, "request_id", None)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = self._request_id()
        original = error.original_error
        unavailable = is_unavailable(original)
        logger.error(
            "unexpected error request_id=%s path=%s",
            request_id,
            ".".join(str(p) for p in error.path or ()),
            exc_info=(type(original), original, original.__traceback__) if original else None,
        )
        return GraphQLError(
            message=UNAVAILABLE_MESSAGE if unavailable else self.error_message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions={"code": UNAVAILABLE if unavailable else INTERNAL, "requestId": request_id},
        )

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = super()._process_errors(errors)
        for error in processed:
            original = error.original_error
            while isinstance(original, GraphQLError) and original.original_error is not None:
                original = original.original_error
            if isinstance(original, ApiError):
                error.extensions = {**(error.extensions or {}), "code": original.code, **original.extensions}
            elif not (error.extensions or {}).get("code"):
                error.extensions = {**(error.extensions or {}), "code": VALIDATION}
        return processed


def mask_errors(execution_context: Any) -> None:
    """``ErrorMasking``'s work after an operation, for graph/prepared.py (which runs no
    extension objects): masks ``execution_context.result``'s errors in place."""
    result = execution_context.result
    if getattr(result, "errors", None):
        masking = ErrorMasking()
        masking.execution_context = execution_context
        masking._process_result(result)
