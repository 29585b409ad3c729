"""``search_candidates``: one interface over both databases.

A search is one SQL statement for the page (text match + rules + filters + keyset),
one for highlights of that page, one for its profiles and one for their skills;
``totalCount`` and facets run only when asked for.

Keyset cursors hold ``[sort, key, profile id]``: RELEVANCE orders by score (desc)
then id (asc); RECENTLY_UPDATED and YEARS_OF_EXPERIENCE by their column (desc) then
id (desc). Ties are broken by the id, so paging returns every hit exactly once.

Common words. Ranking every match costs ~1–2 µs per matching profile (bm25 and
ts_rank alike), ~80 ms for a word in 90% of 100k profiles. When the text's estimated
match count exceeds ``HUGE_MATCHES``, relevance switches to *windowed* ranking: the
matches are walked in windows of profile ids from the newest down, and each window is
ordered by relevance; a page costs one window, not the whole result. The cursor then
also carries the window bounds, and ``rankingApproximate`` is true. Facets over
results larger than ``FACET_SCAN_CAP`` profiles are counted over that many of them
(``facetsApproximate``); ``totalCount`` is always exact.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from tortoise import connections

from models.profiles import Profile, Skill
from resolvers.errors import BadUserInput
from resolvers.pagination import MAX_CURSOR_LENGTH, check_page_arguments, encode_cursor
from resolvers.privacy import ProfileAccess, ViewerInfo, search_hits_access
from resolvers.search import filters as search_filters
from resolvers.search.backends import Highlight, backend_for
from resolvers.search.explain import Explanation, explain
from resolvers.search.filters import SearchFilter, SqlParams
from resolvers.search.query import MAX_QUERY_LENGTH, ParsedQuery, parse

HUGE_MATCHES = 10_000
WINDOW_TARGET = 2_000  # matches per ranking window (before filters)
FACET_SCAN_CAP = 5_000
DEFAULT_SKILL_FACETS = 20
MAX_SKILL_FACETS = 100


class SearchSort(str, Enum):
    RELEVANCE = "RELEVANCE"
    RECENTLY_UPDATED = "RECENTLY_UPDATED"
    YEARS_OF_EXPERIENCE = "YEARS_OF_EXPERIENCE"


_SORT_CODES = {SearchSort.RELEVANCE: "r", SearchSort.RECENTLY_UPDATED: "u", SearchSort.YEARS_OF_EXPERIENCE: "y"}
_WINDOWED = "w"


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
    _count: Callable[[], Awaitable[int]]
    _facets: Callable[[int], Awaitable[Facets]]
    _cache: dict[Any, Any] = field(default_factory=dict)

    async def total_count(self) -> int:
        # Let a sibling ``facets`` resolver (GraphQL runs them concurrently) register its
        # scan first: when it is exact, its group counts sum to the total count.
        await asyncio.sleep(0)
        if "count" not in self._cache:
            self._cache["count"] = asyncio.ensure_future(self._count())
        return await self._cache["count"]

    async def facets(self, skill_limit: int = DEFAULT_SKILL_FACETS) -> Facets:
        key = ("facets", skill_limit)
        if key not in self._cache:
            self._cache[key] = asyncio.ensure_future(self._facets(skill_limit))
        return await self._cache[key]


@dataclass
class _Plan:
    """The shared pieces of every statement of one search."""

    dialect: str
    source: str
    conditions: list[str]
    params: list[Any]
    score: str | None
    id_column: str

    def fresh(self) -> SqlParams:
        return SqlParams(self.dialect, list(self.params))


def resolve_sort(sort: SearchSort | None, parsed: ParsedQuery) -> SearchSort:
    if sort is None or (sort == SearchSort.RELEVANCE and parsed.empty):
        return SearchSort.RELEVANCE if not parsed.empty else SearchSort.RECENTLY_UPDATED
    return sort


def _decode_cursor(after: str, code: str) -> list[Any]:
    import base64
    import binascii
    import json

    message = "'after' is not a cursor returned by this search (with this sort)."
    if not after or len(after) > MAX_CURSOR_LENGTH:
        raise BadUserInput(message)
    try:
        raw = base64.urlsafe_b64decode((after + "=" * (-len(after) % 4)).encode("ascii"))
        values = json.loads(raw)
    except (ValueError, TypeError, binascii.Error, UnicodeError, RecursionError):
        raise BadUserInput(message) from None
    if not isinstance(values, list) or not values or values[0] != code:
        raise BadUserInput(message)
    ok = all(isinstance(v, (int, float, str)) and not isinstance(v, bool) for v in values[1:])
    if not ok or not isinstance(values[-1], int) or values[-1] <= 0:
        raise BadUserInput(message)
    return values[1:]


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
) -> SearchResult:
    """A page of candidates visible to ``viewer`` (an employer: the caller checks)."""
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
    plan = _Plan(backend.dialect, source, conditions, params.values, score, id_column)

    windowed = False
    estimate = 0
    if sort == SearchSort.RELEVANCE and profile_ids is None:
        if after is not None:
            windowed = _is_windowed_cursor(after)
            estimate = await backend.estimate(connection, parsed) if windowed else 0
        else:
            estimate = await backend.estimate(connection, parsed)
            windowed = estimate > HUGE_MATCHES
    if windowed:
        rows, more = await _windowed_page(connection, plan, estimate, size, after)
    else:
        rows, more = await _page(connection, plan, sort, size, after)

    ids = [int(row["id"]) for row in rows]
    profiles = {int(row["id"]): _profile(row) for row in rows}
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

    async def count() -> int:
        p = plan.fresh()
        for key, task in list(result._cache.items()):
            if isinstance(key, tuple) and key[0] == "facets":
                facets = await task
                if not facets.approximate:
                    return facets.scanned
        sql = f"SELECT count(*) AS n FROM {plan.source} WHERE {' AND '.join(plan.conditions)}"
        return int((await connection.execute_query_dict(sql, p.values))[0]["n"])

    async def facets(skill_limit: int) -> Facets:
        return await _facets(connection, plan, skill_limit)

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


def _is_windowed_cursor(after: str) -> bool:
    import base64
    import json

    try:
        values = json.loads(base64.urlsafe_b64decode((after + "=" * (-len(after) % 4)).encode("ascii")))
    except Exception:
        return False
    return isinstance(values, list) and bool(values) and values[0] == _WINDOWED


def _key_columns(plan: _Plan, sort: SearchSort) -> tuple[str, str, str]:
    """(key expression, key direction, id direction)."""
    if sort == SearchSort.RELEVANCE:
        return "score", "DESC", "ASC"
    if sort == SearchSort.YEARS_OF_EXPERIENCE:
        return "years", "DESC", "DESC"
    return "updated_at", "DESC", "DESC"


def _inner_select(plan: _Plan) -> str:
    score = plan.score or "NULL"
    return (
        f"SELECT p.id AS id, p.updated_at AS updated_at, p.years_of_experience AS years, {score} AS score"
        f" FROM {plan.source} WHERE {' AND '.join(plan.conditions)}"
    )


def _cursor_value(plan: _Plan, sort: SearchSort, value: Any) -> Any:
    if sort == SearchSort.RECENTLY_UPDATED and plan.dialect != "sqlite":
        return value.isoformat()
    return value


def _param_value(plan: _Plan, sort: SearchSort, value: Any) -> Any:
    from datetime import datetime

    if sort == SearchSort.RECENTLY_UPDATED:
        if not isinstance(value, str):
            raise BadUserInput("'after' is not a cursor returned by this search (with this sort).")
        if plan.dialect != "sqlite":
            try:
                return datetime.fromisoformat(value)
            except ValueError:
                raise BadUserInput("'after' is not a cursor returned by this search (with this sort).") from None
        return value
    if sort == SearchSort.YEARS_OF_EXPERIENCE:
        if not isinstance(value, int):
            raise BadUserInput("'after' is not a cursor returned by this search (with this sort).")
        return value
    if not isinstance(value, (int, float)):
        raise BadUserInput("'after' is not a cursor returned by this search (with this sort).")
    return float(value)


async def _page(
    connection: Any, plan: _Plan, sort: SearchSort, size: int, after: str | None
) -> tuple[list[dict[str, Any]], bool]:
    code = _SORT_CODES[sort]
    key, key_dir, id_dir = _key_columns(plan, sort)
    params = plan.fresh()
    keyset = ""
    if after is not None:
        values = _decode_cursor(after, code)
        if len(values) != 2:
            raise BadUserInput("'after' is not a cursor returned by this search (with this sort).")
        value = _param_value(plan, sort, values[0])
        last_id = values[1]
        id_op = ">" if id_dir == "ASC" else "<"
        keyset = (
            f" WHERE (h.{key} < {params(value)} OR (h.{key} = {params(value)} AND h.id {id_op} {params(last_id)}))"
        )
    sql = _with_rows(
        f"SELECT * FROM ({_inner_select(plan)}) h{keyset}"
        f" ORDER BY h.{key} {key_dir}, h.id {id_dir} LIMIT {params(size + 1)}",
        f"h.{key} {key_dir}, h.id {id_dir}",
    )
    rows = await connection.execute_query_dict(sql, params.values) if size > 0 else []
    more = len(rows) > size
    rows = rows[:size]
    for row in rows:
        keyval = row["score"] if sort == SearchSort.RELEVANCE else row[key]
        row["cursor"] = encode_cursor([code, _cursor_value(plan, sort, keyval), int(row["id"])])
    return rows, more


def _with_rows(page_sql: str, order: str) -> str:
    """The page (at most 101 ids) joined to its profile rows and display names, so one
    statement returns everything the page needs but skills."""
    return (
        "SELECT h.id AS id, h.score AS score, h.updated_at AS updated_at, h.years AS years,"
        ' u.display_name AS _display_name, p.* FROM (' + page_sql + ") h"
        ' JOIN profile p ON p.id = h.id LEFT JOIN "user" u ON u.id = p.user_id'
        f" ORDER BY {order}"
    )


_PROFILE_COLUMNS: tuple[str, ...] | None = None


def _profile(row: dict[str, Any]) -> Profile:
    global _PROFILE_COLUMNS
    if _PROFILE_COLUMNS is None:
        _PROFILE_COLUMNS = tuple(Profile._meta.fields_db_projection.values())
    return Profile._init_from_db(**{column: row[column] for column in _PROFILE_COLUMNS})


async def _windowed_page(
    connection: Any, plan: _Plan, estimate: int, size: int, after: str | None
) -> tuple[list[dict[str, Any]], bool]:
    """Relevance within windows of profile ids, newest window first (see module doc)."""
    top = (await connection.execute_query_dict("SELECT max(id) AS m FROM profile"))[0]["m"] or 0
    if after is not None:
        values = _decode_cursor(after, _WINDOWED)
        if len(values) != 4 or not all(isinstance(v, int) for v in (values[0], values[1], values[3])):
            raise BadUserInput("'after' is not a cursor returned by this search (with this sort).")
        low, high, last_score, last_id = values[0], values[1], _param_value(plan, SearchSort.RELEVANCE, values[2]), values[3]
    else:
        low, high, last_score, last_id = None, top + 1, None, None
    estimate = max(1, estimate)
    width = max(256, int(WINDOW_TARGET * max(top, 1) / estimate))
    rows: list[dict[str, Any]] = []
    if low is None:
        low = max(0, high - width)
    while size > 0:
        params = plan.fresh()
        keyset = ""
        if last_score is not None:
            keyset = (
                f" WHERE (h.score < {params(last_score)} OR (h.score = {params(last_score)}"
                f" AND h.id > {params(last_id)}))"
            )
        window = f" AND {plan.id_column} >= {params(low)} AND {plan.id_column} < {params(high)}"
        sql = _with_rows(
            f"SELECT * FROM ({_inner_select(plan)}{window}) h{keyset}"
            f" ORDER BY h.score DESC, h.id ASC LIMIT {params(size + 1 - len(rows))}",
            "h.score DESC, h.id ASC",
        )
        batch = await connection.execute_query_dict(sql, params.values)
        for row in batch:
            row["cursor"] = encode_cursor([_WINDOWED, low, high, row["score"], int(row["id"])])
        rows += batch
        if len(rows) > size or low <= 0:
            break
        high, low, last_score, last_id = low, max(0, low - width), None, None
        width *= 2  # sparse windows (selective filters): widen
    more = len(rows) > size
    return rows[:size], more


async def _facets(connection: Any, plan: _Plan, skill_limit: int) -> Facets:
    """Facets in one statement: the result (at most ``FACET_SCAN_CAP + 1`` profiles) is
    materialised once, grouped by profile columns and joined to skills."""
    params = plan.fresh()
    sql = (
        "WITH hits AS MATERIALIZED (SELECT p.id AS id, p.country_code AS country,"
        " p.remote_preference AS remote, p.open_to_work AS status"
        f" FROM {plan.source} WHERE {' AND '.join(plan.conditions)} LIMIT {params(FACET_SCAN_CAP + 1)})"
        " SELECT 'g' AS kind, country AS a, remote AS b, status AS c, count(*) AS n FROM hits"
        " GROUP BY country, remote, status"
        " UNION ALL SELECT * FROM (SELECT 's' AS kind, s.normalized_name AS a, NULL AS b, NULL AS c, count(*) AS n"
        # CROSS JOIN: SQLite keeps hits as the outer loop (skill looked up by index).
        " FROM hits CROSS JOIN skill s WHERE s.profile_id = hits.id GROUP BY s.normalized_name"
        f" ORDER BY n DESC, a ASC LIMIT {params(skill_limit)}) top_skills"
    )
    rows = await connection.execute_query_dict(sql, params.values)
    groups = [r for r in rows if r["kind"] == "g"]
    skills = [r for r in rows if r["kind"] == "s"]
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
    )
