"""Schema assembly: merges each feature's root types and installs the extensions.

Adding a feature = importing its ``*Query``/``*Mutation``/``*Subscription`` classes
below. ``create_schema(settings)`` is called by ``create_app``; ``export_schema()``
prints the SDL committed as ``schema.graphql``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Iterator
from datetime import date, datetime
from enum import Enum
from functools import partial
from inspect import iscoroutine
from operator import attrgetter
from types import GeneratorType
from typing import Any, TypeGuard

import strawberry
from graphql import GraphQLError, GraphQLObjectType, Undefined, get_named_type, is_leaf_type, is_non_null_type
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.execution import optimized_is_awaitable
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.tools import merge_types
from tortoise.models import Model

from graph.errors import ErrorMasking
from graph.extension_runner import ExtensionsRunner
from graph.input_plans import install_input_plans
from graph.multiplex import EventExecution
from graph.observability import OperationLog
from graph.plain import FAIL, complete_plain
from graph.prepared import Prepared, execute_prepared, runnable
from graph.query_limits import DocumentLimits, NoEmptySelectionSets, create_limits_rule
from graph.settings import Settings
from graph.text_input import RefuseHostileText
from graph.tracing import OperationSpan
from graph.types.accounts import AccountsMutation, AccountsQuery, CompanyMutation
from graph.types.chat import ChatMutation, ChatQuery, ChatSubscription
from graph.types.hiring import HiringMutation, HiringQuery, HiringSubscription
from graph.types.interviews import InterviewsMutation, InterviewsQuery, InterviewsSubscription
from graph.types.node import NodeQuery
from graph.types.notifications import NotificationsMutation, NotificationsQuery, NotificationsSubscription
from graph.types.offers import OffersMutation, OffersQuery, OffersSubscription
from graph.types.profiles import ProfilesMutation, ProfilesQuery
from graph.types.safety import SafetyMutation, SafetyQuery
from graph.types.search import SearchMutation, SearchQuery, SearchSubscription

QUERIES: tuple[type, ...] = (
    NodeQuery,
    AccountsQuery,
    ProfilesQuery,
    SearchQuery,
    ChatQuery,
    OffersQuery,
    InterviewsQuery,
    SafetyQuery,
    HiringQuery,
    NotificationsQuery,
)
MUTATIONS: tuple[type, ...] = (
    AccountsMutation,
    CompanyMutation,
    ProfilesMutation,
    SearchMutation,
    ChatMutation,
    OffersMutation,
    InterviewsMutation,
    SafetyMutation,
    HiringMutation,
    NotificationsMutation,
)
SUBSCRIPTIONS: tuple[type, ...] = (
    ChatSubscription,
    SearchSubscription,
    OffersSubscription,
    InterviewsSubscription,
    HiringSubscription,
    NotificationsSubscription,
)

# ParserCache and ValidationCache: at most CACHE_SIZE documents each per process (LRU,
# keyed by document text; validation also by schema and rules, built once per schema).
CACHE_SIZE = 1_000

ROOT_DESCRIPTIONS = {
    "Query": "Read operations. Start with `viewer`; fetch anything again with `node(id:)`.",
    "Mutation": "Write operations. Each takes one `input` and returns a payload with `userErrors`.",
    "Subscription": "Live events over WebSocket (graphql-transport-ws or legacy graphql-ws).",
}


class Schema(strawberry.Schema):
    """Logs only what ``ErrorMasking`` masks (with the traceback); refusals and validation
    errors are answers to the client, not server faults. With ``prepared`` set
    (``create_schema``), a document that already parsed and validated is executed on
    graphql-core directly (graph/prepared.py). Extensions run in ``ExtensionsRunner``."""

    prepared: Prepared | None = None

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        return None

    def create_extensions_runner(self, execution_context: Any, extensions: list[Any]) -> ExtensionsRunner:
        return ExtensionsRunner(execution_context=execution_context, extensions=extensions)

    async def _prepare_operation_async(self, context: Any, extensions_runner: Any) -> Any:
        errors = await super()._prepare_operation_async(context, extensions_runner)
        if errors is None and self.prepared is not None:
            self.prepared.remember(context)
        return errors

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Any = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> Any:
        prepared = self.prepared.get(query, operation_name) if self.prepared is not None and query else None
        if (
            prepared is not None
            and (allowed_operation_types is None or prepared.operation_type in allowed_operation_types)
            and runnable(prepared, variable_values)
        ):
            return await execute_prepared(
                self, prepared, query or "", variable_values, context_value, root_value, operation_name,
                allowed_operation_types, operation_extensions,
            )
        return await super().execute(
            query, variable_values, context_value, root_value, operation_name,
            allowed_operation_types, operation_extensions,
        )


_PLAIN_TYPES = frozenset({type(None), bool, int, float, str, list, dict, tuple})
_LEAF_VALUES = frozenset({bool, int, float, str, date, datetime})
_NOT_AWAITABLE: set[type] = set()  # classes without __await__ (_is_awaitable), at most 4,096


def _is_awaitable(value: Any) -> TypeGuard[Awaitable[Any]]:
    """Tortoise models define ``__await__`` (``await instance`` returns it), so
    graphql-core would treat every model a resolver returns, and every model in a list,
    as pending work: a coroutine per object and a task per list item. They are plain
    values here. Called ~3 times per field, so the common plain values answer first, then
    the classes already seen without ``__await__`` (a search page asks ~200 times)."""
    kind = type(value)
    if kind in _PLAIN_TYPES or kind in _NOT_AWAITABLE or isinstance(value, Model):
        return False
    if optimized_is_awaitable(value):
        return True
    if not hasattr(kind, "__await__") and not issubclass(kind, GeneratorType) and len(_NOT_AWAITABLE) < 4096:
        _NOT_AWAITABLE.add(kind)
    return False


# Field nodes (parsed documents are cached: the same text, the same nodes) whose plain walk failed
# take graphql-core's path at once. The node is the value, so its id is not reused while listed.
# At most _PLAIN_FAILED_MAX entries, least recently failed out; a hint only (both paths agree).
_PLAIN_FAILED: OrderedDict[int, Any] = OrderedDict()
_PLAIN_FAILED_MAX = 4096


class ExecutionContext(EventExecution, StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_awaitable = _is_awaitable
        manager = self.middleware_manager
        self._plain_leaves = manager is None or not manager.middlewares

    def execute_field(self, parent_type: Any, source: Any, field_details_list: Any, path: Any, position_context: Any) -> Any:
        """Plain leaf fields (``ofw_leaf``, set by ``_call_resolvers_directly``: an
        attribute, or a sync method of ``self`` alone, of a scalar or enum type, no
        arguments) are read and coerced here: no ``Info``, no completion chain (~5–10 µs
        a field; a page of 50 full profiles has ~6,000 of them). Anything unusual (no
        middleware allowed, an error, a null, a value that is not a plain value) takes
        graphql-core's path, which resolves again: these getters have no side effects."""
        field_def = parent_type.fields.get(field_details_list[0].node.name.value)
        plain = getattr(field_def, "ofw_plain", None)
        if plain is not None and self._plain_leaves and id(field_details_list[0].node) not in _PLAIN_FAILED:
            return self._execute_plain(plain, field_def, parent_type, source, field_details_list, path, position_context)
        leaf = getattr(field_def, "ofw_leaf", None)
        if leaf is not None and self._plain_leaves:
            getter, leaf_type, nullable = leaf
            try:
                value = getter(source)
                if value is None and nullable:
                    return None
                if type(value) in _LEAF_VALUES or isinstance(value, Enum):
                    coerced = leaf_type.coerce_output_value(value)
                    if coerced is not None and coerced is not Undefined:
                        return coerced
                elif iscoroutine(value):
                    value.close()  # resolved again below; never left un-awaited
            except Exception:  # noqa: BLE001, S110 - graphql-core's path reports it
                pass
        return super().execute_field(parent_type, source, field_details_list, path, position_context)

    def _execute_plain(
        self, getter: Any, field_def: Any, parent_type: Any, source: Any, field_details_list: Any, path: Any, position_context: Any
    ) -> Any:
        """A plain object or list field (``ofw_plain``) completed in one walk
        (``graph/plain.py``); an awaitable is completed as graphql-core does, anything
        else unusual takes graphql-core's path for the whole field (resolving again). A
        field of a document whose walk failed once takes graphql-core's path from then on
        (``_PLAIN_FAILED``): on the profiles page every edge's ``node`` (a Profile with
        loaded fields) failed at once, but only after collecting and planning its sub-fields
        anew, 50 times a page, every request: the page cost ~50% more (bench/profiles_page.py)."""
        try:
            value = getter(source)
        except Exception:  # noqa: BLE001 - graphql-core's path reports it
            return super().execute_field(parent_type, source, field_details_list, path, position_context)
        if self.is_awaitable(value):
            info = self.build_resolve_info(field_def, [d.node for d in field_details_list], parent_type, path)
            return self.complete_awaitable_value(field_def.type, field_details_list, info, path, value, position_context)
        completed = complete_plain(self, field_def.type, field_details_list, value)
        if completed is not FAIL:
            return completed
        node = field_details_list[0].node
        _PLAIN_FAILED[id(node)] = node
        if len(_PLAIN_FAILED) > _PLAIN_FAILED_MAX:
            _PLAIN_FAILED.popitem(last=False)
        return super().execute_field(parent_type, source, field_details_list, path, position_context)


