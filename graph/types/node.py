"""``node(id:)`` and ``nodes(ids:)``: any object by its global ID, with the same
authorization as every other path. Features register a batch resolver per type name;
a node the viewer may not see is ``null``, exactly like one that does not exist."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry

from graph.context import Info
from graph.types.common import Node
from resolvers.errors import BadUserInput
from resolvers.ids import parse_global_id

MAX_NODES = 100

NodeResolver = Callable[[Any, list[int]], Awaitable[list[Any]]]
_RESOLVERS: dict[str, NodeResolver] = {}


def register_node(type_name: str, resolver: NodeResolver) -> None:
    """``resolver(info, primary_keys)`` returns visible objects in key order, else None."""
    _RESOLVERS[type_name] = resolver


def registered_node_types() -> set[str]:
    """The type names ``node(id:)`` can resolve (each a type implementing ``Node``)."""
    return set(_RESOLVERS)


async def resolve_nodes(info: Info, ids: list[strawberry.ID]) -> list[Any]:
    parsed = [parse_global_id(str(value)) for value in ids]
    by_type: dict[str, list[int]] = {}
    for type_name, pk in parsed:
        if type_name in _RESOLVERS:
            by_type.setdefault(type_name, []).append(pk)
    found: dict[tuple[str, int], Any] = {}
    for type_name, pks in by_type.items():
        unique = list(dict.fromkeys(pks))
        for pk, obj in zip(unique, await _RESOLVERS[type_name](info, unique), strict=True):
            found[(type_name, pk)] = obj
    return [found.get(key) for key in parsed]


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description="Any object by its global ID. Null when it does not exist or you may not see it; a malformed ID is a BAD_USER_INPUT error."
    )
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global ID returned by this API.")],
    ) -> Node | None:
        return (await resolve_nodes(info, [id]))[0]

    @strawberry.field(
        description="Several objects by global ID, in the same order; null for each one that does not exist or you may not see. At most 100 IDs."
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global IDs, at most 100.")],
    ) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise BadUserInput(f"Ask for at most {MAX_NODES} ids at once, got {len(ids)}.")
        return await resolve_nodes(info, ids)
