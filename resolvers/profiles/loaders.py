"""Batch functions for profiles, their parts, endorsements and privacy.

Each runs one SQL statement for its whole batch (privacy: at most three), so a page
of profiles costs the same number of statements whatever its size. Endorsements are
newest first; "first N per skill/profile" uses ``ROW_NUMBER()`` (SQLite ≥ 3.25 and
PostgreSQL both have it). ``fetch`` runs one of them for a whole page at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, TypeVar

from tortoise import connections
from tortoise.functions import Count

from models.accounts import Company, User
from models.profiles import (
    Education,
    Endorsement,
    Experience,
    Profile,
    Reference,
    Skill,
    WorkSample,
)
from resolvers.loading import Loaders, by_key, grouped
from resolvers.profiles.access import (
    NO_ACCESS,
    AccessEvent,
    ProfileAccess,
    ViewerInfo,
    profile_access_many,
    record_access_many,
)
from resolvers.rows import columns, rows_of, rows_where_in

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


async def profiles_by_id(ids: list[int]) -> list[Profile | None]:
    return by_key(await Profile.filter(id__in=set(ids)), ids)


async def profiles_by_user_id(user_ids: list[int]) -> list[Profile | None]:
    return by_key(await Profile.filter(user_id__in=set(user_ids)), user_ids, "user_id")


async def skills_by_profile_id(profile_ids: list[int]) -> list[list[Skill]]:
    """Skill models (search's candidates); the read paths use ``skill_rows_by_profile_id``."""
    rows = await Skill.filter(profile_id__in=set(profile_ids)).order_by("position", "id")
    return grouped(rows, profile_ids, "profile_id")


# The read paths' lists of parts (a page's prefetch, a profile's fields): rows read as
# their models (``resolvers.rows``), not model instances, which cost most of a page.


async def _part_rows(model: Any, profile_ids: list[int]) -> list[list[Any]]:
    rows = await rows_where_in(model, "profile_id", list(set(profile_ids)), 't."position", t."id"')
    return grouped(rows, profile_ids, "profile_id")


async def skill_rows_by_profile_id(profile_ids: list[int]) -> list[list[Skill]]:
    return await _part_rows(Skill, profile_ids)


async def experience_rows_by_profile_id(profile_ids: list[int]) -> list[list[Experience]]:
    return await _part_rows(Experience, profile_ids)


async def education_rows_by_profile_id(profile_ids: list[int]) -> list[list[Education]]:
    return await _part_rows(Education, profile_ids)


async def work_sample_rows_by_profile_id(profile_ids: list[int]) -> list[list[WorkSample]]:
    return await _part_rows(WorkSample, profile_ids)


async def reference_rows_by_profile_id(profile_ids: list[int]) -> list[list[Reference]]:
    return await _part_rows(Reference, profile_ids)


async def skills_by_id(ids: list[int]) -> list[Skill | None]:
    return by_key(await Skill.filter(id__in=set(ids)), ids)


async def experience_by_id(ids: list[int]) -> list[Experience | None]:
    return by_key(await Experience.filter(id__in=set(ids)), ids)


async def education_by_id(ids: list[int]) -> list[Education | None]:
    return by_key(await Education.filter(id__in=set(ids)), ids)


async def work_samples_by_id(ids: list[int]) -> list[WorkSample | None]:
    return by_key(await WorkSample.filter(id__in=set(ids)), ids)


async def references_by_id(ids: list[int]) -> list[Reference | None]:
    return by_key(await Reference.filter(id__in=set(ids)), ids)


async def endorsements_by_id(ids: list[int]) -> list[Endorsement | None]:
    return by_key(await Endorsement.filter(id__in=set(ids)), ids)


async def visible_endorsement_counts_by_skill_id(skill_ids: list[int]) -> list[int]:
    """Endorsements not hidden by the candidate, per skill. Written in SQL: a page asks
    for ~250 skills, and building the query through Tortoise cost more than running it."""
    connection = connections.get("default")
    postgres = connection.capabilities.dialect == "postgres"
    ids = list(set(skill_ids))
    marks = ", ".join(f"${i + 1}" if postgres else "?" for i in range(len(ids)))
    sql = (
        f"SELECT skill_id, COUNT(*) AS n FROM endorsement WHERE skill_id IN ({marks})"
        f" AND hidden = {'false' if postgres else '0'} GROUP BY skill_id"
    )
    counts = {row["skill_id"]: row["n"] for row in await connection.execute_query_dict(sql, ids)}
    return [counts.get(skill_id, 0) for skill_id in skill_ids]


async def endorsement_counts_by_profile(keys: list[tuple[int, bool]]) -> list[int]:
    """Key: (profile id, include hidden)."""
    counts: dict[tuple[int, bool], int] = {}
    for include_hidden in {k[1] for k in keys}:
        ids = {k[0] for k in keys if k[1] == include_hidden}
        query = Endorsement.filter(skill__profile_id__in=ids)
        if not include_hidden:
            query = query.filter(hidden=False)
        rows = await query.annotate(n=Count("id")).group_by("skill__profile_id").values_list("skill__profile_id", "n")
        counts.update({(pid, include_hidden): n for pid, n in rows})
    return [counts.get(key, 0) for key in keys]


async def _first_endorsements(partition: str, join: str, ids: set[int], limit: int, include_hidden: bool) -> list[tuple[int, Endorsement]]:
    """(owner id, endorsement) for the newest ``limit`` endorsements of each owner, as
    rows read as models (``resolvers.rows``)."""
    connection = connections.get("default")
    postgres = connection.capabilities.dialect == "postgres"
    marks = [f"${i + 1}" if postgres else "?" for i in range(len(ids) + 1)]
    hidden = "" if include_hidden else " AND t.hidden = " + ("false" if postgres else "0")
    sql = (
        f"SELECT * FROM (SELECT {columns(Endorsement)}, {partition} AS _owner_key, "
        f"ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY t.id DESC) AS _rn "
        f"FROM endorsement t {join} WHERE {partition} IN ({', '.join(marks[:-1])}){hidden}) e "
        f"WHERE e._rn <= {marks[-1]} ORDER BY e._owner_key, e._rn"
    )
    raw = await connection.execute_query_dict(sql, [*ids, limit])
    owners = []
    for row in raw:
        owners.append(row.pop("_owner_key"))
        del row["_rn"]
    return list(zip(owners, rows_of(Endorsement, raw), strict=True))


async def _first_n(keys: Sequence[tuple[int, int, bool]], partition: str, join: str) -> list[list[Endorsement]]:
    groups: dict[tuple[int, bool], set[int]] = defaultdict(set)
    for owner_id, limit, include_hidden in keys:
        groups[(limit, include_hidden)].add(owner_id)
    found: dict[tuple[int, int, bool], list[Endorsement]] = defaultdict(list)
    for (limit, include_hidden), ids in groups.items():
        for owner, endorsement in await _first_endorsements(partition, join, ids, limit, include_hidden):
            found[(owner, limit, include_hidden)].append(endorsement)
    return [found.get(key, []) for key in keys]


async def first_endorsements_by_skill(keys: list[tuple[int, int, bool]]) -> list[list[Endorsement]]:
    """Key: (skill id, how many, include hidden) → newest endorsements of the skill."""
    return await _first_n(keys, "t.skill_id", "")


async def first_endorsements_by_profile(keys: list[tuple[int, int, bool]]) -> list[list[Endorsement]]:
    """Key: (profile id, how many, include hidden) → newest endorsements of the profile."""
    return await _first_n(keys, "s.profile_id", "JOIN skill s ON s.id = t.skill_id")


async def viewer_infos(users: list[User | None]) -> list[ViewerInfo]:
    """Key: the signed-in user (or None) → the viewer as privacy sees it."""
    company_ids = {u.company_id for u in users if u is not None and u.company_id is not None}
    companies = {c.pk: c for c in await Company.filter(id__in=company_ids)} if company_ids else {}
    return [
        ViewerInfo(user=u, company=companies.get(u.company_id) if u and u.company_id else None)
        for u in users
    ]


async def profile_access(keys: list[tuple[ViewerInfo, Profile]]) -> list[ProfileAccess]:
    """Key: (viewer, profile) → what the viewer may see; batched per viewer."""
    by_viewer: dict[ViewerInfo, list[int]] = defaultdict(list)
    for i, (viewer, _profile) in enumerate(keys):
        by_viewer[viewer].append(i)
    result: list[ProfileAccess] = [NO_ACCESS] * len(keys)
    for viewer, indexes in by_viewer.items():
        accesses = await profile_access_many(viewer, [keys[i][1] for i in indexes])
        for i, access in zip(indexes, accesses, strict=True):
            result[i] = access
    return result


async def record_access(events: list[AccessEvent]) -> list[bool]:
    """Writes access-log rows for a batch (a write batched like a read)."""
    return await record_access_many(events)



async def fetch(
    loaders: Loaders, batch_fn: Callable[[list[K]], Awaitable[list[V]]], keys: list[K], whole_batch: bool
) -> list[V]:
    """``batch_fn``'s values for ``keys``. When ``keys`` already are the whole batch (a
    page), one direct call: ``DataLoader.load_many`` would add a future per key and a
    gather over them (~2-3 ms on a page); else through the request's DataLoader, which
    batches the calls of many resolvers."""
    if not whole_batch:
        return await loaders(batch_fn).load_many(keys)
    return list(await batch_fn(keys)) if keys else []
