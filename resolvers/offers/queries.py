"""Reading offers, with expiry applied (``resolvers.offers.expiry``) and the same access
rule on every path: the ``offer``/``offers`` roots, ``node(id:)``, an update event, and
the fields of an offer (its candidate passes the profile privacy rule).

Field reads take the request's ``Loaders`` so a page of offers costs one query per
relation, whatever its size.
"""

from __future__ import annotations

from collections.abc import Sequence

from models.accounts import Company, User
from models.chat import Conversation
from models.offers import Offer, OfferStatus, OfferVersion
from resolvers.accounts.loaders import companies_by_id, users_by_id
from resolvers.chat import without_blocked
from resolvers.chat.loaders import candidate_access_by_viewer_and_user, conversations_by_id
from resolvers.events import Publisher
from resolvers.loading import Loaders
from resolvers.offers.access import party_to_offer, side_of_offer, visible_offers
from resolvers.offers.expiry import expire_due, expire_due_in
from resolvers.offers.loaders import offers_by_id, versions_by_offer_id
from resolvers.pagination import Page, newest_page


async def offer_for(broker: Publisher, viewer: User | None, offer_id: int) -> Offer | None:
    """The offer if the viewer is party to it (expiry applied), else ``None``."""
    offer = await Offer.get_or_none(id=offer_id)
    if offer is None or await party_to_offer(viewer, offer) is None:
        return None
    await expire_due(broker, [offer])
    return offer


async def offers_for(loaders: Loaders, broker: Publisher, viewer: User | None, ids: Sequence[int]) -> list[Offer | None]:
    """``offer_for`` in a batch (``node``/``nodes``): the offers in ``ids`` order, ``None``
    where the viewer is not party or the candidate blocks the viewer's company."""
    offers = await loaders(offers_by_id).load_many(list(ids))
    parties = [o if o is not None and side_of_offer(viewer, o) is not None else None for o in offers]
    visible = await without_blocked(viewer, parties)
    await expire_due(broker, visible)
    return visible


async def offers_page(
    broker: Publisher,
    viewer: User,
    *,
    status: OfferStatus | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Page[Offer]:
    """The viewer's offers, newest first; due offers expire first, so they list as EXPIRED."""
    rows = await visible_offers(viewer)
    return await newest_page(rows, refresh=lambda due: expire_due_in(broker, due), status=status, first=first, after=after)


# --- An offer's fields (the viewer is party to the offer) ----------------------------

async def conversation_of(loaders: Loaders, offer: Offer) -> Conversation | None:
    """The conversation the offer was made in (a party to the offer takes part in it)."""
    return await loaders(conversations_by_id).load(offer.conversation_id)


async def company_of(loaders: Loaders, offer: Offer) -> Company | None:
    return await loaders(companies_by_id).load(offer.company_id)


async def candidate_of(loaders: Loaders, viewer: User | None, offer: Offer) -> User | None:
    """The candidate, if the profile privacy rule lets the viewer see who it is (the
    same rule as every path to a person); ``None`` for a deleted account."""
    if viewer is None:
        return None
    access = await loaders(candidate_access_by_viewer_and_user).load((viewer.pk, offer.candidate_id))
    if access is None or not (access.visible and access.identity):
        return None
    user = await loaders(users_by_id).load(offer.candidate_id)
    return user if user is not None and user.deleted_at is None else None


async def versions_of(loaders: Loaders, offer: Offer) -> list[OfferVersion]:
    """Every version of the offer, oldest first."""
    return await loaders(versions_by_offer_id).load(offer.pk)


async def current_version_of(loaders: Loaders, offer: Offer) -> OfferVersion:
    return next(v for v in await versions_of(loaders, offer) if v.number == offer.current_version)
