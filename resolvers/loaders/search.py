"""Batch functions for search results and alerts."""

from __future__ import annotations

from models.profiles import Profile, Skill
from models.search import SavedSearch
from resolvers.loaders import by_key, grouped


async def profiles_by_id(ids: list[int]) -> list[Profile | None]:
    return by_key(await Profile.filter(id__in=set(ids)), ids)


async def skills_by_profile_id(ids: list[int]) -> list[list[Skill]]:
    rows = await Skill.filter(profile_id__in=set(ids)).order_by("position", "id")
    return grouped(rows, ids, "profile_id")


async def saved_searches_by_id(ids: list[int]) -> list[SavedSearch | None]:
    return by_key(await SavedSearch.filter(id__in=set(ids)), ids)
