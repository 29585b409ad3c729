"""Offer events on the broker: ids only, published after commit.

Channels: ``offers:user:<candidate user id>`` and ``offers:company:<company id>``; every
event goes to both. Event: ``{"type": "offer", "offerId": …, "change": OfferChange}``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from enum import Enum
from typing import Any

from models.chat import Message
from models.offers import Offer
from resolvers.chat import publish_message
from resolvers.events import Publisher, candidate_offers_channel, company_offers_channel

logger = logging.getLogger("openforwork.offers")


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
        try:
            await broker.publish_many(
                (candidate_offers_channel(offer.candidate_id), company_offers_channel(offer.company_id)),
                offer_event(offer, change),
            )
        except Exception:
            logger.exception("could not publish %s for offer %s", change.value, offer.pk)
