"""What is announced after an offer changes: ids only, published after commit.

Every event goes to both sides' channels (``resolvers.events``: the candidate's
``offers:user:<id>`` and the company's ``offers:company:<id>``). Event:
``{"type": "offer", "offerId": …, "change": OfferChange}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any

from models.chat import Message
from models.offers import Offer
from resolvers.chat import publish_message
from resolvers.events import Publisher, candidate_offers_channel, company_offers_channel, publish_after_commit


class OfferChange(str, Enum):
    """What an ``offer`` event announces."""

    EXTENDED = "EXTENDED"
    COUNTERED = "COUNTERED"
    REVISED = "REVISED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    WITHDRAWN = "WITHDRAWN"
    EXPIRED = "EXPIRED"
    CANDIDATE_HIRED_ELSEWHERE = "CANDIDATE_HIRED_ELSEWHERE"
    CLOSED = "CLOSED"


def offer_event(offer: Offer, change: OfferChange) -> dict[str, Any]:
    return {"type": "offer", "offerId": offer.pk, "change": change.value}


async def publish_offer_events(
    broker: Publisher, changes: Iterable[tuple[Offer, OfferChange]], messages: Iterable[Message] = ()
) -> None:
    """After commit: the system messages into chat, then the offer events. A broker
    failure is logged, never raised (the rows are committed; clients re-read)."""
    for message in messages:
        await publish_message(broker, message)
    for offer, change in changes:
        await publish_after_commit(
            broker,
            (candidate_offers_channel(offer.candidate_id), company_offers_channel(offer.company_id)),
            offer_event(offer, change),
        )
