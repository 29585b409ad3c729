"""Batch functions for users and companies."""

from __future__ import annotations

from models.accounts import Company, User
from resolvers.loading import by_key
from resolvers.rows import rows_where_in
from resolvers.statements import point_statements


@point_statements
async def users_by_id(ids: list[int]) -> list[User | None]:
    return by_key(await User.filter(id__in=set(ids)), ids)


async def display_names_by_user_id(ids: list[int]) -> list[str | None]:
    """Each user's ``display_name`` as stored (None for no such user), read from rows
    (``resolvers.rows``): a page's names without a ``User`` built for each."""
    found = {row.pk: row.display_name for row in await rows_where_in(User, "id", list(set(ids)))}
    return [found.get(user_id) for user_id in ids]


@point_statements
async def companies_by_id(ids: list[int]) -> list[Company | None]:
    return by_key(await Company.filter(id__in=set(ids)), ids)
