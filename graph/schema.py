"""Schema assembly: merges each feature's root types and installs the extensions.

Adding a feature = importing its ``*Query``/``*Mutation``/``*Subscription`` classes
below. ``create_schema(settings)`` is called by ``create_app``; ``export_schema()``
prints the SDL committed as ``schema.graphql``.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)
from strawberry.extensions import max_aliases, query_depth_limiter
from strawberry.execution import optimized_is_awaitable
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.tools import merge_types
from tortoise.models import Model

from graph.errors import ErrorMasking
from graph.observability import OperationLog
from graph.settings import Settings
from graph.types.accounts import AccountsMutation, AccountsQuery
from graph.types.chat import ChatMutation, ChatQuery, ChatSubscription
from graph.types.node import NodeQuery
from graph.types.profiles import ProfilesMutation, ProfilesQuery

QUERIES: tuple[type, ...] = (
    NodeQuery,
    AccountsQuery,
    ProfilesQuery,
    ChatQuery,
)
MUTATIONS: tuple[type, ...] = (
    AccountsMutation,
    ProfilesMutation,
    ChatMutation,
)
SUBSCRIPTIONS: tuple[type, ...] = (
    ChatSubscription,
)

CACHE_SIZE = 1_000

ROOT_DESCRIPTIONS = {
    "Query": "Read operations. Start with `viewer`; fetch anything again with `node(id:)`.",
    "Mutation": "Write operations. Each takes one `input` and returns a payload with `userErrors`.",
    "Subscription": "Live events over WebSocket (graphql-transport-ws or legacy graphql-ws).",
}


class Schema(strawberry.Schema):
    """Logs only what ``ErrorMasking`` masks (with the traceback); refusals and
    validation errors are answers to the client, not server faults."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        return None


def _is_awaitable(value: Any) -> bool:
    """Tortoise models define ``__await__`` (``await instance`` returns it), so
    graphql-core would treat every model a resolver returns, and every model in a list,
    as pending work: a coroutine per object and a task per list item. They are plain
    values here."""
    return not isinstance(value, Model) and optimized_is_awaitable(value)


class ExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_awaitable = _is_awaitable  # type: ignore[assignment]


def _roots() -> tuple[type, type, type | None]:
    roots = []
    for name, parts in (("Query", QUERIES), ("Mutation", MUTATIONS), ("Subscription", SUBSCRIPTIONS)):
        if not parts:
            roots.append(None)
            continue
        merged = merge_types(name, parts)
        merged.__strawberry_definition__.description = ROOT_DESCRIPTIONS[name]  # type: ignore[attr-defined]
        roots.append(merged)
    return roots[0], roots[1], roots[2]


def create_schema(settings: Settings) -> strawberry.Schema:
    Query, Mutation, Subscription = _roots()
    limit_rules = [
        query_depth_limiter.create_validator(settings.max_depth, None, None),
        max_aliases.create_validator(settings.max_aliases),
    ]
    extensions: list = [
        OperationLog,
        ErrorMasking,
        partial(ParserCache, maxsize=CACHE_SIZE),
        partial(ValidationCache, maxsize=CACHE_SIZE),
        partial(MaxTokensLimiter, max_token_count=settings.max_tokens),
        # The depth and alias rules are built once per schema: QueryDepthLimiter and
        # MaxAliasesLimiter make new rule classes per request, and ValidationCache keys on
        # the rule classes, so it never hit (every request re-validated: ~10 ms).
        partial(AddValidationRules, limit_rules),
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    schema = Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        execution_context_class=ExecutionContext,
        config=StrawberryConfig(auto_camel_case=True),
    )
    return schema


def export_schema() -> str:
    """The SDL of the schema with default settings, as committed in ``schema.graphql``."""
    Query, Mutation, Subscription = _roots()
    return Schema(query=Query, mutation=Mutation, subscription=Subscription).as_str() + "\n"
