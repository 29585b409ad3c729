"""Plain objects completed in one walk, without graphql-core's per-field machinery.

A search page's edges are ~500 fields of objects the mapping layer already built
(``graph/types/search/types.py``: every field an attribute), yet graphql-core resolves
each one through ``execute_field`` → ``complete_value`` → ``collect_and_execute_subfields``
with a ``Path`` and (for non-leaves) an ``Info`` each. For a field marked ``ofw_plain``
(an attribute, or a sync method of ``self`` alone, of an object or list type, set by
``graph/schema.py``) ``complete_plain`` builds the response value directly: sub-fields
collected by graphql-core itself (``collect_subfields``: fragments, ``@include`` and
``@skip`` applied) and planned once per request, or once per document when it has no
directive (``_SHARED_PLANS``), leaves read and coerced as the plain-leaf path does
(``ofw_leaf``), nested plain objects and lists walked the same way.

A field marked ``ofw_context`` (a sync resolver of ``self`` and ``info``, with at most
built-in scalar arguments) is walked too: its method is called with a stand-in ``info``
that has only ``context`` (``_ContextInfo``) and its arguments as graphql-core coerces
them (once per field node and request). Resolvers answer such fields synchronously when
the page's prefetch already holds the rows, else an awaitable, which fails the walk
(a coroutine is closed unrun).

Anything unusual answers ``FAIL`` and the caller takes graphql-core's path for the whole
field, which resolves again (the getters have no side effects; a resolver asked twice
asks its DataLoader twice for the same key, answered once) and reports errors as it
always does: a null in a non-null position, a value that is not what the type expects,
an exception, an awaitable below the field, a directive on a field (``@defer``,
``@stream``), an object type whose ``is_type_of`` reads ``info``, a field without a mark.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from inspect import iscoroutine
from types import GeneratorType
from typing import Any

from graphql import (
    GraphQLBoolean,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLString,
    Undefined,
    is_leaf_type,
)
from graphql.execution.values import get_argument_values
from graphql.language import BREAK, Visitor, visit
from graphql.type.scalars import GRAPHQL_MAX_INT, GRAPHQL_MIN_INT

FAIL: Any = object()
_LEAF_VALUES = frozenset({bool, int, float, str, date, datetime})
_NOT_OBJECTS = frozenset({type(None), bool, int, float, str, list, dict, tuple, date, datetime})
_info_free: dict[Callable[..., Any], bool] = {}
# The Python type each built-in scalar's coercion hands back unchanged (graphql-core's
# ``serialize_string``/``serialize_id`` return a ``str`` as is, ``serialize_boolean`` a
# ``bool``, ``serialize_int`` an ``int`` within 32 bits): such a value is not coerced
# again, which was most of a leaf's cost. Anything else is coerced as before.
_AS_IS: dict[Any, type] = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool, GraphQLInt: int}


def complete_plain(executor: Any, return_type: Any, field_details_list: Any, value: Any) -> Any:
    """The completed value of a plain field, or ``FAIL`` (module doc)."""
    for details in field_details_list:
        if details.node.directives:
            return FAIL
    try:
        return _complete(executor, return_type, field_details_list, value)
    except Exception:  # noqa: BLE001 - graphql-core's path reports it
        return FAIL


def _complete(executor: Any, graphql_type: Any, field_details_list: Any, value: Any) -> Any:
    nullable = True
    if isinstance(graphql_type, GraphQLNonNull):
        graphql_type, nullable = graphql_type.of_type, False
    if value is None:
        return None if nullable else FAIL
    if isinstance(graphql_type, GraphQLList):
        if type(value) is not list:
            return FAIL
        item_type = graphql_type.of_type
        items = []
        if isinstance(item_type, GraphQLNonNull) and isinstance(item_type.of_type, GraphQLObjectType) and value:
            # objects of one type (a page's skills): planned once for the whole list
            object_type = item_type.of_type
            plan = _plan(executor, object_type, field_details_list)
            if plan is None:
                return FAIL
            # Without ``is_type_of`` the checks of ``_object`` are the item's class's (an
            # ``__await__`` set on one instance would not make it awaitable to Python
            # either): once an item passed them, items of the same class skip them.
            checked = None
            for item in value:
                if type(item) is checked:
                    done = _fields(executor, plan, item)
                else:
                    done = FAIL if item is None else _object(executor, object_type, field_details_list, item, plan)
                    if object_type.is_type_of is None and not isinstance(item, GeneratorType):
                        checked = type(item)
                if done is FAIL:
                    return FAIL
                items.append(done)
            return items
        for item in value:
            done = _complete(executor, item_type, field_details_list, item)
            if done is FAIL:
                return FAIL
            items.append(done)
        return items
    if isinstance(graphql_type, GraphQLObjectType):
        return _object(executor, graphql_type, field_details_list, value)
    if is_leaf_type(graphql_type):
        return _leaf(graphql_type, value)
    return FAIL  # an interface or a union: graphql-core resolves the type


def _leaf(leaf_type: Any, value: Any) -> Any:
    if type(value) in _LEAF_VALUES or isinstance(value, Enum):
        coerced = leaf_type.coerce_output_value(value)
        if coerced is not None and coerced is not Undefined:
            return coerced
    return FAIL


def _type_matches(object_type: GraphQLObjectType, value: Any) -> bool:
    """``is_type_of`` where it does not read ``info`` (strawberry's and ours name it ``_info``)."""
    is_type_of = object_type.is_type_of
    if is_type_of is None:
        return True
    free = _info_free.get(is_type_of)
    if free is None:
        code = getattr(is_type_of, "__code__", None)
        free = code is not None and code.co_argcount == 2 and code.co_varnames[1].startswith("_")
        _info_free[is_type_of] = free
    return free and is_type_of(value, None) is True  # type: ignore[arg-type]  # checked above: it does not read info


_TYPENAME, _LEAF, _PLAIN, _CONTEXT = 0, 1, 2, 3


class _ContextInfo:
    """What a walked resolver may read of ``info``: ``context``. Anything else raises
    ``AttributeError``, which fails the walk (graphql-core resolves the field again with
    a real ``Info``)."""

    __slots__ = ("context",)

    def __init__(self, context: Any) -> None:
        self.context = context


def _context_call(executor: Any, spec: tuple[Any, ...], sub_details: Any, value: Any) -> Any:
    """Call an ``ofw_context`` field's method on ``value`` as strawberry would."""
    method, info_name, argument_names, field_def = spec
    kwargs: dict[str, Any] = {info_name: executor.__dict__.get("_ofw_info") or _new_info(executor)}
    if argument_names:
        kwargs.update(_arguments(executor, field_def, argument_names, sub_details))
    return method(value, **kwargs)


def _new_info(executor: Any) -> _ContextInfo:
    info = executor._ofw_info = _ContextInfo(executor.context_value)
    return info


def _arguments(executor: Any, field_def: Any, argument_names: Any, sub_details: Any) -> dict[str, Any]:
    """The field's arguments by Python name, coerced by graphql-core from the first node
    of the group (as ``execute_field`` does); once per node and request."""
    cache: dict[int, dict[str, Any]] | None = executor.__dict__.get("_ofw_arguments")
    if cache is None:
        cache = executor._ofw_arguments = {}
    details = sub_details[0]
    found = cache.get(id(details.node))
    if found is None:
        if details.fragment_variable_values is not None:
            raise LookupError("fragment arguments: graphql-core's path")
        coerced = get_argument_values(field_def, details.node, executor.variable_values)
        found = cache[id(details.node)] = {python: coerced[name] for name, python in argument_names if name in coerced}
    return found


def _close(value: Any) -> None:
    """A coroutine the walk will not await is closed, never left to warn un-awaited."""
    if iscoroutine(value):
        value.close()


# Plans shared by every request of a document without directives (below): their
# sub-fields do not depend on the variables, so a request finds each object type's plan
# made (collecting sub-fields took graphql-core ~10-20 µs per object type and request).
# Keyed by the object type and the ids of the field group's nodes (parsed documents are
# cached, so the same nodes come back); the nodes are kept in the value so their ids are
# not reused while listed. At most _SHARED_PLANS_MAX entries (a search page uses about
# ten), least recently made first out; a cache only (a miss makes the plan again).
_SHARED_PLANS: OrderedDict[tuple[Any, ...], tuple[Any, tuple[Any, ...] | None]] = OrderedDict()
_SHARED_PLANS_MAX = 2048
# Operation node id -> (node, its document has no directive): at most _STATIC_MAX entries.
_STATIC: OrderedDict[int, tuple[Any, bool]] = OrderedDict()
_STATIC_MAX = 1024


def _plan(executor: Any, object_type: GraphQLObjectType, field_details_list: Any) -> tuple[Any, ...] | None:
    """What to read for each response key of ``object_type`` under this field group, or
    None when a sub-field cannot be walked. Kept beside graphql-core's own memo of
    collected sub-fields (same key scheme, so per-event executors drop it with theirs),
    and for a document without directives in ``_SHARED_PLANS`` across requests."""
    memo = executor._relevant_sub_fields
    key = ("ofw_plan", object_type, id(field_details_list))
    cached = memo.get(key)
    if cached is not None:
        return cached[1]
    shared_key = None
    if _static(executor):
        nodes = tuple(details.node for details in field_details_list)
        shared_key = (object_type, *map(id, nodes))
        shared = _SHARED_PLANS.get(shared_key)
        if shared is not None:
            memo[key] = (field_details_list, shared[1])
            return shared[1]
    grouped, defer_usages, _ = executor.collect_subfields(object_type, field_details_list)
    plan: tuple[Any, ...] | None = tuple(_entry(object_type, name, details) for name, details in grouped.items())
    if defer_usages or plan is None or None in plan:
        plan = None
    memo[key] = (field_details_list, plan)
    if shared_key is not None:
        _SHARED_PLANS[shared_key] = (nodes, plan)
        if len(_SHARED_PLANS) > _SHARED_PLANS_MAX:
            _SHARED_PLANS.popitem(last=False)
    return plan


def _static(executor: Any) -> bool:
    """Does the executed document have no directive (so no ``@include``/``@skip`` makes
    its sub-fields depend on the variables, and no ``@defer``) and no fragment
    arguments? Worked out once per operation node."""
    operation = executor.operation
    known = _STATIC.get(id(operation))
    if known is not None:
        return known[1]
    fragments = list(executor.fragments.values())  # graphql-core's FragmentDetails
    static = not any(f.variable_signatures or f.definition.variable_definitions for f in fragments)
    if static:
        found = _DirectiveFinder()
        for node in (operation, *(f.definition for f in fragments)):
            visit(node, found)
        static = not found.any
    _STATIC[id(operation)] = (operation, static)
    if len(_STATIC) > _STATIC_MAX:
        _STATIC.popitem(last=False)
    return static


class _DirectiveFinder(Visitor):
    any = False

    def enter_directive(self, *_args: Any) -> Any:
        self.any = True
        return BREAK


def _entry(object_type: GraphQLObjectType, response_name: str, sub_details: Any) -> tuple[Any, ...] | None:
    if any(details.node.directives for details in sub_details):
        return None
    name = sub_details[0].node.name.value
    if name == "__typename":
        return (response_name, _TYPENAME, object_type.name, None, None, None)
    field_def = object_type.fields.get(name)
    leaf = getattr(field_def, "ofw_leaf", None)
    if leaf is not None:
        getter, leaf_type, nullable = leaf
        if isinstance(field_def.type, GraphQLList) or isinstance(getattr(field_def.type, "of_type", None), GraphQLList):
            # A list of scalars (a profile's desiredRoles): completed item by item.
            return (response_name, _PLAIN, getter, field_def.type, sub_details, None)
        return (response_name, _LEAF, getter, leaf_type, nullable, _AS_IS.get(leaf_type))
    plain = getattr(field_def, "ofw_plain", None)
    if plain is not None and field_def is not None:
        return (response_name, _PLAIN, plain, field_def.type, sub_details, None)
    context = getattr(field_def, "ofw_context", None)
    if context is not None and field_def is not None:
        return (response_name, _CONTEXT, context, field_def.type, sub_details, None)
    return None


def _object(
    executor: Any, object_type: GraphQLObjectType, field_details_list: Any, value: Any, plan: tuple[Any, ...] | None = None
) -> Any:
    if type(value) in _NOT_OBJECTS or executor.is_awaitable(value) or not _type_matches(object_type, value):
        return FAIL
    if plan is None:
        plan = _plan(executor, object_type, field_details_list)
        if plan is None:
            return FAIL
    return _fields(executor, plan, value)


def _fields(executor: Any, plan: tuple[Any, ...], value: Any) -> Any:
    """The response value of ``value`` (an object the walk checked) for its ``plan``."""
    result: dict[str, Any] = {}
    for response_name, kind, a, b, c, as_is in plan:
        if kind == _LEAF:  # a getter, b leaf type, c nullable, as_is: see _AS_IS
            raw = a(value)
            if raw is None and c:
                result[response_name] = None
                continue
            raw_type = type(raw)
            if raw_type is as_is and (raw_type is not int or GRAPHQL_MIN_INT <= raw <= GRAPHQL_MAX_INT):
                result[response_name] = raw
                continue
            if raw_type not in _LEAF_VALUES and not isinstance(raw, Enum):
                return FAIL
            done = b.coerce_output_value(raw)
            if done is None or done is Undefined:
                return FAIL
        elif kind == _PLAIN:  # a getter, b field type, c sub-field group
            done = _complete(executor, b, c, a(value))
            if done is FAIL:
                return FAIL
        elif kind == _CONTEXT:  # a the ofw_context spec, b field type, c sub-field group
            raw = _context_call(executor, a, c, value)
            done = _complete(executor, b, c, raw)
            if done is FAIL:
                _close(raw)
                return FAIL
        else:
            done = a
        result[response_name] = done
    return result
