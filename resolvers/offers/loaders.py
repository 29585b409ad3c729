"""Batch functions for offers and their versions. (What a viewer may see of an offer's
candidate comes from chat's ``candidate_access_by_viewer_and_user``: one privacy path.)"""

from __future__ import annotations

from models.offers import Offer, OfferVersion
from resolvers.loading import by_key, grouped


async def offers_by_id(ids: list[int]) -> list[Offer | None]:
    return by_key(await Offer.filter(id__in=set(ids)), ids)


async def versions_by_offer_id(ids: list[int]) -> list[list[OfferVersion]]:
    rows = await OfferVersion.filter(offer_id__in=set(ids)).order_by("offer_id", "number")
    return grouped(rows, ids, "offer_id")
