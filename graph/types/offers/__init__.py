"""Offers: ``Offer``, ``OfferVersion``, the six offer mutations, ``offers``/``offer`` and
``offerUpdated``. Business rules live in ``resolvers/offers.py``."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import date, datetime
from typing import Annotated, Any

import strawberry

from graph.context import Info
from graph.types.accounts import Company, User
from graph.types.chat import Conversation
from graph.types.common import (
    Connection,
    Node,
    UserError,
    describe_enum,
    model_type,
    user_errors,
)
from graph.types.node import register_node
from graph.types.profiles.types import RemotePreference, SalaryPeriod
from models import offers as m
from resolvers import offers as rules
from resolvers.chat import without_blocked
from resolvers.errors import UserErrors
from resolvers.ids import parse_global_id, to_global_id
from resolvers.accounts.loaders import companies_by_id, users_by_id
from resolvers.chat.loaders import (
    candidate_access_by_viewer_and_user,
    conversations_by_id,
)
from resolvers.offers.loaders import offers_by_id, versions_by_offer_id
from subscriptions.offers import offer_updates

# --- enums --------------------------------------------------------------------------

OfferStatus = describe_enum(
    m.OfferStatus, "OfferStatus",
    "Where an offer is in its lifecycle: SENT → ACCEPTED | DECLINED | COUNTERED | WITHDRAWN | EXPIRED | CLOSED; COUNTERED → SENT (revised) | WITHDRAWN | CLOSED.",
    {
        "SENT": "Waiting for the candidate to accept, decline or counter (until `expiresAt`, if set).",
        "ACCEPTED": "The candidate accepted the current version: the hire is done. Final.",
        "DECLINED": "The candidate declined. Final.",
        "COUNTERED": "The candidate proposed other terms (the current version); the company may revise or withdraw.",
        "WITHDRAWN": "The company withdrew the offer. Final.",
        "EXPIRED": "`expiresAt` passed while the offer was SENT. Final.",
        "CLOSED": "The candidate deleted their account while the offer was SENT or COUNTERED: nobody can answer it any more. Final. (Not WITHDRAWN: the company did not withdraw it.)",
    },
)
OfferSide = describe_enum(
    m.OfferSide, "OfferSide", "A party to an offer.",
    {"COMPANY": "The company (any of its members).", "CANDIDATE": "The candidate the offer is made to."},
)
OfferTerm = describe_enum(
    rules.OfferTerm, "OfferTerm", "One term of an offer, as listed in `OfferVersion.changedFields`.",
    {
        "TITLE": "The job title.",
        "DESCRIPTION": "The description.",
        "SALARY_AMOUNT": "The salary amount.",
        "SALARY_CURRENCY": "The salary currency.",
        "SALARY_PERIOD": "The period the salary is paid for.",
        "EQUITY": "The equity part.",
        "LOCATION": "The place of work.",
        "REMOTE_PREFERENCE": "On site, hybrid or remote.",
        "START_DATE": "The start date.",
        "EXPIRES_AT": "When the offer expires.",
    },
)
OfferChange = describe_enum(
    rules.OfferChange, "OfferChange", "What happened to an offer (`offerUpdated`).",
    {
        "EXTENDED": "The company extended a new offer.",
        "COUNTERED": "The candidate countered: a new version, status COUNTERED.",
        "REVISED": "The company revised the terms: a new version, status SENT.",
        "ACCEPTED": "The candidate accepted.",
        "DECLINED": "The candidate declined.",
        "WITHDRAWN": "The company withdrew the offer.",
        "EXPIRED": "The offer passed its `expiresAt` while SENT.",
        "CANDIDATE_HIRED_ELSEWHERE": "The candidate accepted another offer; this one keeps its status.",
        "CLOSED": "The candidate deleted their account; the open offer is now CLOSED.",
    },
)


# --- object types -------------------------------------------------------------------

@strawberry.type(description="Pay offered: an amount in one currency per period.")
class OfferSalary:
    amount: int = strawberry.field(description="Amount, 1–1,000,000,000, in whole units of the currency.")
    currency: str = strawberry.field(description="ISO 4217 code such as EUR.")
    period: SalaryPeriod = strawberry.field(description="What the amount is paid for.")  # type: ignore[valid-type]


@strawberry.type(description="The terms of an offer at one version. Version 1 is the company's first offer; each counter (by the candidate) or revision (by the company) adds one.")
@model_type(m.OfferVersion)
class OfferVersion:
    number: int = strawberry.field(description="Version number, 1, 2, 3 … in order.")
    author_side: OfferSide = strawberry.field(description="Who proposed these terms.")  # type: ignore[valid-type]
    title: str = strawberry.field(description="Job title, 1–120 characters.")
    description: str = strawberry.field(description="Description of the job and the offer, at most 10,000 characters; may be empty.")
    equity: str | None = strawberry.field(description="Equity part in words (such as \"0.1% over 4 years\"), at most 200 characters.")
    location: str | None = strawberry.field(description="Place of work, at most 200 characters.")
    remote_preference: RemotePreference | None = strawberry.field(description="On site, hybrid or remote.")  # type: ignore[valid-type]
    start_date: date | None = strawberry.field(description="Proposed first working day.")
    expires_at: datetime | None = strawberry.field(description="Until when the candidate can answer this version; null for no deadline.")
    created_at: datetime = strawberry.field(description="When this version was made.")

    @strawberry.field(description="Salary offered.")
    def salary(self) -> OfferSalary:
        return OfferSalary(amount=self.salary_amount, currency=self.salary_currency, period=self.salary_period)  # type: ignore[attr-defined]

    @strawberry.field(description="Terms that differ from the version before; empty for version 1.")
    def changed_fields(self) -> list[OfferTerm]:  # type: ignore[valid-type]
        return [rules.OfferTerm(value) for value in self.changed_fields]  # type: ignore[attr-defined]


@strawberry.type(description="A job offer from a company to a candidate, made inside their conversation. Only the two parties can read it.")
@model_type(m.Offer)
class Offer(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Offer", self.pk))  # type: ignore[attr-defined]

    status: OfferStatus = strawberry.field(description="Lifecycle status; an offer past `expiresAt` reads as EXPIRED.")  # type: ignore[valid-type]
    expires_at: datetime | None = strawberry.field(description="Deadline of the current version while SENT; null for none.")
    decline_reason: str | None = strawberry.field(description="The candidate's reason for declining, at most 1,000 characters, if given.")
    candidate_hired_elsewhere_at: datetime | None = strawberry.field(description="When the candidate accepted another offer while this one was open; null otherwise.")
    created_at: datetime = strawberry.field(description="When the offer was extended.")
    updated_at: datetime = strawberry.field(description="When the offer last changed.")

    @strawberry.field(description="Number of the current version; name it in `acceptOffer`.")
    def version_number(self) -> int:
        return self.current_version  # type: ignore[attr-defined]

    @strawberry.field(description="True when the candidate accepted another offer while this one was open (its status is kept).")
    def candidate_hired_elsewhere(self) -> bool:
        return self.candidate_hired_elsewhere_at is not None

    @strawberry.field(description="The conversation the offer was made in; its system messages tell the offer's story.")
    async def conversation(self, info: Info) -> Conversation:
        return await info.context.loaders(conversations_by_id).load(self.conversation_id)  # type: ignore[attr-defined, return-value]

    @strawberry.field(description="The viewer's side of the offer.")
    def viewer_side(self, info: Info) -> OfferSide:  # type: ignore[valid-type]
        side = rules.side_of_offer(info.context.viewer, self)  # type: ignore[arg-type]
        assert side is not None  # only parties ever reach an Offer
        return side

    @strawberry.field(description="The company making the offer.")
    async def company(self, info: Info) -> Company:
        return await info.context.loaders(companies_by_id).load(self.company_id)  # type: ignore[attr-defined, return-value]

    @strawberry.field(
        description="The candidate. Passes the same visibility, block and anonymity rules as every path to a profile: null when the viewer may not see who it is."
    )
    async def candidate(self, info: Info) -> User | None:
        viewer = info.context.viewer
        candidate_id = self.candidate_id  # type: ignore[attr-defined]
        if viewer is None:
            return None
        access = await info.context.loaders(candidate_access_by_viewer_and_user).load((viewer.pk, candidate_id))
        if access is None or not (access.visible and access.identity):
            return None
        user = await info.context.loaders(users_by_id).load(candidate_id)
        return user if user is not None and user.deleted_at is None else None  # type: ignore[return-value]

    @strawberry.field(description="The current terms.")
    async def current_version(self, info: Info) -> OfferVersion:
        versions = await info.context.loaders(versions_by_offer_id).load(self.pk)  # type: ignore[attr-defined]
        return next(v for v in versions if v.number == self.current_version)  # type: ignore[attr-defined]

    @strawberry.field(description="Every version, oldest first, each with the terms it changed.")
    async def versions(self, info: Info) -> list[OfferVersion]:
        return await info.context.loaders(versions_by_offer_id).load(self.pk)  # type: ignore[attr-defined, return-value]


async def _resolve_offers(info: Info, ids: list[int]) -> list[m.Offer | None]:
    viewer = info.context.viewer
    offers = await info.context.loaders(offers_by_id).load_many(ids)
    parties = [o if o is not None and rules.side_of_offer(viewer, o) is not None else None for o in offers]
    visible = await without_blocked(viewer, parties)  # a block closes the company's side
    await rules.expire_due(info.context.broker, visible)
    return visible


register_node("Offer", _resolve_offers)


@strawberry.type(description="What happened to an offer, and the offer as it is now.")
class OfferUpdate:
    change: OfferChange = strawberry.field(description="What happened.")  # type: ignore[valid-type]
    offer: Offer = strawberry.field(description="The offer after the change, read afresh.")


# --- inputs -------------------------------------------------------------------------

@strawberry.input(description="Pay: an amount in one currency per period.")
class OfferSalaryInput:
    amount: int = strawberry.field(
        description=(
            "1–1,000,000,000, in whole units of the currency. An offer or revision below the candidate's desired "
            "minimum (compared per year and across currencies with the shipped ECB reference rates) is refused "
            "with BELOW_CANDIDATE_FLOOR; NO_EXCHANGE_RATE when a currency has no rate."
        )
    )
    currency: str = strawberry.field(description="ISO 4217 code such as EUR (any case).")
    period: SalaryPeriod = strawberry.field(description="What the amount is paid for.")  # type: ignore[valid-type]


@strawberry.input(description="The terms of a new offer.")
class OfferTermsInput:
    title: str = strawberry.field(description="Job title, 1–120 characters.")
    salary: OfferSalaryInput = strawberry.field(description="Pay offered.")
    description: str = strawberry.field(default="", description="At most 10,000 characters.")
    equity: str | None = strawberry.field(default=None, description="Equity in words, at most 200 characters.")
    location: str | None = strawberry.field(default=None, description="Place of work, at most 200 characters.")
    remote_preference: RemotePreference | None = strawberry.field(default=None, description="On site, hybrid or remote.")  # type: ignore[valid-type]
    start_date: date | None = strawberry.field(default=None, description="First working day: today or later.")
    expires_at: datetime | None = strawberry.field(default=None, description="Deadline to answer, with a time zone, in the future; omit for none.")


@strawberry.input(description="Changed terms: only the fields given change; null clears an optional term.")
class OfferTermsChangeInput:
    title: str | None = strawberry.field(default=strawberry.UNSET, description="Job title, 1–120 characters (not null).")
    salary: OfferSalaryInput | None = strawberry.field(default=strawberry.UNSET, description="Pay (not null).")
    description: str | None = strawberry.field(default=strawberry.UNSET, description="At most 10,000 characters; null empties it.")
    equity: str | None = strawberry.field(default=strawberry.UNSET, description="At most 200 characters; null clears it.")
    location: str | None = strawberry.field(default=strawberry.UNSET, description="At most 200 characters; null clears it.")
    remote_preference: RemotePreference | None = strawberry.field(default=strawberry.UNSET, description="On site, hybrid or remote; null clears it.")  # type: ignore[valid-type]
    start_date: date | None = strawberry.field(default=strawberry.UNSET, description="Today or later; null clears it.")
    expires_at: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="Company only (reviseOffer): new deadline in the future; null for none. Kept when omitted."
    )


def _changes(terms: OfferTermsChangeInput) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in ("title", "description", "equity", "location", "remote_preference", "start_date", "expires_at"):
        value = getattr(terms, name)
        if value is not strawberry.UNSET:
            changes[name] = value
    if "description" in changes and changes["description"] is None:
        changes["description"] = ""
    if "title" in changes and changes["title"] is None:
        changes["title"] = ""  # reported as REQUIRED
    if terms.salary is not strawberry.UNSET and terms.salary is not None:
        changes.update(
            salary_amount=terms.salary.amount, salary_currency=terms.salary.currency, salary_period=terms.salary.period
        )
    elif terms.salary is None:
        changes["salary_amount"] = 0  # reported as OUT_OF_RANGE
    return changes


@strawberry.input(description="A new offer in a conversation the candidate accepted.")
class ExtendOfferInput:
    conversation_id: strawberry.ID = strawberry.field(description="The conversation (a `Conversation` ID).")
    terms: OfferTermsInput = strawberry.field(description="The terms (version 1).")


@strawberry.input(description="Accept the current version of an offer.")
class AcceptOfferInput:
    offer_id: strawberry.ID = strawberry.field(description="The offer.")
    version_number: int = strawberry.field(description="The version you accept; it must be the current one, else STALE_VERSION.")


@strawberry.input(description="Decline an offer.")
class DeclineOfferInput:
    offer_id: strawberry.ID = strawberry.field(description="The offer.")
    reason: str | None = strawberry.field(default=None, description="Why, at most 1,000 characters; the company sees it.")
    version_number: int | None = strawberry.field(default=None, description="If given, the version you answer; STALE_VERSION when it is not the current one.")


@strawberry.input(description="The candidate proposes other terms.")
class CounterOfferInput:
    offer_id: strawberry.ID = strawberry.field(description="The offer.")
    terms: OfferTermsChangeInput = strawberry.field(description="The terms you want changed (not expiresAt); at least one must differ.")
    version_number: int | None = strawberry.field(default=None, description="If given, the version you answer; STALE_VERSION when it is not the current one.")


@strawberry.input(description="The company changes the terms (answering a counter, or of a SENT offer).")
class ReviseOfferInput:
    offer_id: strawberry.ID = strawberry.field(description="The offer.")
    terms: OfferTermsChangeInput = strawberry.field(description="The terms to change; at least one must differ.")
    version_number: int | None = strawberry.field(default=None, description="If given, the version you answer; STALE_VERSION when it is not the current one.")


@strawberry.input(description="The company withdraws an open offer.")
class WithdrawOfferInput:
    offer_id: strawberry.ID = strawberry.field(description="The offer.")
    version_number: int | None = strawberry.field(default=None, description="If given, the version you withdraw; STALE_VERSION when it is not the current one.")


@strawberry.type(description="Result of `extendOffer`.")
class ExtendOfferPayload:
    offer: Offer | None = strawberry.field(description="The offer extended; null when `userErrors` is not empty.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of `acceptOffer`.")
class AcceptOfferPayload:
    offer: Offer | None = strawberry.field(description="The offer accepted; null when `userErrors` is not empty.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of `declineOffer`.")
class DeclineOfferPayload:
    offer: Offer | None = strawberry.field(description="The offer declined; null when `userErrors` is not empty.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of `counterOffer`.")
class CounterOfferPayload:
    offer: Offer | None = strawberry.field(description="The offer countered; null when `userErrors` is not empty.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of `reviseOffer`.")
class ReviseOfferPayload:
    offer: Offer | None = strawberry.field(description="The offer revised; null when `userErrors` is not empty.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of `withdrawOffer`.")
class WithdrawOfferPayload:
    offer: Offer | None = strawberry.field(description="The offer withdrawn; null when `userErrors` is not empty.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


def _offer_pk(value: strawberry.ID) -> int | None:
    """Primary key of an Offer ID; ``None`` for another type's ID (same as not found)."""
    type_name, pk = parse_global_id(str(value))
    return pk if type_name == "Offer" else None


