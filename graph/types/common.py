"""Conventions shared by every feature: ``Node`` and global IDs (``pk_of``), connections,
``UserError`` payloads, and enums described value by value.

GraphQL object types here resolve straight from Tortoise model instances (the model is
the ``root``), so no copy is made per row; ``is_type_of`` maps a model class to its type.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Any, Generic, TypeVar

import strawberry

from resolvers.errors import UserErrorCode, UserErrorData, UserErrors
from resolvers.ids import parse_global_id
from resolvers.pagination import Page

T = TypeVar("T")
E = TypeVar("E", bound=type[Enum])


def describe_enum(enum_cls: E, name: str, description: str, values: dict[str, str]) -> E:
    """Register a models/resolvers enum as a GraphQL enum with a description per value."""
    missing = {member.name for member in enum_cls} - set(values)
    if missing:
        raise ValueError(f"{name}: describe every value, missing {sorted(missing)}")
    wrapped = strawberry.enum(enum_cls, name=name, description=description)
    definition = wrapped.__strawberry_definition__  # type: ignore[attr-defined]  # strawberry.enum adds it at run time
    for value in definition.values:
        value.description = values[value.name]
    return wrapped


def model_type(model_cls: type) -> Callable[[type[T]], type[T]]:
    """Let a GraphQL object type resolve from instances of ``model_cls``."""

    def decorate(cls: type[T]) -> type[T]:
        def is_type_of(obj: Any, _info: Any) -> bool:
            return isinstance(obj, (model_cls, cls))

        cls.is_type_of = staticmethod(is_type_of)  # type: ignore[attr-defined]  # strawberry reads it from the class
        return cls

    return decorate


@strawberry.interface(
    description="An object with a globally unique, opaque ID. Fetch any node again with `node(id:)`."
)
class Node:
    @strawberry.field(description="Globally unique, opaque ID of this object.")
    def id(self) -> strawberry.ID:  # pragma: no cover - every implementation overrides it
        raise NotImplementedError


def pk_of(value: strawberry.ID | None, type_name: str) -> int | None:
    """Primary key of a ``type_name`` ID; ``None`` for no ID or another type's ID (the rules
    treat it as not found). A malformed ID is a BAD_USER_INPUT error."""
    if value is None:
        return None
    found, pk = parse_global_id(str(value))
    return pk if found == type_name else None


@strawberry.type(description="Where a page of a connection sits in the whole list (Relay).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when more items follow the last edge.")
    has_previous_page: bool = strawberry.field(description="True when items precede the first edge.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first edge; null on an empty page.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last edge; pass it as `after` for the next page.")


@strawberry.type(description="One item of a connection and the cursor pointing at it.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Opaque cursor of this item; pass as `after` or `before`.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(
    description=(
        "A page of a list that grows, in Relay form. Ask with `first` (at most 100, "
        "default 20) and `after`, or `last` and `before`."
    )
)
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Cursors and whether more pages exist.")
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Number of items in the whole list, across all pages.")
    async def total_count(self) -> int:
        return await self._count()

    @classmethod
    def from_page(cls, page: Page[Any], node: Callable[[Any], Any] | None = None) -> Connection[Any]:
        return cls(
            edges=[
                Edge(cursor=cursor, node=node(item) if node else item)
                for item, cursor in zip(page.items, page.cursors, strict=True)
            ],
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
                start_cursor=page.start_cursor,
                end_cursor=page.end_cursor,
            ),
            _count=page.count,
        )


UserErrorCodeEnum = describe_enum(
    UserErrorCode,
    "UserErrorCode",
    "Machine-readable reason of a `UserError`. New codes may be added; treat unknown ones as INVALID.",
    {
        "INVALID": "The value is not acceptable; the message says why.",
        "REQUIRED": "A value is required.",
        "TOO_SHORT": "The value is shorter than allowed.",
        "TOO_LONG": "The value is longer than allowed; the message states the limit.",
        "OUT_OF_RANGE": "The number is outside the allowed range.",
        "TOO_MANY": "The list has more items than allowed.",
        "INVALID_URL": "Only http:// and https:// addresses are accepted.",
        "INVALID_DATE_RANGE": "The end date is before the start date.",
        "INVALID_COUNTRY": "Not an ISO 3166-1 alpha-2 country code (such as DE or US).",
        "INVALID_CURRENCY": "Not an ISO 4217 currency code (such as EUR or USD).",
        "NOT_FOUND": "The object does not exist or you may not see it.",
        "DUPLICATE": "An equal item already exists.",
        "RATE_LIMITED": "Too many attempts; wait and try again.",
        "INVALID_EMAIL": "Not a valid email address.",
        "EMAIL_TAKEN": "An account with this email already exists.",
        "WEAK_PASSWORD": "The password is too short.",
        "INVALID_CREDENTIALS": "Email or password is wrong.",
        "INVALID_INVITATION": "The company invitation code is not valid.",
        "HANDLE_TAKEN": "Another profile already uses this handle.",
        "WRONG_CONFIRMATION_CODE": "The email confirmation code is not right; the message says how many tries are left.",
        "CONFIRMATION_EXPIRED": "The email confirmation code expired or was tried too often (5 wrong tries); ask for a new one with `resendConfirmation`.",
        "ALREADY_CONFIRMED": "Your email is already confirmed.",
        "EMAIL_NOT_CONFIRMED": "Confirm your email first (`confirmEmail`): until then an employer cannot search or contact candidates.",
        "LAST_ADMIN": "A company always keeps an admin: the last one cannot leave, be demoted or be removed. Make another member admin first.",
        "SELF_ENDORSEMENT": "Nobody can endorse their own skills.",
        "ALREADY_ENDORSED": "You already endorsed this skill.",
        "ALREADY_BLOCKED": "This company or domain is already blocked.",
        "BELOW_CANDIDATE_FLOOR": "The pay (the top of a range) is below the candidate's desired minimum, compared per year across currencies; the message names the exchange rate used.",
        "NO_EXCHANGE_RATE": "The pay cannot be compared with the candidate's desired minimum: one of the currencies has no ECB reference rate. State the pay in the candidate's currency or one with a rate (such as EUR).",
        "RANGE_TOO_WIDE": "The salary range's max is more than twice its min; name a range a candidate can rely on.",
        "CONTACT_QUOTA_EXCEEDED": "Your company used its weekly quota of unanswered contact requests.",
        "ALREADY_IN_CONVERSATION": "Your company already has a conversation with this candidate.",
        "CONVERSATION_NOT_ACCEPTED": "The candidate has not accepted the contact request yet.",
        "CONVERSATION_DECLINED": "The candidate declined the contact request.",
        "ALREADY_RESPONDED": "The contact request was already answered.",
        "CONTACT_REQUEST_EXPIRED": "The contact request went unanswered for `CONTACT_REQUEST_EXPIRY_DAYS` days (default 14) and expired: it can no longer be accepted or declined. A reply by the candidate (`sendMessage`) still accepts it.",
        "CANDIDATE_HIRED": "The candidate was hired (open-to-work status HIRED) and takes no new contact requests until they say they are looking again.",
        "VERIFIED_COMPANIES_ONLY": "The candidate takes contact requests only from verified companies (`acceptContactFrom: VERIFIED_COMPANIES`); your company is not verified. An admin verifies it by confirming an email at the company's own domain.",
        "INVALID_TRANSITION": "The offer's current status does not allow this.",
        "STALE_VERSION": "The offer has changed since the version you named.",
        "OFFER_EXPIRED": "The offer expired.",
        "INVALID_QUERY": "The search query or filter is not valid.",
        "INTERVIEW_NOT_OPEN": "The interview's status does not allow this (the message names the status): a slot is picked only while PROPOSED, nothing changes once CANCELLED or EXPIRED.",
        "INTERVIEW_CHANGED": "The interview was rescheduled (or changed) since the version you named; read it again.",
        "INTERVIEW_EXPIRED": "Nobody picked a slot in time: the proposal expired (`INTERVIEW_PROPOSAL_TTL_DAYS`, default 14). Propose again.",
        "SLOT_NOT_OFFERED": "The time is not one of the interview's proposed slots, or it has passed.",
        "INTERVIEWER_UNAVAILABLE": "An interviewer is booked in another interview at an overlapping time; the message names who. Pick another slot.",
        "NOT_AN_INTERVIEWER": "Only the interview's interviewers submit feedback on it.",
        "STAGE_IN_USE": "Entries are at the company stage you delete (or were moved into it meanwhile): name `moveEntriesTo`, or move them first.",
        "INTERVIEW_NOT_STARTED": "Feedback is given once the interview has started.",
        "ACCOUNT_SUSPENDED": "Moderators suspended this account (or its company); it cannot sign in until the suspension is lifted.",
        "ALREADY_RESOLVED": "The report was already resolved by a moderator.",
        "ALREADY_SUSPENDED": "The account or company is already suspended.",
        "NOT_SUSPENDED": "The account or company is not suspended.",
        "ACTION_NOT_APPLICABLE": "The moderation action does not fit this report (REMOVE_MESSAGE needs a reported message, SUSPEND_COMPANY a company behind the content, SUSPEND_USER an account).",
    },
)


@strawberry.type(description="An expected failure of a mutation: nothing was changed.")
class UserError:
    code: UserErrorCodeEnum = strawberry.field(description="Machine-readable reason.")  # type: ignore[valid-type]  # a strawberry enum built by describe_enum
    field: list[str] | None = strawberry.field(
        description="Path to the input field at fault, such as [\"input\", \"email\"]; null when no single field is."
    )
    message: str = strawberry.field(description="Human-readable explanation, fit to show to the user.")

    @classmethod
    def from_data(cls, data: UserErrorData) -> UserError:
        return cls(
            code=data.code,
            field=["input", *data.field] if data.field else None,
            message=data.message,
        )


def user_errors(exc: UserErrors) -> list[UserError]:
    return [UserError.from_data(error) for error in exc.errors]


P = TypeVar("P")


async def mutation_payload(
    payload: Callable[..., P], run: Callable[[], Awaitable[Any]], *, field: str | None
) -> P:
    """The one way a mutation turns its rule into its payload.

    ``run`` calls the resolver layer. Its result becomes ``payload(<field>=result,
    user_errors=[])``; with ``field=None`` the result must be a dict of the payload's
    fields. ``UserErrors`` raised anywhere in ``run`` (argument parsing included) become
    ``payload(user_errors=[...])`` with every other field null, so nothing half-done is
    returned. Other exceptions propagate (they are bugs or ``ApiError``s)::

        return await mutation_payload(
            WithdrawOfferPayload, lambda: rules.withdraw(broker, viewer, offer_pk), field="offer"
        )
    """
    try:
        result = await run()
    except UserErrors as exc:
        names = [f.name for f in payload.__strawberry_definition__.fields]  # type: ignore[attr-defined]  # set by @strawberry.type
        empty: dict[str, Any] = {name: None for name in names if name != "user_errors"}
        return payload(**empty, user_errors=user_errors(exc))
    if field is None:
        return payload(**result, user_errors=[])
    return payload(**{field: result}, user_errors=[])
