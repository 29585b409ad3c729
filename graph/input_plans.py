"""Input objects built from a plan of their fields, made once per type.

strawberry converts an input object argument (``convert_argument``) by walking the type's
fields on every request: each field's GraphQL name worked out again and its annotation
resolved again (``StrawberryField.resolve_type``), whether the client sent the field or
not. The search page's ``filter`` (14 fields) cost ~0.15 ms a request that way. Here an
input type gets a ``from_input`` hook (strawberry's own extension point for types that
build their own value) that does the same work from a plan made on first use: for each
field its GraphQL name, Python name and resolved type, and whether strawberry would hand
the value back as it is (a scalar or enum leaf: the value itself; a list of them: a copy
of the list). Every other field is converted by strawberry (``InputContext.convert``,
which is ``convert_argument`` with the same path), and fields the client left out get the
same implicit ``None`` or dataclass default as before.

Types with a ``Maybe`` field are left alone: strawberry skips its null check for ``Maybe``
fields of types that set ``from_input``. So are generic types and any type that already
has a hook.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING
from typing import Any

import strawberry
from strawberry.relay.types import GlobalID
from strawberry.types.arguments import InputContext, _is_leaf_type, _is_optional_leaf_type
from strawberry.types.base import StrawberryList, StrawberryMaybe, StrawberryObjectDefinition, StrawberryOptional

_AS_IS, _COPY, _CONVERT = 0, 1, 2
# (GraphQL name, Python name, resolved type, how), and the implicit ``None`` defaults
_Plan = tuple[tuple[tuple[str, str, Any, int], ...], dict[str, None]]


def install_input_plans(schema: strawberry.Schema) -> None:
    """Give every plain input type of ``schema`` its planned ``from_input`` (module doc)."""
    for concrete in schema.schema_converter.type_map.values():
        definition = concrete.definition
        if not isinstance(definition, StrawberryObjectDefinition) or not definition.is_input:
            continue
        if definition.from_input is not None or definition.is_graphql_generic or definition.type_params:
            continue
        if any(isinstance(field.resolve_type(type_definition=definition), StrawberryMaybe) for field in definition.fields):
            continue
        definition.from_input = _planned(definition)


def _planned(definition: StrawberryObjectDefinition) -> Any:
    plans: dict[int, _Plan] = {}  # by the scalar registry (one per schema)

    def from_input(cls: type, value: Mapping[str, Any], context: InputContext) -> Any:
        plan = plans.get(id(context.scalar_registry))
        if plan is None:
            plan = plans[id(context.scalar_registry)] = _plan(definition, context)
        fields, defaults = plan
        kwargs: dict[str, Any] = dict(defaults)
        for graphql_name, python_name, type_, how in fields:
            if graphql_name not in value:
                continue
            item = value[graphql_name]
            if how == _AS_IS:
                kwargs[python_name] = item
            elif how == _COPY:
                # strawberry copies a list of leaves: graphql-core hands every request
                # the same default list, which must not be changed in place
                kwargs[python_name] = item if item is None or item is strawberry.UNSET else list(item)
            else:
                kwargs[python_name] = context.convert(item, type_, graphql_name)
        return cls(**kwargs)

    return from_input


def _plan(definition: StrawberryObjectDefinition, context: InputContext) -> _Plan:
    registry, names = context.scalar_registry, context.config.name_converter
    fields = []
    for field in definition.fields:
        type_ = field.resolve_type(type_definition=definition)
        fields.append((names.from_field(field), field.python_name, type_, _how(type_, registry)))
    defaults = {
        field.python_name: None
        for field in definition.fields
        if field.default_value is MISSING and field.default_factory is MISSING
    }
    return tuple(fields), defaults


def _how(type_: Any, registry: Any) -> int:
    """How ``convert_argument`` treats a value of ``type_`` (``_AS_IS`` and ``_COPY``
    exactly where it returns the value, or a copy of the list, unconverted)."""
    inner = type_.of_type if isinstance(type_, StrawberryOptional) and not isinstance(type_, StrawberryMaybe) else type_
    if isinstance(inner, StrawberryMaybe):
        return _CONVERT
    if inner is not GlobalID and _is_leaf_type(inner, registry):
        return _AS_IS
    if isinstance(inner, StrawberryList) and (
        _is_leaf_type(inner.of_type, registry, skip_classes=(GlobalID,))
        or _is_optional_leaf_type(inner.of_type, registry, skip_classes=(GlobalID,))
    ):
        return _COPY
    return _CONVERT
