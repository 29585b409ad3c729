"""Batch functions for users and companies."""

from __future__ import annotations

from models.accounts import Company, User
from resolvers.loading import by_key


async def users_by_id(ids: list[int]) -> list[User | None]:
    return by_key(await User.filter(id__in=set(ids)), ids)


async def companies_by_id(ids: list[int]) -> list[Company | None]:
    return by_key(await Company.filter(id__in=set(ids)), ids)
