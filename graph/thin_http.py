"""The thin HTTP path (issue 17): a plain ``POST /graphql`` of a prepared document is
answered without strawberry's view machinery.

strawberry's view, per request, parses the content type through the stdlib ``email``
parser, checks its adapters against ``typing`` protocols, builds request-data objects
and runs the body through ``json``. None of that depends on the request when the
request is the common one: ``POST``, ``Content-Type: application/json`` (optionally
``; charset=utf-8``), no streaming ``Accept``, a JSON object of ``query`` (a string),
``variables`` (an object or null) and ``operationName`` (a string or null), no
``extensions``, for a document ``graph.prepared`` already accepted and whose variables
pass the text rule. ``ThinPath.answer`` handles exactly that request:

- the body is read through the same ``receive`` (``BodySizeLimit`` still counts and
  times it) and parsed with orjson;
- the context is built by the view's own ``get_context`` (request id, bearer token,
  session cache, UNAUTHENTICATED on a revoked token) with strawberry's sub-response;
- a mutation passes the view's costly-mutation limit, as on the full path;
- ``graph.prepared.execute_prepared`` runs it (masking, the operation log line, the
  metrics), the view's ``process_result`` shapes it and ``_response`` answers it as
  strawberry's ``create_response`` does, so headers and body are the full path's.

Anything else (another content type or method, a body orjson refuses, a document not
yet prepared, variables the text rule refuses, persisted-query extensions or the
allowlist mode) returns the messages read so far, and the caller replays them to the
full path, which answers it as before. CORS runs outside, in the middleware.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send
from strawberry.types.graphql import OperationType

from graph.prepared import PreparedDocument, execute_prepared, runnable

if TYPE_CHECKING:
    from graph.context import Context

_POST_OPERATIONS = frozenset({OperationType.QUERY, OperationType.MUTATION})
_JSON_TYPES = frozenset({b"application/json", b"application/json; charset=utf-8", b"application/json;charset=utf-8"})
_FIELDS = frozenset({"query", "variables", "operationName"})
# Scope key: the (sub-response, context) the thin path made, for the full path to reuse.
PREMADE = "openforwork.premade_context"


def plain_json_post(scope: Scope) -> bool:
    """A POST with a plain JSON content type and no streaming ``Accept``."""
    if scope.get("method") != "POST":
        return False
    content_type = None
    for name, value in scope["headers"]:
        if name == b"content-type":
            if content_type is not None:
                return False
            content_type = value.lower()
        elif name == b"accept":
            accept = value.lower()
            if b"multipart" in accept or b"event-stream" in accept:
                return False
    return content_type in _JSON_TYPES


def replaying(messages: list[Message], receive: Receive) -> Receive:
    """``receive`` that first returns ``messages`` (already read), then reads on."""
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


class ThinPath:
    """See the module docstring. ``taken`` counts the requests it answered; with
    ``enabled`` off every request takes the full path (tests compare the two)."""

    def __init__(self, view: Any) -> None:
        """``view``: the ``graph.http.GraphQLApp`` it serves (typed loosely: that module
        imports this one)."""
        self.view = view
        self.taken = 0
        self.enabled = True

    async def answer(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        """None when answered; otherwise the ``receive`` the full path reads the body
        from (it replays what was read). As on the full path, the context (the bearer
        token) is made before the body is read; the full path reuses it (``PREMADE``)."""
        view = self.view
        request = Request(scope, receive)
        sub_response = await view.get_sub_response(request)
        context = await view.get_context(request, response=sub_response)
        messages: list[Message] = []
        chunks: list[bytes] = []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                request._body = b"".join(chunks)  # read already; a resolver asking gets it
                break
        found = self._prepared(request._body) if hasattr(request, "_body") else None
        if found is None:
            scope[PREMADE] = (sub_response, context)
            return replaying(messages, receive)
        await self._run(scope, replaying(messages, receive), send, request, sub_response, context, *found)
        self.taken += 1
        return None

    def _prepared(self, body: bytes) -> tuple[PreparedDocument, str, dict[str, Any] | None, str | None] | None:
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
        if type(data) is not dict or not data.keys() <= _FIELDS:
            return None
        query, variables, operation_name = data.get("query"), data.get("variables"), data.get("operationName")
        if type(query) is not str or not (variables is None or type(variables) is dict):
            return None
        if not (operation_name is None or type(operation_name) is str):
            return None
        schema_prepared = getattr(self.view.schema, "prepared", None)
        if schema_prepared is None or self.view.persisted.mode == "allowlist":
            return None
        prepared = schema_prepared.get(query, operation_name)
        if prepared is None or prepared.operation_type not in _POST_OPERATIONS or not runnable(prepared, variables):
            return None
        return prepared, query, variables, operation_name

    async def _run(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        request: Request,
        sub_response: Response,
        context: Context,
        prepared: PreparedDocument,
        query: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
    ) -> None:
        view = self.view
        refused = None
        if prepared.operation_type is OperationType.MUTATION:
            refused = await view.refuse_costly(query, operation_name, context)
        if refused is None:
            result = await execute_prepared(
                view.schema, prepared, query, variables, context, None, operation_name, _POST_OPERATIONS, None,
            )
        else:
            result = refused
        response_data = await view.process_result(request, result)
        await self._response(response_data, sub_response)(scope, receive, send)

    def _response(self, response_data: Any, sub_response: Response) -> Response:
        """strawberry's ``create_response`` (the view's JSON, status 200 unless a resolver
        set one, the sub-response's headers and background task), from orjson's bytes: the
        view's ``encode_json`` answers a str that ``Response`` encodes again, and copying
        the headers through ``MutableHeaders`` builds two of them per request."""
        try:
            body = orjson.dumps(response_data)
        except TypeError:  # what orjson refuses: the view's encoder falls back to json
            body = self.view.encode_json(response_data).encode()
        response = Response(body, status_code=sub_response.status_code or 200, media_type="application/json")
        response.raw_headers.extend(sub_response.raw_headers)
        if sub_response.background:
            response.background = sub_response.background
        return response
