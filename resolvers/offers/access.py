"""Who is party to an offer: its candidate, and every member of its company. Everyone
else reads nothing, exactly as if the offer did not exist."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from models.accounts import User
from models.offers import Offer, OfferSide
from resolvers.errors import Forbidden, UserErrorCode, UserErrors


def side_of_offer(viewer: User | None, offer: Offer) -> OfferSide | None:
    """The viewer's side of an offer, or ``None`` when they are not party to it."""
    if viewer is None or viewer.deleted_at is not None:
        return None
    if viewer.is_candidate and viewer.pk == offer.candidate_id:
        return OfferSide.CANDIDATE
    if viewer.is_employer and viewer.company_id is not None and viewer.company_id == offer.company_id:
        return OfferSide.COMPANY
    return None


def visible_offers(viewer: User) -> QuerySet[Offer]:
    """Offers to a candidate, or of an employer's company."""
    if viewer.is_candidate:
        return Offer.filter(candidate_id=viewer.pk)
    if viewer.is_employer and viewer.company_id is not None:
        return Offer.filter(company_id=viewer.company_id)
    raise Forbidden("Only candidates and employers have offers.")


def not_found() -> UserErrors:
    return UserErrors.single(UserErrorCode.NOT_FOUND, "No such offer.", ["offerId"])