def _own_fields(schema: strawberry.Schema) -> Iterator[tuple[Any, Any]]:
    """(graphql-core field, strawberry field) of every object type's field that strawberry
    would call without anything of its own in between: no field extensions (so no
    permission classes), not a subscription; none at all when the schema has exception
    handlers or another default resolver."""
    converter = schema.schema_converter
    if getattr(converter, "_exception_handler_specs", None) or schema.config.default_resolver is not getattr:
        return
    for graphql_type in schema._schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        for graphql_field in graphql_type.fields.values():
            field = (graphql_field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if field is not None and not field.extensions and not field.is_subscription:
                yield graphql_field, field


def _call_resolvers_directly(schema: strawberry.Schema) -> None:
    """Skip strawberry's per-call wrapper where it has nothing to do.

    strawberry sends every field with a resolver through argument conversion, a field
    extension chain and a new ``Info`` (~5–10 µs a call), and plain attributes through
    three calls. For a resolver that takes only ``self`` (and perhaps ``info``), with no
    arguments, no field extensions (so no permission classes) and no exception handlers,
    graphql-core now calls the method itself; plain attributes become one ``getattr``.
    Schema extensions that hook ``resolve`` still wrap these (graphql-core middleware).
    """
    info_class = schema.config.info_class
    for graphql_field, field in _own_fields(schema):
        if graphql_field.args:
            continue
        resolver = field.base_resolver
        leaf_type = get_named_type(graphql_field.type)
        leaf = is_leaf_type(leaf_type)
        nullable = not is_non_null_type(graphql_field.type)
        if resolver is None:
            name = field.python_name
            graphql_field.resolve = lambda source, _info, name=name: getattr(source, name)
            if leaf:
                graphql_field.ofw_leaf = (attrgetter(name), leaf_type, nullable)
            else:
                graphql_field.ofw_plain = attrgetter(name)
            continue
        if resolver.arguments or resolver.root_parameter or resolver.parent_parameter or not resolver.self_parameter:
            continue
        func = resolver.wrapped_func
        if resolver.info_parameter is None:
            graphql_field.resolve = lambda source, _info, func=func: func(source)
            if leaf and not resolver.is_async:
                graphql_field.ofw_leaf = (func, leaf_type, nullable)
            elif not resolver.is_async:
                graphql_field.ofw_plain = func
        else:
            info_name = resolver.info_parameter.name

            def resolve(source: Any, info: Any, func: Any = func, field: Any = field, info_name: str = info_name) -> Any:
                return func(source, **{info_name: info_class(_raw_info=info, _field=field)})

            graphql_field.resolve = resolve


# The built-in scalars whose argument values strawberry hands to a resolver as
# graphql-core coerced them (no conversion: an int, a str, a bool, a float).
_PLAIN_ARGUMENT_TYPES = frozenset({"Int", "Float", "String", "Boolean", "ID"})


def _mark_context_fields(schema: strawberry.Schema) -> None:
    """``ofw_context`` on fields ``graph/plain.py`` may walk through their resolver: a sync
    method of ``self`` and ``info`` (which it reads only for ``info.context``) with at most
    built-in scalar arguments, no field extensions (so no permission classes) and no
    exception handlers. Set to ``(method, info parameter name, ((GraphQL argument name,
    Python name), ...), GraphQL field)``. The walk calls the method with a stand-in that has
    only ``context`` (anything else it reads fails the walk: graphql-core resolves the
    field again with a real ``Info``). On a page of 50 full profiles these were ~2,400
    graphql-core field executions: every skill's endorsements and count, every endorser
    and their name, every profile's parts."""
    for graphql_field, field in _own_fields(schema):
        resolver = field.base_resolver
        if (
            resolver is None
            or resolver.is_async
            or resolver.root_parameter
            or resolver.parent_parameter
            or not resolver.self_parameter
            or resolver.info_parameter is None
            or len(resolver.arguments) != len(graphql_field.args)
            or any(
                get_named_type(argument.type).name not in _PLAIN_ARGUMENT_TYPES for argument in graphql_field.args.values()
            )
        ):
            continue
        # graphql-core's arguments are built from the resolver's, in its order.
        names = tuple(zip(graphql_field.args, (argument.python_name for argument in resolver.arguments), strict=True))
        graphql_field.ofw_context = (resolver.wrapped_func, resolver.info_parameter.name, names, graphql_field)


# The extensions whose per-request behaviour graph/prepared.py keeps: the log and the
# masking (replayed), the text rule (checked), the parse/validation ones (their outcome
# is the document's, remembered).
_PREPARED_KNOWS = frozenset({
    OperationLog, ErrorMasking, RefuseHostileText, DocumentLimits, ParserCache, ValidationCache,
})


def _roots() -> tuple[type, type, type | None]:
    def merged(name: str, parts: tuple[type, ...]) -> type:
        root = merge_types(name, parts)
        root.__strawberry_definition__.description = ROOT_DESCRIPTIONS[name]  # type: ignore[attr-defined]  # merge_types returns a plain type
        return root

    return merged("Query", QUERIES), merged("Mutation", MUTATIONS), merged("Subscription", SUBSCRIPTIONS) if SUBSCRIPTIONS else None


def create_schema(settings: Settings) -> strawberry.Schema:
    Query, Mutation, Subscription = _roots()
    # Depth, aliases, expanded size and repeated fields in one rule that refuses a
    # document before graphql-core's rules walk it (graph/query_limits.py says why).
    limit_rules = [
        create_limits_rule(settings.max_depth, settings.max_aliases, settings.max_selections),
        NoEmptySelectionSets,
    ]
    if not settings.introspection:
        limit_rules.append(NoSchemaIntrospectionCustomRule)  # what strawberry's DisableIntrospection adds
    extensions: list = [
        OperationLog,
        ErrorMasking,
        RefuseHostileText,
        # The limits rule is built once per schema: QueryDepthLimiter and MaxAliasesLimiter made new
        # rule classes per request, and ValidationCache (keyed on them) never hit (~10 ms each).
        partial(DocumentLimits, max_tokens=settings.max_tokens, rules=tuple(limit_rules)),
        partial(ParserCache, maxsize=CACHE_SIZE),
        partial(ValidationCache, maxsize=CACHE_SIZE),
    ]
    if settings.otel_endpoint:
        extensions.insert(0, OperationSpan)  # outermost: the span covers every other extension
    schema = Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        execution_context_class=ExecutionContext,
        config=StrawberryConfig(auto_camel_case=True),
    )
    _call_resolvers_directly(schema)
    _mark_context_fields(schema)
    install_input_plans(schema)  # input arguments built from a plan per type
    installed = {getattr(extension, "func", extension) for extension in extensions}
    if installed <= _PREPARED_KNOWS and not schema.directives:
        # graph/prepared.py replays exactly these extensions' per-request hooks (so not
        # with tracing on: OperationSpan takes every request through the full path).
        schema.prepared = Prepared(CACHE_SIZE)
    return schema


def export_schema() -> str:
    """The SDL of the schema with default settings, as committed in ``schema.graphql``."""
    Query, Mutation, Subscription = _roots()
    return Schema(query=Query, mutation=Mutation, subscription=Subscription).as_str() + "\n"
