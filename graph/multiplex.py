"""Subscriptions: how each event is executed (``EventExecution``, mixed into
``graph.schema.ExecutionContext``), once per group of subscribers of the same event.

Hasura multiplexes subscribers with the same document and variables; here a group is
defined by what an execution reads. Executing a subscription's selection for one event
depends on five things: the operation (a parsed document node — ``ParserCache`` hands the
same node to every subscriber that sent the same text), its coerced variables, the
event's root value, the viewer, and the event's loaders. Resolvers below a subscription
field read nothing else of the context (``info.context.viewer`` and ``loaders``;
``settings`` is the process's). Subscribers of one event with the same five form a group:
the first runs the selection in its own task, the others await that execution and
take its data, each in an ``ExecutionResult`` of its own (error masking downstream stays
per subscriber); if the first leaves before it ends, the others execute on their own.

The group key (``_group_key``):

- **operation**: the node, by identity; **variables**: the ``repr`` of the coerced values.
- **root value**: by identity. A chat event's deliveries are the rows its shared read
  returned (``subscriptions/chat.py``), the same objects for every local subscriber; a
  root value made per subscriber simply makes a group of one.
- **viewer**: the value of every database field of the viewer's row (id, role, company,
  company role, confirmation, deletion, suspension, …), never the socket or the token.
  Sockets of one account in the same state share an execution (tabs, devices, several
  subscriptions on one socket); a socket whose cached row differs (a role change it has
  not heard of yet) is a group of its own and gets what it would have got alone.
  Across accounts, only a selection none of whose fields can read the viewer
  (``selection_is_viewer_free``: attributes of the row, resolvers without ``info``, or
  marked ``VIEWER_FREE``) leaves the viewer out of its key: ``{ seq body conversation
  { id } }`` is one execution for every subscriber of the event. Any other field may
  show something else to each viewer (``clientMessageId`` only to its sender, a
  candidate's identity, colleagues-only fields), and a key across accounts for it would
  have to name everything every rule of every type reachable from it looks at.
- **loaders**: the table itself (``Loaders.shared``) lives on the loaders made for one
  event (``Loaders(event=True)``, chat's streams), so a group never outlives its event;
  it holds one entry per group of the event's local subscribers. Subscriptions that
  resolve through a socket's or a subscriber's own loaders are not grouped.

Authorization is not shared: each subscriber's stream checks its viewer for the event
before it yields anything (``subscriptions/chat.py``); only what comes after, the
execution of an identical selection for an identical viewer, is.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLObjectType,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
)
from graphql.execution.executor import CollectedErrors
from strawberry.schema.schema_converter import GraphQLCoreConverter

# Per model class, the attribute names of its database fields (a handful of classes).
_STATE_FIELDS: dict[type, tuple[str, ...]] = {}


def _viewer_state(viewer: Any) -> tuple[Any, ...] | None:
    """Everything of the viewer's row a resolver could look at, as a hashable tuple."""
    if viewer is None:
        return None
    cls = type(viewer)
    names = _STATE_FIELDS.get(cls)
    if names is None:
        names = _STATE_FIELDS[cls] = tuple(cls._meta.fields_db_projection)
    return (cls, *(getattr(viewer, name) for name in names))


def _group_key(executor: Any, payload: Any) -> tuple[Any, ...]:
    context = executor.context_value
    viewer_free = executor.__dict__.get("_ofw_viewer_free")
    if viewer_free is None:
        viewer_free = executor._ofw_viewer_free = selection_is_viewer_free(executor)
    return (
        id(executor.operation),
        repr(executor.variable_values.coerced),
        id(payload),
        None if viewer_free else _viewer_state(context.viewer),
        context.token_problem,
    )


VIEWER_FREE = {"ofw_viewer_free": True}
"""``strawberry.field(metadata=VIEWER_FREE)``: the resolver takes ``info`` only for the
loaders, never the viewer (``Message.conversation``). A resolver without ``info`` cannot
read the viewer at all and needs no mark."""


def _field_is_viewer_free(field_def: GraphQLField) -> bool:
    """Whether the field's answer cannot depend on who asks: an attribute of the row, a
    resolver without ``info``, or one marked ``VIEWER_FREE``; never a field with strawberry
    extensions or permission classes (they see ``info``)."""
    field = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if field is None or field.extensions or field.permission_classes:
        return False
    if field.metadata.get("ofw_viewer_free"):
        return True
    return field.base_resolver is None or field.base_resolver.info_parameter is None


