"""One input rule for all text, applied before any resolver runs.

Every string a query or mutation receives — in its variables (at any depth of an input
object or list) or as a literal in the document — is checked with
``resolvers.validation.bad_character``: NUL, control characters other than tab and line
feed (a carriage return only before a line feed) and lone surrogates are refused with one
``BAD_USER_INPUT`` error naming where the character was, and nothing runs. PostgreSQL
cannot store NUL (it was an internal error, reachable without signing in through
``signUp`` and ``logIn``); no field needs the others. Because the rule is applied here,
to the whole operation, a new field or argument cannot forget it.

Subscriptions take only IDs (``conversationId``, ``after``, ``savedSearchId``), which
fail as unknown IDs; they are not checked here (strawberry's subscription path has no
hook to refuse before subscribing).

The work is linear in the document and the variables.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import ExecutionResult, GraphQLError, StringValueNode, visit
from graphql.language import Visitor
from strawberry.extensions import SchemaExtension

from resolvers.validation import bad_character


def _in_variables(value: Any, path: list[str | int]) -> tuple[list[str | int], str] | None:
    if isinstance(value, str):
        found = bad_character(value)
        return (path, found) if found else None
    if isinstance(value, dict):  # keys are input field names: GraphQL refuses unknown ones
        for key, item in value.items():
            hit = _in_variables(item, [*path, key])
            if hit:
                return hit
    elif isinstance(value, list):
        for index, item in enumerate(value):
            hit = _in_variables(item, [*path, index])
            if hit:
                return hit
    return None


class _Literals(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: str | None = None

    def enter_string_value(self, node: StringValueNode, *_: Any) -> Any:
        if self.found is None:
            self.found = bad_character(node.value)
        return None


class RefuseHostileText(SchemaExtension):
    """Refuses an operation whose string inputs hold characters no text may hold."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        problem = self._problem(context.variables or {}, context.graphql_document)
        if problem is not None:
            where, found = problem
            context.result = ExecutionResult(
                data=None,
                errors=[
                    GraphQLError(
                        f"Text inputs must not contain {found} (in {where}).",
                        extensions={"code": "BAD_USER_INPUT"},
                    )
                ],
            )
        yield

    @staticmethod
    def _problem(variables: dict[str, Any], document: Any) -> tuple[str, str] | None:
        hit = _in_variables(variables, [])
        if hit is not None:
            path, found = hit
            return "$" + ".".join(str(part) for part in path), found
        if document is not None:
            literals = _Literals()
            visit(document, literals)
            if literals.found is not None:
                return "a string literal of the document", literals.found
        return None
