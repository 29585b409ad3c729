"""``search_candidates``: one interface over both databases.

A search is one SQL statement for the page (text match + rules + filters + keyset),
one for highlights of that page, one for its profiles and one for their skills;
``totalCount`` and facets run only when asked for. The package splits the work:

- ``plan``: the sort, the SQL pieces every statement shares, cursor decoding;
- ``paging``: keyset pages and *windowed* relevance for common words;
- ``counts``: the bounded ``totalCount`` and the facets.

One limit bounds the work of a search: ``exact_limit`` (``SEARCH_EXACT_COUNT_LIMIT``,
default 10,000). Up to it, ``totalCount`` is exact and relevance orders the whole
result. Above it (a word in 40% of a million profiles) ``totalCount`` is an estimate
(``totalCountIsExact`` false) and relevance is applied within windows of profile ids,
newest first (``rankingApproximate`` true): ranking every match costs ~1–2 µs per
matching profile (bm25 and ts_rank alike), ~800 ms for a common word at 1M. Facets over
results larger than ``FACET_SCAN_CAP`` profiles are counted over that many of them.
Paging with ``after`` visits every result exactly once in both modes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from tortoise import connections

from models.profiles import Profile, Skill
from resolvers.errors import BadUserInput
from resolvers.pagination import check_page_arguments
from resolvers.profiles.access import ProfileAccess, ViewerInfo, search_hits_access
from resolvers.search import filters as search_filters
from resolvers.search.backends import Highlight, backend_for
from resolvers.search.engine.counts import (
    DEFAULT_EXACT_COUNT_LIMIT,
    FACET_SCAN_CAP,
    Count,
    Facets,
    FacetValue,
    bounded_count,
)
from resolvers.search.engine.counts import facets as count_facets
from resolvers.search.engine.paging import WINDOW_TARGET, page, profile_of, windowed_page
from resolvers.search.engine.plan import Plan, SearchSort, decode_cursor, is_windowed_cursor, resolve_sort
from resolvers.search.explain import Explanation, explain
from resolvers.search.filters import SearchFilter, SqlParams
from resolvers.search.query import MAX_QUERY_LENGTH, parse

DEFAULT_SKILL_FACETS = 20
MAX_SKILL_FACETS = 100
_decode_cursor = decode_cursor  # the name tests/resolvers/test_pagination.py uses

__all__ = [
    "DEFAULT_EXACT_COUNT_LIMIT",
    "DEFAULT_SKILL_FACETS",
    "FACET_SCAN_CAP",
    "MAX_SKILL_FACETS",
    "WINDOW_TARGET",
    "Count",
    "FacetValue",
    "Facets",
    "SearchHit",
    "SearchResult",
    "SearchSort",
    "matching_ids",
    "search_candidates",
]


@dataclass
class SearchHit:
    display_name: str | None
    profile: Profile
    skills: list[Skill]
    access: ProfileAccess
    score: float | None
    cursor: str
    highlights: list[Highlight]
    explanation: Explanation


@dataclass
class SearchResult:
    hits: list[SearchHit]
    has_next_page: bool
    has_previous_page: bool
    sort: SearchSort
    ranking_approximate: bool
    _count: Callable[[], Awaitable[Count]]
    _facets: Callable[[int], Awaitable[Facets]]
    _cache: dict[Any, Any] = field(default_factory=dict)

    async def count(self) -> Count:
        """The result size, exact up to the limit (``counts.bounded_count``)."""
        # Let a sibling ``facets`` resolver (GraphQL runs them concurrently) register its
        # scan first: that statement counts the result too (``counts.facets``).
        await asyncio.sleep(0)
        if "count" not in self._cache:
            self._cache["count"] = asyncio.ensure_future(self._count())
        return await self._cache["count"]  # type: ignore[no-any-return]

    async def total_count(self) -> int:
        return (await self.count()).value

    async def facets(self, skill_limit: int = DEFAULT_SKILL_FACETS) -> Facets:
        key = ("facets", skill_limit)
        if key not in self._cache:
            self._cache[key] = asyncio.ensure_future(self._facets(skill_limit))
        return await self._cache[key]  # type: ignore[no-any-return]


async def search_candidates(
    viewer: ViewerInfo,
    *,
    ttl_days: int,
    query: str | None = None,
    flt: SearchFilter | None = None,
    sort: SearchSort | None = None,
    first: int | None = None,
    after: str | None = None,
    profile_ids: list[int] | None = None,
    exact_limit: int = DEFAULT_EXACT_COUNT_LIMIT,
) -> SearchResult:
    """A page of candidates visible to ``viewer`` (an employer: the caller checks);
    ``exact_limit`` bounds exact counting and ranking (module doc)."""
    if query is not None and len(query) > MAX_QUERY_LENGTH:
        raise BadUserInput(f"'query' is at most {MAX_QUERY_LENGTH} characters.", field="query")
    size, _ = check_page_arguments(first, None)
    parsed = parse(query)
    flt = search_filters.validate(flt or SearchFilter())
    sort = resolve_sort(sort, parsed)
    connection = connections.get("default")
    backend = backend_for(connection)
    params = SqlParams(backend.dialect)
    conditions: list[str] = []
    score: str | None = None
    if parsed.empty:
        source, id_column = "profile p", "p.id"
    else:
        source, match, score = backend.text_source(parsed, params)
        conditions.append(match)
        id_column = "profile_search.rowid" if backend.dialect == "sqlite" else "ps.profile_id"
    conditions += search_filters.conditions(flt, viewer, params, ttl_days=ttl_days)
    if profile_ids is not None:
        conditions.append(f"p.id IN ({params.many(profile_ids) or 'NULL'})")
    plan = Plan(
        backend.dialect, source, conditions, params.values, score, id_column,
        window_match=None if parsed.empty else backend.window_match,
    )

    windowed = False
    estimate = 0
    if sort == SearchSort.RELEVANCE and profile_ids is None:
        if after is not None:
            windowed = is_windowed_cursor(after)
            estimate = await backend.estimate(connection, parsed) if windowed else 0
        else:
            estimate = await backend.estimate(connection, parsed)
            windowed = estimate > exact_limit
    if windowed:
        rows, more = await windowed_page(connection, plan, estimate, size, after)
    else:
        rows, more = await page(connection, plan, sort, size, after)

    ids = [int(row["id"]) for row in rows]
    profiles = {int(row["id"]): profile_of(row) for row in rows}
    skills_by_profile: dict[int, list[Skill]] = {pid: [] for pid in ids}
    if ids:
        for skill in await Skill.filter(profile_id__in=ids).order_by("position", "id"):
            skills_by_profile[skill.profile_id].append(skill)
    highlights = await backend.highlights(connection, parsed, ids) if ids and not parsed.empty else {}
    ordered = [profiles[i] for i in ids if i in profiles]
    accesses = await search_hits_access(viewer, ordered)
    hits: list[SearchHit] = []
    words = parsed.words()
    for row, profile, access in zip((r for r in rows if int(r["id"]) in profiles), ordered, accesses):
        if not access.visible:  # the SQL applied the same rules: a race with a block
            continue
        row_score = float(row["score"]) if row.get("score") is not None else None
        marks = highlights.get(profile.pk, [])
        hits.append(
            SearchHit(
                display_name=row["_display_name"],
                profile=profile,
                skills=skills_by_profile[profile.pk],
                access=access,
                score=row_score,
                cursor=row["cursor"],
                highlights=marks,
                explanation=explain(
                    profile, skills_by_profile[profile.pk], flt, marks, words, sort, row_score, windowed
                ),
            )
        )

    async def count() -> Count:
        for key, task in list(result._cache.items()):
            if isinstance(key, tuple) and key[0] == "facets":
                return (await task).count  # type: ignore[no-any-return]
        return await bounded_count(backend, connection, plan, exact_limit)

    async def facets(skill_limit: int) -> Facets:
        return await count_facets(backend, connection, plan, skill_limit, exact_limit)

    result = SearchResult(
        hits=hits,
        has_next_page=more,
        has_previous_page=after is not None,
        sort=sort,
        ranking_approximate=windowed,
        _count=count,
        _facets=facets,
    )
    return result


async def matching_ids(
    viewer: ViewerInfo,
    *,
    ttl_days: int,
    query: str | None,
    flt: SearchFilter,
    limit: int,
    profile_ids: list[int] | None = None,
) -> list[int]:
    """Ids of up to ``limit`` profiles the search matches, unranked (alerts and the
    matches a new saved search already knows)."""
    parsed = parse(query)
    flt = search_filters.validate(flt)
    connection = connections.get("default")
    backend = backend_for(connection)
    params = SqlParams(backend.dialect)
    conditions: list[str] = []
    source = "profile p"
    if not parsed.empty:
        source, match, _ = backend.text_source(parsed, params)
        conditions.append(match)
    conditions += search_filters.conditions(flt, viewer, params, ttl_days=ttl_days)
    if profile_ids is not None:
        conditions.append(f"p.id IN ({params.many(profile_ids) or 'NULL'})")
    sql = f"SELECT p.id AS id FROM {source} WHERE {' AND '.join(conditions)} LIMIT {params(limit)}"
    return [int(r["id"]) for r in await connection.execute_query_dict(sql, params.values)]