def _conversation_pk(value: strawberry.ID) -> int | None:
    type_name, pk = parse_global_id(str(value))
    return pk if type_name == "Conversation" else None


# --- roots --------------------------------------------------------------------------

@strawberry.type
class OffersQuery:
    @strawberry.field(
        description="The viewer's offers, newest first: a candidate's offers received, an employer's company's offers. `first` at most 100, default 20."
    )
    async def offers(
        self,
        info: Info,
        status: Annotated[OfferStatus | None, strawberry.argument(description="Only offers with this status.")] = None,  # type: ignore[valid-type]
        first: Annotated[int | None, strawberry.argument(description="Page size, 0–100, default 20.")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor of the last offer of the previous page.")] = None,
    ) -> Connection[Offer]:
        viewer = info.context.require_viewer()
        page = await rules.offers_page(info.context.broker, viewer, status=status, first=first, after=after)
        return Connection[Offer].from_page(page)  # type: ignore[return-value]

    @strawberry.field(description="One offer; null when it does not exist or the viewer is not party to it.")
    async def offer(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="An `Offer` ID.")]
    ) -> Offer | None:
        pk = _offer_pk(id)
        if pk is None:
            return None
        return await rules.offer_for(info.context.broker, info.context.viewer, pk)  # type: ignore[return-value]