def selection_is_viewer_free(executor: Any) -> bool:
    """Whether every field the subscription selects below its root field answers the same
    to every viewer (``_field_is_viewer_free``), through fragments; object types only (a
    field of an interface or a union type, or a fragment on another type, counts as
    viewer-dependent). Such a selection's subscribers share one execution across accounts:
    what each may receive was decided by its own stream before the event reached it."""
    schema = executor.schema
    root_type = schema.subscription_type
    fragments = {name: details.definition for name, details in executor.fragments.items()}
    if root_type is None:
        return False
    for node in _fields(executor.operation.selection_set, root_type, schema, fragments, set()):
        if node is None:
            return False
        if node.name.value == "__typename":
            continue
        root_field = root_type.fields.get(node.name.value)
        if root_field is None or not _selection_free(node, root_field, schema, fragments):
            return False
    return True


def _selection_free(node: FieldNode, field_def: GraphQLField, schema: Any, fragments: dict[str, Any]) -> bool:
    if node.selection_set is None:
        return True
    named = get_named_type(field_def.type)
    if not isinstance(named, GraphQLObjectType):
        return False
    for child in _fields(node.selection_set, named, schema, fragments, set()):
        if child is None:
            return False
        if child.name.value == "__typename":
            continue
        child_def = named.fields.get(child.name.value)
        if child_def is None or not _field_is_viewer_free(child_def):
            return False
        if not _selection_free(child, child_def, schema, fragments):
            return False
    return True


def _fields(
    selection_set: SelectionSetNode, on: GraphQLObjectType, schema: Any, fragments: dict[str, Any], spread: set[str]
) -> Iterator[FieldNode | None]:
    """The field nodes of ``selection_set`` on ``on`` through its fragments; ``None`` for
    a fragment on another type, or one missing."""
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
            continue
        if isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in spread:
                continue
            spread.add(name)
            fragment = fragments.get(name)
            if fragment is None:
                yield None
                continue
            condition, inner = fragment.type_condition, fragment.selection_set
        elif isinstance(selection, InlineFragmentNode):
            condition, inner = selection.type_condition, selection.selection_set
        else:
            yield None
            continue
        if condition is not None and condition.name.value != on.name:
            yield None
            continue
        yield from _fields(inner, on, schema, fragments, spread)


class SharedExecution:
    """One group's execution of one event. It is the first subscriber's per-event
    executor: its ``execute_operation`` runs the selection in that subscriber's own task
    (a group of one costs what it cost without groups) and hands the result to the
    followers waiting (``Follower``) when it ends. Holds the operation and root value its
    key names by identity, so neither id is reused while the entry lives."""

    __slots__ = ("done", "error", "executor", "operation", "result", "root", "waiters")

    def __init__(self, executor: Any, root: Any) -> None:
        self.executor: Any = executor
        self.operation = executor.operation
        self.root = root
        self.done = False
        self.result: ExecutionResult | None = None
        self.error: BaseException | None = None
        self.waiters: list[asyncio.Future[None]] = []

    def execute_operation(self, serially: bool | None = None) -> Any:
        executor, self.executor = self.executor, None
        outcome = executor.execute_operation(serially)
        if isinstance(outcome, ExecutionResult):
            self._finish(outcome, None)
            return outcome
        return self._lead(outcome)

    async def _lead(self, outcome: Any) -> ExecutionResult:
        try:
            result: ExecutionResult = await outcome
        except asyncio.CancelledError:
            self._finish(None, _ABANDONED)  # the followers execute on their own
            raise
        except BaseException as error:
            self._finish(None, error)
            raise
        self._finish(result, None)
        return result

    def _finish(self, result: ExecutionResult | None, error: BaseException | None) -> None:
        self.done, self.result, self.error = True, result, error
        waiters, self.waiters = self.waiters, []
        for waiter in waiters:
            if not waiter.done():  # not a follower cancelled meanwhile
                waiter.set_result(None)


class _Abandoned(Exception):
    """The first subscriber left while its group's execution ran (a marker, never raised)."""


_ABANDONED = _Abandoned()


