"""``totalCount`` and facets, both bounded so that a common word costs the same at 100k
profiles as at 1M.

Counting. ``totalCount`` is exact up to ``limit`` (``SEARCH_EXACT_COUNT_LIMIT``, default
10,000): one statement counts the result with ``LIMIT limit + 1``, so it stops after
``limit + 1`` hits however large the result is. Above the limit the count is an
*estimate* that is never below ``limit + 1`` (that many hits were seen), the largest of:

- an extrapolation from the id of the last hit seen (FTS5 hands out matches by rowid, a
  sequential scan goes in id order: the last id tells what share of profiles the scan
  covered); when the scan follows another order it only gets smaller, so it errs low;
- on PostgreSQL, the planner's row estimate for the unlimited statement (planning only).

Both err low: at 1M the benchmark searches got 98k for ~396k, 35k for ~85k, 11.6k for
~46.5k (the planner multiplies the selectivities of visibility, status and freshness as
if independent, and the covering index hands out hits in country order, which defeats
the extrapolation). Treat the value as "more than the limit, roughly this many or more".

Clients learn which it is from ``totalCountIsExact``: Elasticsearch's
``track_total_hits`` answer (``relation: gte``) with a rough size attached.

Facets are counted over at most ``FACET_SCAN_CAP`` hits of the same result
(``approximate`` when the result is larger), in the same statement as the bounded
count; ``totalCount`` reuses that count when facets were asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from resolvers.search.backends import SearchBackend
from resolvers.search.engine.plan import Plan

FACET_SCAN_CAP = 5_000
DEFAULT_EXACT_COUNT_LIMIT = 10_000


@dataclass(frozen=True)
class Count:
    """A result size: ``value`` is exact when ``exact``, else an estimate above ``limit``."""

    value: int
    exact: bool


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


@dataclass(frozen=True)
class Facets:
    skills: tuple[FacetValue, ...]
    countries: tuple[FacetValue, ...]
    remote_preferences: tuple[FacetValue, ...]
    open_to_work: tuple[FacetValue, ...]
    approximate: bool
    scanned: int
    count: Count  # the result size, as ``bounded_count`` gives it


async def _count(backend: SearchBackend, connection: Any, plan: Plan, seen: int, last: Any, top: Any, limit: int) -> Count:
    """``seen`` hits were read (at most ``limit + 1`` matter), the last with id ``last``."""
    if seen <= limit:
        return Count(seen, True)
    last, top = int(last or 0), int(top or 0)
    extrapolated = seen * top // last if last > 0 else seen
    params = plan.fresh()
    planned = await backend.planned_rows(connection, f"SELECT p.id FROM {plan.source} WHERE {plan.where}", params.values)
    return Count(max(seen, extrapolated, planned or 0), False)


async def bounded_count(backend: SearchBackend, connection: Any, plan: Plan, limit: int) -> Count:
    """Exact up to ``limit`` hits, an estimate of at least ``limit + 1`` above (module doc)."""
    params = plan.fresh()
    sql = (
        "SELECT count(*) AS n, max(h.id) AS last, (SELECT max(id) FROM profile) AS top FROM"
        f" (SELECT p.id AS id FROM {plan.source} WHERE {plan.where} LIMIT {params(limit + 1)}) h"
    )
    row = (await connection.execute_query_dict(sql, params.values))[0]
    return await _count(backend, connection, plan, int(row["n"]), row["last"], row["top"], limit)


async def facets(backend: SearchBackend, connection: Any, plan: Plan, skill_limit: int, count_limit: int) -> Facets:
    """Facets and the bounded count in one statement: up to ``count_limit + 1`` hits
    (at least ``FACET_SCAN_CAP + 1``) are materialised once and counted; the first
    ``FACET_SCAN_CAP + 1`` of them are grouped by profile columns and joined to skills.
    One scan serves both ``facets`` and ``totalCount`` (they were two scans of the
    same rows, the most expensive statements of a common search)."""
    params = plan.fresh()
    scan = max(count_limit, FACET_SCAN_CAP) + 1
    sql = (
        "WITH hits AS MATERIALIZED (SELECT p.id AS id, p.country_code AS country,"
        " p.remote_preference AS remote, p.open_to_work AS status"
        f" FROM {plan.source} WHERE {plan.where} LIMIT {params(scan)}),"
        f" sample AS MATERIALIZED (SELECT * FROM hits LIMIT {params(FACET_SCAN_CAP + 1)})"
        " SELECT 'g' AS kind, country AS a, remote AS b, status AS c, count(*) AS n FROM sample"
        " GROUP BY country, remote, status"
        " UNION ALL SELECT * FROM (SELECT 's' AS kind, s.normalized_name AS a, NULL AS b, NULL AS c, count(*) AS n"
        # CROSS JOIN: SQLite keeps the sample as the outer loop (skill looked up by index).
        " FROM sample CROSS JOIN skill s WHERE s.profile_id = sample.id GROUP BY s.normalized_name"
        f" ORDER BY n DESC, a ASC LIMIT {params(skill_limit)}) top_skills"
        " UNION ALL SELECT 'n' AS kind, CAST(max(id) AS TEXT) AS a,"
        " CAST((SELECT max(id) FROM profile) AS TEXT) AS b, NULL AS c, count(*) AS n FROM hits"
    )
    rows = await connection.execute_query_dict(sql, params.values)
    groups = [r for r in rows if r["kind"] == "g"]
    skills = [r for r in rows if r["kind"] == "s"]
    total = next(r for r in rows if r["kind"] == "n")
    scanned = sum(int(g["n"]) for g in groups)

    def tally(key: str) -> tuple[FacetValue, ...]:
        counts: dict[str, int] = {}
        for g in groups:
            if g[key] is not None:
                counts[g[key]] = counts.get(g[key], 0) + int(g["n"])
        return tuple(FacetValue(k, v) for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    return Facets(
        skills=tuple(FacetValue(r["a"], int(r["n"])) for r in sorted(skills, key=lambda r: (-int(r["n"]), r["a"]))),
        countries=tally("a"),
        remote_preferences=tally("b"),
        open_to_work=tally("c"),
        approximate=scanned > FACET_SCAN_CAP,
        scanned=scanned,
        count=await _count(backend, connection, plan, int(total["n"]), total["a"], total["b"], count_limit),
    )
