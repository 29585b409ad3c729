"""What a search returns: the hits of one page, and the whole result's count and facets
computed only when asked for.

``hits_of`` turns the page's rows into hits: one statement for the page's skills, one
for its highlights (with a query), the privacy rule for search hits (the accepted
contacts it needs came with the page's rows), and the explanation of each hit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple, cast

from models.profiles import Profile
from resolvers.profiles.access import ProfileAccess, ViewerInfo, search_hits_access
from resolvers.search.backends import Highlight, SearchBackend
from resolvers.search.engine.counts import Count, Facets
from resolvers.search.engine.paging import ProfileRow
from resolvers.search.explain import Explanation, explain
from resolvers.search.filters import SearchFilter, SqlParams
from resolvers.search.query import ParsedQuery
from resolvers.search.sort import SearchSort

DEFAULT_SKILL_FACETS = 20
MAX_SKILL_FACETS = 100


class SkillRow(NamedTuple):
    """A skill of a hit, read as a plain row: the page shows its name and level and the
    explanation matches its normalised name (a ``Skill`` model per row cost more than
    the statement that reads them)."""

    profile_id: int
    name: str
    normalized_name: str
    level: int


@dataclass
class SearchHit:
    display_name: str | None
    profile: Profile  # a ``ProfileRow``: read as a Profile, ``.model`` builds one
    skills: list[SkillRow]
    access: ProfileAccess
    score: float | None
    cursor: str
    highlights: list[Highlight]
    _why: tuple[SearchFilter, SearchSort, bool]  # what ``explanation`` needs besides the hit

    @cached_property
    def explanation(self) -> Explanation:
        """Why this hit matched and ranks here, worked out when first asked for."""
        flt, sort, windowed = self._why
        return explain(self.profile, self.skills, flt, self.highlights, sort, self.score, windowed)


@dataclass
class SearchResult:
    hits: list[SearchHit]
    has_next_page: bool
    has_previous_page: bool
    sort: SearchSort
    ranking_approximate: bool
    _bounded_count: Callable[[], Awaitable[Count]]
    _facets: Callable[[int], Awaitable[Facets]]
    _count_task: asyncio.Future[Count] | None = None
    _facet_tasks: dict[int, asyncio.Future[Facets]] = field(default_factory=dict)

    async def count(self) -> Count:
        """The result size, exact up to the limit (``counts.bounded_count``)."""
        # Let a sibling ``facets`` resolver (GraphQL runs them concurrently) register its
        # scan first: that statement counts the result too (``counts.facets``).
        await asyncio.sleep(0)
        if self._count_task is None:
            self._count_task = asyncio.ensure_future(self._count())
        return await self._count_task

    async def _count(self) -> Count:
        for task in list(self._facet_tasks.values()):
            return (await task).count
        return await self._bounded_count()

    async def total_count(self) -> int:
        return (await self.count()).value

    async def facets(self, skill_limit: int = DEFAULT_SKILL_FACETS) -> Facets:
        if skill_limit not in self._facet_tasks:
            self._facet_tasks[skill_limit] = asyncio.ensure_future(self._facets(skill_limit))
        return await self._facet_tasks[skill_limit]


async def hits_of(
    connection: Any,
    backend: SearchBackend,
    viewer: ViewerInfo,
    rows: list[dict[str, Any]],
    *,
    parsed: ParsedQuery,
    flt: SearchFilter,
    sort: SearchSort,
    windowed: bool,
) -> list[SearchHit]:
    """The page's rows (profile columns, ``score``, ``cursor``, ``_display_name``) as hits,
    in row order; a profile the viewer may no longer see (a block raced the page) is left out."""
    ids = [int(row["id"]) for row in rows]
    # typed as the Profile it reads as: the same attribute values (``ProfileRow``)
    profiles = {int(row["id"]): cast(Profile, ProfileRow(row)) for row in rows}
    skills_by_profile = await skills_of(connection, backend.dialect, ids)
    highlights = await backend.highlights(connection, parsed, ids) if ids and not parsed.empty else {}
    ordered = [profiles[i] for i in ids]
    # the page statement found the accepted contacts (``paging._with_rows``)
    accepted = {profile.user_id for row, profile in zip(rows, ordered, strict=True) if row["_accepted_contact"] is not None}
    accesses = search_hits_access(viewer, ordered, accepted)
    hits: list[SearchHit] = []
    why = (flt, sort, windowed)
    for row, profile, access in zip(rows, ordered, accesses, strict=True):
        if not access.visible:  # the SQL applied the same rules: a race with a block
            continue
        score = float(row["score"]) if row.get("score") is not None else None
        marks = highlights.get(profile.pk, [])
        skills = skills_by_profile[profile.pk]
        hits.append(
            SearchHit(
                display_name=row["_display_name"],
                profile=profile,
                skills=skills,
                access=access,
                score=score,
                cursor=row["cursor"],
                highlights=marks,
                _why=why,
            )
        )
    return hits


async def skills_of(connection: Any, dialect: str, ids: list[int]) -> dict[int, list[SkillRow]]:
    """The skills of the page's profiles, each profile's in its order: one statement."""
    by_profile: dict[int, list[SkillRow]] = {pid: [] for pid in ids}
    if not ids:
        return by_profile
    params = SqlParams(dialect)
    sql = (
        "SELECT profile_id, name, normalized_name, level FROM skill"
        f" WHERE profile_id IN ({params.many(ids)}) ORDER BY position, id"
    )
    _, rows = await connection.execute_query(sql, params.values)
    for row in rows:
        skill = SkillRow(int(row[0]), row[1], row[2], int(row[3]))
        by_profile[skill.profile_id].append(skill)
    return by_profile
