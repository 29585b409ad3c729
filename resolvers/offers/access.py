"""Who is party to an offer: its candidate, and every member of its company. Everyone
else reads nothing, exactly as if the offer did not exist."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from models.accounts import User
from models.offers import Offer, OfferSide
from resolvers.chat.access import company_blocked, party_rows, party_side
from resolvers.errors import UserErrorCode, UserErrors


def side_of_offer(viewer: User | None, offer: Offer) -> OfferSide | None:
    """The viewer's side of an offer, or ``None`` when they are not party to it."""
    side = party_side(viewer, company_id=offer.company_id, candidate_id=offer.candidate_id)
    return OfferSide(side.value) if side is not None else None


async def visible_offers(viewer: User) -> QuerySet[Offer]:
    """Offers to a candidate, or of an employer's company (without the candidates who
    block the company: a block closes the company's side, see ``resolvers.chat.access``)."""
    return await party_rows(Offer, viewer, "offers")


async def party_to_offer(viewer: User | None, offer: Offer) -> OfferSide | None:
    """``side_of_offer``, and ``None`` for the company side once the candidate blocks it."""
    side = side_of_offer(viewer, offer)
    if side == OfferSide.COMPANY and await company_blocked(offer.company_id, offer.candidate_id):
        return None
    return side


def not_found() -> UserErrors:
    return UserErrors.single(UserErrorCode.NOT_FOUND, "No such offer.", ["offerId"])
