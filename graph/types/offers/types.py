"""Offers' object types and enums: ``Offer``, ``OfferVersion``, ``OfferSalary``,
``OfferUpdate``, and ``node(id:)`` for offers.

Objects resolve straight from ``models.offers`` rows: each resolver takes the row as
``root``. What a field reads, and whether the viewer may see it, is decided in
``resolvers.offers``; this module only maps.

The enums are the model and resolver enums themselves: ``describe_enum`` registers each
as a GraphQL enum in place, so the names below are plain aliases a type checker accepts.
"""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from graph.context import Info
from graph.types.accounts import Company, User
from graph.types.chat import Conversation
from graph.types.common import Node, describe_enum, model_type
from graph.types.node import register_node
from graph.types.profiles.types import RemotePreference, SalaryPeriod
from models import offers as m
from resolvers import offers as rules
from resolvers.ids import to_global_id

OfferStatus = m.OfferStatus
describe_enum(
    OfferStatus, "OfferStatus",
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
OfferSide = m.OfferSide
describe_enum(
    OfferSide, "OfferSide", "A party to an offer.",
    {"COMPANY": "The company (any of its members).", "CANDIDATE": "The candidate the offer is made to."},
)
OfferTerm = rules.OfferTerm
describe_enum(
    OfferTerm, "OfferTerm", "One term of an offer, as listed in `OfferVersion.changedFields`.",
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
OfferChange = rules.OfferChange
describe_enum(
    OfferChange, "OfferChange", "What happened to an offer (`offerUpdated`).",
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


@strawberry.type(description="Pay offered: an amount in one currency per period.")
class OfferSalary:
    amount: int = strawberry.field(description="Amount, 1–1,000,000,000, in whole units of the currency.")
    currency: str = strawberry.field(description="ISO 4217 code such as EUR.")
    period: SalaryPeriod = strawberry.field(description="What the amount is paid for.")  # type: ignore[valid-type]  # profiles' describe_enum value used as a type


@strawberry.type(description="The terms of an offer at one version. Version 1 is the company's first offer; each counter (by the candidate) or revision (by the company) adds one.")
@model_type(m.OfferVersion)
class OfferVersion:
    number: int = strawberry.field(description="Version number, 1, 2, 3 … in order.")
    author_side: OfferSide = strawberry.field(description="Who proposed these terms.")
    title: str = strawberry.field(description="Job title, 1–120 characters.")
    description: str = strawberry.field(description="Description of the job and the offer, at most 10,000 characters; may be empty.")
    equity: str | None = strawberry.field(description="Equity part in words (such as \"0.1% over 4 years\"), at most 200 characters.")
    location: str | None = strawberry.field(description="Place of work, at most 200 characters.")
    remote_preference: RemotePreference | None = strawberry.field(description="On site, hybrid or remote.")  # type: ignore[valid-type]  # profiles' describe_enum value used as a type
    start_date: date | None = strawberry.field(description="Proposed first working day.")
    expires_at: datetime | None = strawberry.field(description="Until when the candidate can answer this version; null for no deadline.")
    created_at: datetime = strawberry.field(description="When this version was made.")

    @strawberry.field(description="Salary offered.")
    def salary(self, root: m.OfferVersion) -> OfferSalary:
        return OfferSalary(amount=root.salary_amount, currency=root.salary_currency, period=root.salary_period)

    @strawberry.field(description="Terms that differ from the version before; empty for version 1.")
    def changed_fields(self, root: m.OfferVersion) -> list[OfferTerm]:
        return [OfferTerm(value) for value in root.changed_fields]


@strawberry.type(description="A job offer from a company to a candidate, made inside their conversation. Only the two parties can read it.")
@model_type(m.Offer)
class Offer(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self, root: m.Offer) -> strawberry.ID:
        return strawberry.ID(to_global_id("Offer", root.pk))

    status: OfferStatus = strawberry.field(description="Lifecycle status; an offer past `expiresAt` reads as EXPIRED.")
    expires_at: datetime | None = strawberry.field(description="Deadline of the current version while SENT; null for none.")
    decline_reason: str | None = strawberry.field(description="The candidate's reason for declining, at most 1,000 characters, if given.")
    candidate_hired_elsewhere_at: datetime | None = strawberry.field(description="When the candidate accepted another offer while this one was open; null otherwise.")
    created_at: datetime = strawberry.field(description="When the offer was extended.")
    updated_at: datetime = strawberry.field(description="When the offer last changed.")

    @strawberry.field(description="Number of the current version; name it in `acceptOffer`.")
    def version_number(self, root: m.Offer) -> int:
        return root.current_version

    @strawberry.field(description="True when the candidate accepted another offer while this one was open (its status is kept).")
    def candidate_hired_elsewhere(self, root: m.Offer) -> bool:
        return root.candidate_hired_elsewhere_at is not None

    @strawberry.field(description="The conversation the offer was made in; its system messages tell the offer's story.")
    async def conversation(self, root: m.Offer, info: Info) -> Conversation:
        return await rules.conversation_of(info.context.loaders, root)  # type: ignore[return-value]  # a models.chat row resolves as Conversation (model_type)

    @strawberry.field(description="The viewer's side of the offer.")
    def viewer_side(self, root: m.Offer, info: Info) -> OfferSide:
        side = rules.side_of_offer(info.context.viewer, root)
        assert side is not None  # only parties ever reach an Offer
        return side

    @strawberry.field(description="The company making the offer.")
    async def company(self, root: m.Offer, info: Info) -> Company:
        return await rules.company_of(info.context.loaders, root)  # type: ignore[return-value]  # a models.accounts row resolves as Company (model_type)

    @strawberry.field(
        description="The candidate. Passes the same visibility, block and anonymity rules as every path to a profile: null when the viewer may not see who it is."
    )
    async def candidate(self, root: m.Offer, info: Info) -> User | None:
        return await rules.candidate_of(info.context.loaders, info.context.viewer, root)  # type: ignore[return-value]  # a models.accounts row resolves as User (model_type)

    @strawberry.field(description="The current terms.")
    async def current_version(self, root: m.Offer, info: Info) -> OfferVersion:
        return await rules.current_version_of(info.context.loaders, root)  # type: ignore[return-value]  # a models.offers row resolves as OfferVersion (model_type)

    @strawberry.field(description="Every version, oldest first, each with the terms it changed.")
    async def versions(self, root: m.Offer, info: Info) -> list[OfferVersion]:
        return await rules.versions_of(info.context.loaders, root)  # type: ignore[return-value]  # models.offers rows resolve as OfferVersion (model_type)


@strawberry.type(description="What happened to an offer, and the offer as it is now.")
class OfferUpdate:
    change: OfferChange = strawberry.field(description="What happened.")
    offer: Offer = strawberry.field(description="The offer after the change, read afresh.")


async def _offers_by_node_id(info: Info, ids: list[int]) -> list[m.Offer | None]:
    return await rules.offers_for(info.context.loaders, info.context.broker, info.context.viewer, ids)


register_node("Offer", _offers_by_node_id)
