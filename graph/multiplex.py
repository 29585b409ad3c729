"""Subscriptions: one execution per group of subscribers of the same event.

Hasura multiplexes subscribers with the same document and variables; here a group is
defined by what an execution reads. Executing a subscription's selection for one event
depends on five things: the operation (a parsed document node — ``ParserCache`` hands the
same node to every subscriber that sent the same text), its coerced variables, the
event's root value, the viewer, and the event's loaders. Resolvers below a subscription
field read nothing else of the context (``info.context.viewer`` and ``loaders``;
``settings`` is the process's). Subscribers of one event with the same five form a group:
the first to execute runs the selection, the others await that execution and take its
data, each in an ``ExecutionResult`` of its own (error masking downstream stays per
subscriber).

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
  Viewers are never grouped across accounts: what a field shows depends on who asks
  (``clientMessageId`` only for its sender, a candidate's identity, colleagues-only
  fields), and a key across accounts would have to name everything every rule of every
  type reachable from an event looks at.
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
from collections.abc import Callable
from typing import Any

from graphql import ExecutionResult

from resolvers.loading import SharedRead

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
    return (
        id(executor.operation),
        repr(executor.variable_values.coerced),
        id(payload),
        _viewer_state(context.viewer),
        context.token_problem,
    )


class SharedExecution:
    """One group's execution of one event: what graphql-core's subscription loop calls
    ``execute_operation(serially)`` on in place of a per-event executor. The first call
    starts the execution; every call (the first included) gets the result in an
    ``ExecutionResult`` of its own. Holds the operation and root value its key names by
    identity, so neither id is reused while the entry lives."""

    __slots__ = ("executor", "operation", "read", "result", "root")

    def __init__(self, executor: Any, root: Any) -> None:
        self.executor: Any = executor
        self.operation = executor.operation
        self.root = root
        self.read: SharedRead | None = None
        self.result: ExecutionResult | None = None

    def execute_operation(self, serially: bool | None = None) -> Any:
        if self.executor is not None:
            executor, self.executor = self.executor, None
            outcome = executor.execute_operation(serially)
            if isinstance(outcome, ExecutionResult):
                self.result = outcome
            else:
                # A task of its own: a subscriber that leaves while it runs cancels
                # only its own wait, never what its group waits for.
                self.read = SharedRead(asyncio.ensure_future(outcome))
        if self.result is not None:
            return _own(self.result)
        return self._wait()

    async def _wait(self) -> ExecutionResult:
        assert self.read is not None
        return _own(await self.read.wait())


def _own(result: ExecutionResult) -> ExecutionResult:
    """The shared data in a result of the subscriber's own (its errors list too)."""
    return ExecutionResult(result.data, list(result.errors) if result.errors else None, result.extensions)


def per_event_executor(executor: Any, payload: Any, build: Callable[[Any], Any]) -> Any:
    """What runs ``executor``'s selection for ``payload``: the group's shared execution
    when the context carries an event's loaders, else ``build(payload)`` alone."""
    table = getattr(getattr(executor.context_value, "loaders", None), "shared", None)
    if table is None:
        return build(payload)
    key = _group_key(executor, payload)
    group = table.get(key)
    if group is None or group.operation is not executor.operation or group.root is not payload:
        group = table[key] = SharedExecution(build(payload), payload)
    return group
