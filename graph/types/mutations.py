"""A mutation in one declaration: what it does, its input, its payload, and its rule.

Every mutation of the features had the same body: require a viewer, parse the global IDs
of the input to primary keys, call the rule in ``resolvers/`` and turn its result (or its
``UserErrors``) into the payload. ``payload_mutation`` is that body, written once::

    cancel_interview = payload_mutation(
        description="Either side cancels …",
        input=(CancelInterviewInput, "Interview and reason."),
        payload=CancelInterviewPayload,
        field="interview",
        rule=lambda c, input: rules.cancel_interview(
            c.broker, c.require_viewer(), pk_of(input.interview_id, "Interview"), input.reason, input.version_number
        ),
    )

``rule`` gets the request's ``Context`` and the input (mypy checks both against the rule's
signature) and runs inside ``mutation_payload``: ``UserErrors`` raised anywhere in it, ID
parsing included, become the payload's ``userErrors``; ``ApiError``s (UNAUTHENTICATED,
FORBIDDEN, BAD_USER_INPUT) propagate as before. ``field`` names the payload field the
rule's result fills, or a tuple of names for a rule that returns a tuple of results.
The built resolver's annotations are set as real classes (strawberry reads them), so a
feature module may postpone its own annotations.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar, overload

import strawberry
from strawberry.types.field import StrawberryField

from graph.context import Context, Info
from graph.types.common import mutation_payload

InputT = TypeVar("InputT")


async def done(call: Awaitable[object]) -> bool:
    """For payloads that answer ``true`` once the rule ran (``sent``, ``left``, ``deleted``…)."""
    await call
    return True


async def _fill(call: Callable[[], Awaitable[Any]], field: str | tuple[str, ...]) -> Any:
    result = await call()
    return dict(zip(field, result, strict=True)) if isinstance(field, tuple) else result


@overload
def payload_mutation(
    *,
    description: str,
    input: tuple[type[InputT], str],
    payload: type,
    field: str | tuple[str, ...],
    rule: Callable[[Context, InputT], Awaitable[Any]],
) -> StrawberryField: ...


@overload
def payload_mutation(
    *,
    description: str,
    input: None = None,
    payload: type,
    field: str | tuple[str, ...],
    rule: Callable[[Context], Awaitable[Any]],
) -> StrawberryField: ...


def payload_mutation(
    *,
    description: str,
    input: tuple[type[Any], str] | None = None,
    payload: type,
    field: str | tuple[str, ...],
    rule: Callable[..., Awaitable[Any]],
) -> StrawberryField:
    """The mutation ``description`` says: ``input`` is the input type and the description of
    its ``input`` argument (``None``: no argument), ``payload`` the payload type, ``field``
    where the rule's result goes."""

    async def run(call: Callable[[], Awaitable[Any]]) -> Any:
        return await mutation_payload(payload, lambda: _fill(call, field), field=None if isinstance(field, tuple) else field)

    resolver: Callable[..., Awaitable[Any]]
    if input is None:

        async def resolve(self: Any, info: Info) -> Any:
            return await run(lambda: rule(info.context))

        resolve.__annotations__ = {"info": Info, "return": payload}
        resolver = resolve
    else:
        input_type, input_description = input

        async def resolve_input(self: Any, info: Info, input: Any) -> Any:
            return await run(lambda: rule(info.context, input))

        resolve_input.__annotations__ = {
            "info": Info,
            "input": Annotated[input_type, strawberry.argument(description=input_description)],
            "return": payload,
        }
        resolver = resolve_input
    return strawberry.mutation(resolver=resolver, description=description)
