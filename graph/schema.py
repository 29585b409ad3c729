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
from strawberry.extensions.max_aliases import create_validator as max_aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as max_depth_rule
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from graph.errors import ErrorMasking
from graph.settings import Settings
from graph.types.accounts import AccountsMutation, AccountsQuery
from graph.types.node import NodeQuery

QUERIES: tuple[type, ...] = (NodeQuery, AccountsQuery)
MUTATIONS: tuple[type, ...] = (AccountsMutation,)
SUBSCRIPTIONS: tuple[type, ...] = ()

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
    # The depth and alias limits are validation rules built once, here. Their extension
    # classes (QueryDepthLimiter, MaxAliasesLimiter) build a new rule class per instance,
    # that is per request, and ValidationCache is keyed by the rule classes: it would
    # never hit, and every request would pay full validation.
    limits = [max_depth_rule(settings.max_depth, None), max_aliases_rule(settings.max_aliases)]
    extensions: list = [
        ErrorMasking,
        partial(ParserCache, maxsize=CACHE_SIZE),
        partial(ValidationCache, maxsize=CACHE_SIZE),
        partial(MaxTokensLimiter, max_token_count=settings.max_tokens),
        partial(AddValidationRules, limits),
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    schema = Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
    )
    return schema


def export_schema() -> str:
    """The SDL of the schema with default settings, as committed in ``schema.graphql``."""
    Query, Mutation, Subscription = _roots()
    return Schema(query=Query, mutation=Mutation, subscription=Subscription).as_str() + "\n"