async def _transition(info: Info, payload: type, offer_id: strawberry.ID, action: rules.Action, **kwargs: Any) -> Any:
    viewer = info.context.require_viewer()
    try:
        offer = await rules.transition(info.context.broker, viewer, _offer_pk(offer_id), action, **kwargs)
    except UserErrors as exc:
        return payload(offer=None, user_errors=user_errors(exc))
    return payload(offer=offer, user_errors=[])


@strawberry.type
class OffersMutation:
    @strawberry.mutation(
        description="A member of the company offers terms to the candidate of a conversation the candidate accepted (CONVERSATION_NOT_ACCEPTED otherwise). Posts a system message in the conversation. At most `OFFERS_PER_HOUR` (default 20) offers per company per hour (RATE_LIMITED error)."
    )
    async def extend_offer(
        self, info: Info, input: Annotated[ExtendOfferInput, strawberry.argument(description="Conversation and terms.")]
    ) -> ExtendOfferPayload:
        viewer = info.context.require_viewer()
        t = input.terms
        terms = rules.Terms(
            title=t.title, description=t.description, salary_amount=t.salary.amount, salary_currency=t.salary.currency,
            salary_period=t.salary.period, equity=t.equity, location=t.location, remote_preference=t.remote_preference,
            start_date=t.start_date, expires_at=t.expires_at,
        )
        try:
            offer = await rules.extend_offer(
                info.context.settings, info.context.broker, viewer, _conversation_pk(input.conversation_id), terms
            )
        except UserErrors as exc:
            return ExtendOfferPayload(offer=None, user_errors=user_errors(exc))
        return ExtendOfferPayload(offer=offer, user_errors=[])

    @strawberry.mutation(
        description="The candidate accepts the current version of a SENT offer: the hire is done. In one transaction the offer becomes ACCEPTED, the candidate's profile HIRED, a system message is posted, and every other open offer to the candidate is marked `candidateHiredElsewhere`. Errors: STALE_VERSION, INVALID_TRANSITION, OFFER_EXPIRED."
    )
    async def accept_offer(
        self, info: Info, input: Annotated[AcceptOfferInput, strawberry.argument(description="Offer and version.")]
    ) -> AcceptOfferPayload:
        return await _transition(info, AcceptOfferPayload, input.offer_id, rules.Action.ACCEPT, version_number=input.version_number)

    @strawberry.mutation(description="The candidate declines a SENT offer, optionally saying why.")
    async def decline_offer(
        self, info: Info, input: Annotated[DeclineOfferInput, strawberry.argument(description="Offer and reason.")]
    ) -> DeclineOfferPayload:
        return await _transition(
            info, DeclineOfferPayload, input.offer_id, rules.Action.DECLINE, version_number=input.version_number, reason=input.reason
        )

    @strawberry.mutation(description="The candidate proposes changed terms to a SENT offer: a new version by the candidate, status COUNTERED.")
    async def counter_offer(
        self, info: Info, input: Annotated[CounterOfferInput, strawberry.argument(description="Offer and changed terms.")]
    ) -> CounterOfferPayload:
        return await _transition(
            info, CounterOfferPayload, input.offer_id, rules.Action.COUNTER, version_number=input.version_number, changes=_changes(input.terms)
        )

    @strawberry.mutation(description="The company answers a counter, or changes the terms of a SENT offer: a new version by the company, status SENT.")
    async def revise_offer(
        self, info: Info, input: Annotated[ReviseOfferInput, strawberry.argument(description="Offer and changed terms.")]
    ) -> ReviseOfferPayload:
        return await _transition(
            info, ReviseOfferPayload, input.offer_id, rules.Action.REVISE, version_number=input.version_number, changes=_changes(input.terms)
        )

    @strawberry.mutation(description="The company withdraws a SENT or COUNTERED offer.")
    async def withdraw_offer(
        self, info: Info, input: Annotated[WithdrawOfferInput, strawberry.argument(description="The offer.")]
    ) -> WithdrawOfferPayload:
        return await _transition(info, WithdrawOfferPayload, input.offer_id, rules.Action.WITHDRAW, version_number=input.version_number)


@strawberry.type
class OffersSubscription:
    @strawberry.subscription(
        description="Changes of every offer the viewer is party to (a candidate's offers, an employer's company's): new offers, new versions, status changes, the candidate hired elsewhere. Sign in first."
    )
    async def offer_updated(self, info: Info) -> AsyncGenerator[OfferUpdate, None]:
        info.context.require_viewer()
        session = info.context.session
        assert session is not None
        async for change, offer in offer_updates(info.context.broker, session):
            info.context.loaders = info.context.fresh_loaders()
            yield OfferUpdate(change=change, offer=offer)  # type: ignore[arg-type]
