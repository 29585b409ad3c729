"""Offers' root operations: ``offers``/``offer``, the six offer mutations and
``offerUpdated``. Each mutation is its rule call in ``resolvers.offers``,
declared with ``payload_mutation``."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from graph.context import Info
from graph.types.common import Connection, pk_of
from graph.types.mutations import payload_mutation
from graph.types.offers.inputs import (
    AcceptOfferInput,
    AcceptOfferPayload,
    CounterOfferInput,
    CounterOfferPayload,
    DeclineOfferInput,
    DeclineOfferPayload,
    ExtendOfferInput,
    ExtendOfferPayload,
    ReviseOfferInput,
    ReviseOfferPayload,
    WithdrawOfferInput,
    WithdrawOfferPayload,
)
from graph.types.offers.types import Offer, OfferStatus, OfferUpdate
from resolvers import offers as rules
from subscriptions.offers import offer_updates


@strawberry.type
class OffersQuery:
    @strawberry.field(
        description="The viewer's offers, newest first: a candidate's offers received, an employer's company's offers. `first` at most 100, default 20."
    )
    async def offers(
        self,
        info: Info,
        status: Annotated[OfferStatus | None, strawberry.argument(description="Only offers with this status.")] = None,
        first: Annotated[int | None, strawberry.argument(description="Page size, 0–100, default 20.")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor of the last offer of the previous page.")] = None,
    ) -> Connection[Offer]:
        viewer = info.context.require_viewer()
        page = await rules.offers_page(info.context.broker, viewer, status=status, first=first, after=after)
        return Connection[Offer].from_page(page)

    @strawberry.field(description="One offer; null when it does not exist or the viewer is not party to it.")
    async def offer(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="An `Offer` ID.")]
    ) -> Offer | None:
        pk = pk_of(id, "Offer")
        if pk is None:
            return None
        return await rules.offer_for(info.context.broker, info.context.viewer, pk)  # type: ignore[return-value]  # a models.offers row resolves as Offer (model_type)


@strawberry.type
class OffersMutation:
    extend_offer = payload_mutation(
        description="A member of the company offers terms to the candidate of a conversation the candidate accepted (CONVERSATION_NOT_ACCEPTED otherwise). Posts a system message in the conversation. At most `OFFERS_PER_HOUR` (default 20) offers per company per hour (RATE_LIMITED error).",
        input=(ExtendOfferInput, "Conversation and terms."),
        payload=ExtendOfferPayload,
        field="offer",
        rule=lambda c, input: rules.extend_offer(
            c.settings, c.broker, c.require_viewer(), pk_of(input.conversation_id, "Conversation"), input.terms.as_terms(),
            role_id=(pk_of(input.role_id, "HiringRole") or 0) if input.role_id is not None else None,
        ),
    )
    accept_offer = payload_mutation(
        description="The candidate accepts the current version of a SENT offer: the hire is done. In one transaction the offer becomes ACCEPTED, the candidate's profile HIRED, a system message is posted, and every other open offer to the candidate is marked `candidateHiredElsewhere`. Errors: STALE_VERSION, INVALID_TRANSITION, OFFER_EXPIRED.",
        input=(AcceptOfferInput, "Offer and version."),
        payload=AcceptOfferPayload,
        field="offer",
        rule=lambda c, input: rules.transition(
            c.broker, c.require_viewer(), pk_of(input.offer_id, "Offer"), rules.Action.ACCEPT, version_number=input.version_number
        ),
    )
    decline_offer = payload_mutation(
        description="The candidate declines a SENT offer, optionally saying why.",
        input=(DeclineOfferInput, "Offer and reason."),
        payload=DeclineOfferPayload,
        field="offer",
        rule=lambda c, input: rules.transition(
            c.broker, c.require_viewer(), pk_of(input.offer_id, "Offer"), rules.Action.DECLINE,
            version_number=input.version_number, reason=input.reason,
        ),
    )
    counter_offer = payload_mutation(
        description="The candidate proposes changed terms to a SENT offer: a new version by the candidate, status COUNTERED.",
        input=(CounterOfferInput, "Offer and changed terms."),
        payload=CounterOfferPayload,
        field="offer",
        rule=lambda c, input: rules.transition(
            c.broker, c.require_viewer(), pk_of(input.offer_id, "Offer"), rules.Action.COUNTER,
            version_number=input.version_number, changes=input.terms.changes(),
        ),
    )
    revise_offer = payload_mutation(
        description="The company answers a counter, or changes the terms of a SENT offer: a new version by the company, status SENT.",
        input=(ReviseOfferInput, "Offer and changed terms."),
        payload=ReviseOfferPayload,
        field="offer",
        rule=lambda c, input: rules.transition(
            c.broker, c.require_viewer(), pk_of(input.offer_id, "Offer"), rules.Action.REVISE,
            version_number=input.version_number, changes=input.terms.changes(),
        ),
    )
    withdraw_offer = payload_mutation(
        description="The company withdraws a SENT or COUNTERED offer.",
        input=(WithdrawOfferInput, "The offer."),
        payload=WithdrawOfferPayload,
        field="offer",
        rule=lambda c, input: rules.transition(
            c.broker, c.require_viewer(), pk_of(input.offer_id, "Offer"), rules.Action.WITHDRAW, version_number=input.version_number
        ),
    )


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
            yield OfferUpdate(change=change, offer=offer)  # type: ignore[arg-type]  # a models.offers row resolves as Offer (model_type)
