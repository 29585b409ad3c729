"""Batch functions for search's own rows (profiles and skills load through
``resolvers/profiles/loaders.py``)."""

from __future__ import annotations

from models.search import SavedSearch
from resolvers.loading import by_key


async def saved_searches_by_id(ids: list[int]) -> list[SavedSearch | None]:
    return by_key(await SavedSearch.filter(id__in=set(ids)), ids)