class Follower:
    """Another subscriber of a group: takes the group's result in an ``ExecutionResult``
    of its own (its own errors list, so masking downstream stays per subscriber), once
    the execution ended; executes on its own (``build``) if the first subscriber left
    before it ended."""

    __slots__ = ("build", "group", "payload")

    def __init__(self, group: SharedExecution, build: Callable[[Any], Any], payload: Any) -> None:
        self.group, self.build, self.payload = group, build, payload

    def execute_operation(self, serially: bool | None = None) -> Any:
        if self.group.done:
            return self._take(serially)
        return self._wait(serially)

    async def _wait(self, serially: bool | None) -> ExecutionResult:
        waiter = asyncio.get_running_loop().create_future()
        self.group.waiters.append(waiter)
        await waiter
        taken = self._take(serially)
        return taken if isinstance(taken, ExecutionResult) else await taken

    def _take(self, serially: bool | None) -> Any:
        group = self.group
        if group.error is _ABANDONED:
            return self.build(self.payload).execute_operation(serially)
        if group.error is not None:
            raise group.error
        assert group.result is not None
        return _own(group.result)


def _own(result: ExecutionResult) -> ExecutionResult:
    return ExecutionResult(result.data, list(result.errors) if result.errors else None, result.extensions)


def per_event_executor(executor: Any, payload: Any, build: Callable[[Any], Any]) -> Any:
    """What runs ``executor``'s selection for ``payload``: the first of a group executes
    (``SharedExecution``), the others follow (``Follower``); alone (``build(payload)``)
    when the context does not carry an event's loaders."""
    table = getattr(getattr(executor.context_value, "loaders", None), "shared", None)
    if table is None:
        return build(payload)
    key = _group_key(executor, payload)
    group = table.get(key)
    if group is None or group.operation is not executor.operation or group.root is not payload:
        group = table[key] = SharedExecution(build(payload), payload)
        return group
    return Follower(group, build, payload)


class EventExecution:
    """The per-event side of ``graph.schema.ExecutionContext`` (a graphql-core executor).

    Sub-fields: graphql-core memoises the sub-fields it collects per executor, keyed by
    the identity of the field group, a list built anew for every execution; a
    subscription's per-event executors are shallow copies that shared that memo, so it
    grew by ~2 KiB per delivery for the subscription's life (bench/soak.py), and every
    event collected again (a tenth of a delivery's samples on the chat fan-out). Here a
    subscription keeps one memo keyed by the field nodes themselves (ids, the nodes kept
    beside): at most one entry per object-typed field group of its document and type,
    freed with the subscription. Field groups under ``@defer`` or with fragment
    variables take graphql-core's path."""

    _ofw_subfields: dict[tuple[Any, ...], tuple[list[Any], Any]] | None = None

    def build_per_event_executor(self, payload: Any) -> Any:
        """The group's shared execution (module doc), or this subscriber's own."""
        return per_event_executor(self, payload, self._own_event_executor)

    def _own_event_executor(self, payload: Any) -> Any:
        if self._ofw_subfields is None:
            self._ofw_subfields = {}  # before the copy: every event's executor shares it
        # graphql-core's build_per_event_executor, without copy.copy's reduce protocol
        # (3% of a delivery's samples on the fan-out): a shallow copy with its own root
        # value and errors, and its own per-execution memos.
        executor: Any = object.__new__(type(self))
        executor.__dict__.update(self.__dict__)
        executor.root_value = payload
        executor.collected_errors = CollectedErrors()
        executor._relevant_sub_fields = {}
        executor._stream_usages = type(executor._stream_usages)()
        return executor

    def collect_subfields(self, return_type: Any, field_details_list: Any) -> Any:
        memo = self._ofw_subfields
        if memo is None:
            return super().collect_subfields(return_type, field_details_list)  # type: ignore[misc]
        key = (return_type, *[id(details.node) for details in field_details_list])
        hit = memo.get(key)
        if hit is not None:
            return hit[1]
        collected = super().collect_subfields(return_type, field_details_list)  # type: ignore[misc]
        if not collected.new_defer_usages and all(
            details.defer_usage is None and details.fragment_variable_values is None for details in field_details_list
        ):
            memo[key] = ([details.node for details in field_details_list], collected)
        return collected
