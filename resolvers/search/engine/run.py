"""The two ways to run a search: a ranked page (``search_candidates``) and the bare ids
of matching profiles (``matching_ids``, for saved searches and their alerts)."""

from __future__ import annotations

from typing import Any

from tortoise import connections

from resolvers.errors import BadUserInput
from resolvers.pagination import check_page_arguments
from resolvers.profiles.access import ViewerInfo
from resolvers.search.backends import SearchBackend, backend_for
from resolvers.search.engine.counts import Count, Facets, bounded_count, facets
from resolvers.search.engine.paging import page, windowed_page
from resolvers.search.engine.plan import build_plan, is_windowed_cursor
from resolvers.search.engine.results import SearchResult, hits_of
from resolvers.search.filters import SearchFilter, validate
from resolvers.search.query import MAX_QUERY_LENGTH, ParsedQuery, parse
from resolvers.search.sort import SearchSort, resolve_sort


async def search_candidates(
    viewer: ViewerInfo,
    *,
    ttl_days: int,
    exact_limit: int,
    query: str | None = None,
    flt: SearchFilter | None = None,
    sort: SearchSort | None = None,
    first: int | None = None,
    after: str | None = None,
) -> SearchResult:
    """A page of candidates visible to ``viewer`` (an employer: the caller checks).
    ``ttl_days`` is the freshness period (``AVAILABILITY_TTL_DAYS``); ``exact_limit``
    (``SEARCH_EXACT_COUNT_LIMIT``) bounds exact counting and ranking (package doc)."""
    if query is not None and len(query) > MAX_QUERY_LENGTH:
        raise BadUserInput(f"'query' is at most {MAX_QUERY_LENGTH} characters.", field="query")
    size, _ = check_page_arguments(first, None)
    parsed = parse(query)
    flt = validate(flt or SearchFilter())
    sort = resolve_sort(sort, parsed)
    connection = connections.get("default")
    backend = backend_for(connection)
    plan = build_plan(backend, parsed, flt, viewer, ttl_days=ttl_days)

    windowed, estimate = await _ranking_strategy(connection, backend, parsed, sort, after, exact_limit)
    # the page statement also looks up the company's accepted contacts (``hits_of``)
    contacts_of = viewer.company if viewer.is_employer else None
    if windowed:
        rows, more = await windowed_page(connection, plan, estimate, size, after, contacts_of)
    else:
        rows, more = await page(connection, plan, sort, size, after, contacts_of)
    hits = await hits_of(connection, backend, viewer, rows, parsed=parsed, flt=flt, sort=sort, windowed=windowed)

    async def count() -> Count:
        return await bounded_count(backend, connection, plan, exact_limit)

    async def count_facets(skill_limit: int) -> Facets:
        return await facets(backend, connection, plan, skill_limit, exact_limit)

    return SearchResult(
        hits=hits,
        has_next_page=more,
        has_previous_page=after is not None,
        sort=sort,
        ranking_approximate=windowed,
        _bounded_count=count,
        _facets=count_facets,
    )


async def _ranking_strategy(
    connection: Any, backend: SearchBackend, parsed: ParsedQuery, sort: SearchSort, after: str | None, exact_limit: int
) -> tuple[bool, int]:
    """(windowed, estimated text matches): relevance is ranked within windows when the
    text matches more than ``exact_limit`` profiles, or when ``after`` is a windowed cursor."""
    if sort != SearchSort.RELEVANCE:
        return False, 0
    if after is not None:
        windowed = is_windowed_cursor(after)
        return windowed, await backend.estimate(connection, parsed) if windowed else 0
    estimate = await backend.estimate(connection, parsed)
    return estimate > exact_limit, estimate


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
    flt = validate(flt)
    connection = connections.get("default")
    plan = build_plan(backend_for(connection), parsed, flt, viewer, ttl_days=ttl_days, profile_ids=profile_ids)
    params = plan.fresh()
    sql = f"SELECT p.id AS id FROM {plan.source} WHERE {plan.where} LIMIT {params(limit)}"
    return [int(r["id"]) for r in await connection.execute_query_dict(sql, params.values)]
