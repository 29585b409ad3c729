"""Offer-expiry warnings (a scheduled job, ``resolvers/scheduler``): the candidate gets one
``OFFER_EXPIRING`` notification when a SENT offer expires within ``WARN_HOURS``, once per
offer version (a revision with a new ``expiresAt`` warns again; the ``dedupe_key`` names
the version). It is mailed as the candidate chose for that kind (INSTANT by default)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from models.offers import Offer, OfferStatus
from resolvers.notifications.events import publish_notifications
from resolvers.notifications.triggers import offer_expiring

if TYPE_CHECKING:
    from resolvers.scheduler.registry import JobRun

WARN_HOURS = 48


async def warn_expiring_offers(run: JobRun) -> int:
    """The job: warn every candidate whose open offer expires within ``WARN_HOURS``."""
    offers = await Offer.filter(
        status=OfferStatus.SENT, expires_at__gt=run.now, expires_at__lte=run.now + timedelta(hours=WARN_HOURS)
    )
    warned = 0
    for offer in offers:
        async with in_transaction():
            notified = await offer_expiring(offer)
        await publish_notifications(run.publisher, notified)
        warned += len(notified)
    return warned
