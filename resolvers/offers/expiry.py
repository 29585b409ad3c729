"""Expiry: a SENT offer past ``expiresAt`` is persisted as EXPIRED by the read or the
transition that notices it, and announced once (by the call whose update won)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from tortoise.queryset import QuerySet

from models.offers import Offer, OfferStatus
from resolvers.events import Publisher
from resolvers.offers.events import OfferChange, publish_offer_events


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def is_due(offer: Offer, now: datetime) -> bool:
    """Only a SENT offer expires: while the candidate's counter is pending, the company
    holds the ball."""
    return offer.status == OfferStatus.SENT and offer.expires_at is not None and offer.expires_at <= now


async def expire_due(broker: Publisher, offers: Iterable[Offer | None], now: datetime | None = None) -> None:
    """Persist ``EXPIRED`` for every ``SENT`` offer past its ``expiresAt`` (updating the
    instances too) and announce the ones this call expired."""
    now = now or utcnow()
    expired: list[tuple[Offer, OfferChange]] = []
    for offer in offers:
        if offer is None or not is_due(offer, now):
            continue
        changed = await Offer.filter(
            id=offer.pk, status=OfferStatus.SENT, current_version=offer.current_version, expires_at__lte=now
        ).update(status=OfferStatus.EXPIRED, updated_at=now)
        offer.status = OfferStatus.EXPIRED
        if changed:
            offer.updated_at = now
            expired.append((offer, OfferChange.EXPIRED))
    await publish_offer_events(broker, expired)


async def expire_due_in(broker: Publisher, queryset: QuerySet[Offer]) -> None:
    """``expire_due`` for every due offer of ``queryset`` (before listing it by status)."""
    now = utcnow()
    due = await queryset.filter(status=OfferStatus.SENT, expires_at__lte=now)
    if due:
        await expire_due(broker, due, now)
