"""Who is party to an offer: its candidate, and every member of its company. Everyone
else reads nothing, exactly as if the offer did not exist."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from models.accounts import User
from models.offers import Offer, OfferSide
from resolvers.chat.access import party_rows, party_side
from resolvers.errors import UserErrorCode, UserErrors


def side_of_offer(viewer: User | None, offer: Offer) -> OfferSide | None:
    """The viewer's side of an offer, or ``None`` when they are not party to it."""
    side = party_side(viewer, company_id=offer.company_id, candidate_id=offer.candidate_id)
    return OfferSide(side.value) if side is not None else None


def visible_offers(viewer: User) -> QuerySet[Offer]:
    """Offers to a candidate, or of an employer's company."""
    return party_rows(Offer, viewer, "offers")


def not_found() -> UserErrors:
    return UserErrors.single(UserErrorCode.NOT_FOUND, "No such offer.", ["offerId"])
