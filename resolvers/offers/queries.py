"""Reading offers, with expiry applied: a SENT offer past ``expiresAt`` is persisted as
EXPIRED by the read that notices it (and announced)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from tortoise.queryset import QuerySet

from models.accounts import User
from models.offers import Offer, OfferStatus
from resolvers.events import Publisher
from resolvers.offers.access import party_to_offer, visible_offers
from resolvers.offers.events import OfferChange, publish_offer_events
from resolvers.pagination import Page, SortKey, keyset_page

OFFER_ORDER = (SortKey("id", descending=True),)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def is_due(offer: Offer, now: datetime) -> bool:
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


# --- Reading -------------------------------------------------------------------------

async def offer_for(broker: Publisher, viewer: User | None, offer_id: int) -> Offer | None:
    """The offer if the viewer is party to it (expiry applied), else ``None``."""
    offer = await Offer.get_or_none(id=offer_id)
    if offer is None or await party_to_offer(viewer, offer) is None:
        return None
    await expire_due(broker, [offer])
    return offer


async def offers_page(
    broker: Publisher,
    viewer: User,
    *,
    status: OfferStatus | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Page[Offer]:
    """The viewer's offers, newest first (keyset by id)."""
    queryset = await visible_offers(viewer)
    await expire_due_in(broker, queryset)
    if status is not None:
        queryset = queryset.filter(status=status)
    return await keyset_page(queryset, OFFER_ORDER, first=first, after=after)
