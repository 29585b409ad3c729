"""Batch functions for offers, their versions, and what a viewer may see of the candidate."""

from __future__ import annotations

from models.accounts import Company, User
from models.offers import Offer, OfferVersion
from models.profiles import Profile
from resolvers.loaders import by_key, grouped
from resolvers.privacy import NO_ACCESS, ProfileAccess, ViewerInfo, profile_access_many


async def offers_by_id(ids: list[int]) -> list[Offer | None]:
    return by_key(await Offer.filter(id__in=set(ids)), ids)


async def versions_by_offer_id(ids: list[int]) -> list[list[OfferVersion]]:
    rows = await OfferVersion.filter(offer_id__in=set(ids)).order_by("offer_id", "number")
    return grouped(rows, ids, "offer_id")


async def candidate_access_by_viewer_and_user_id(keys: list[tuple[int | None, int]]) -> list[ProfileAccess]:
    """``(viewer user id or None, candidate user id)`` → what the viewer may see of that
    candidate's profile (``resolvers.privacy`` decides), a few queries per batch."""
    viewer_ids = {viewer_id for viewer_id, _ in keys if viewer_id is not None}
    viewers = {user.pk: user for user in await User.filter(id__in=viewer_ids)} if viewer_ids else {}
    company_ids = {user.company_id for user in viewers.values() if user.company_id is not None}
    companies = {c.pk: c for c in await Company.filter(id__in=company_ids)} if company_ids else {}
    profiles = {p.user_id: p for p in await Profile.filter(user_id__in={user_id for _, user_id in keys})}
    results: dict[tuple[int | None, int], ProfileAccess] = {}
    for viewer_id in {viewer_id for viewer_id, _ in keys}:
        user = viewers.get(viewer_id) if viewer_id is not None else None
        info = ViewerInfo(user=user, company=companies.get(user.company_id) if user and user.company_id else None)
        wanted = [p for (v, u) in keys if v == viewer_id and (p := profiles.get(u)) is not None]
        for profile, access in zip(wanted, await profile_access_many(info, wanted)):
            results[(viewer_id, profile.user_id)] = access
    return [results.get(key, NO_ACCESS) for key in keys]
