"""The dialect-specific half of search: how text matches, scores and highlights.

``backend_for(connection)`` picks one from the connection's dialect; the rest of
search (filters, paging, facets, explanations) is shared SQL.

- SQLite: FTS5 ``MATCH`` with ``bm25`` (column weights below; bm25 is "lower is
  better", we negate it so a higher score is a better match), ``snippet`` for
  highlights, and ``fts5vocab`` document frequencies to estimate a query's size.
- PostgreSQL: ``to_tsquery('english', …)`` (built by our parser, never raw input)
  over the weighted ``tsvector`` with its GIN index, ``ts_rank`` with weights
  D/C/B/A = 0.1/0.3/0.6/1.0, and ``ts_headline`` for highlights.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from resolvers.search.filters import SqlParams
from resolvers.search.query import ParsedQuery, render_fts5, render_tsquery

# Search document columns, in index order, and their weights (headline and skills
# above summary, summary above experience and goals).
FIELDS = ("headline", "skills", "summary", "experience", "goals")
FIELD_NAMES = {
    "headline": "HEADLINE",
    "skills": "SKILLS",
    "summary": "SUMMARY",
    "experience": "EXPERIENCE",
    "goals": "CAREER_GOALS",
}
SQLITE_WEIGHTS = (4.0, 3.0, 1.5, 1.0, 1.0)
MARK_START = "\ue000"
MARK_END = "\ue001"
SNIPPET_TOKENS = 12


@dataclass(frozen=True)
class Highlight:
    """A snippet of one field with the matched words as (start, length) ranges."""

    field: str
    text: str
    matches: tuple[tuple[int, int], ...]


def parse_marked(field: str, marked: str) -> Highlight | None:
    """Turn ``…a \ue000match\ue001 b…`` into text plus ranges; None without a match."""
    text: list[str] = []
    matches: list[tuple[int, int]] = []
    position = 0
    start: int | None = None
    for part in re.split(f"([{MARK_START}{MARK_END}])", marked):
        if part == MARK_START:
            start = position
        elif part == MARK_END:
            if start is not None and position > start:
                matches.append((start, position - start))
            start = None
        else:
            text.append(part)
            position += len(part)
    if not matches:
        return None
    return Highlight(FIELD_NAMES[field], "".join(text), tuple(matches))


class SqliteSearch:
    dialect = "sqlite"
    # FTS5 seeks its doclists to a rowid range itself: windows keep the MATCH.
    window_match: str | None = None

    def text_source(self, parsed: ParsedQuery, params: SqlParams) -> tuple[str, str, str]:
        """(FROM clause, WHERE condition, score expression)."""
        expression = render_fts5(parsed)
        weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
        return (
            "profile_search JOIN profile p ON p.id = profile_search.rowid",
            f"profile_search MATCH {params(expression)}",
            f"-bm25(profile_search, {weights})",
        )

    async def estimate(self, connection: Any, parsed: ParsedQuery) -> int:
        """An upper bound of the profiles the query's text matches, from document
        frequencies (a few index lookups): the smallest AND group wins, an OR group sums,
        a prefix sums the frequencies of its words."""
        best: int | None = None
        for group in parsed.groups:
            group_total = 0
            for term in group:
                term_best: int | None = None
                for i, word in enumerate(term.words):
                    prefix = term.prefix and i == len(term.words) - 1
                    frequency = await self._frequency(connection, word, prefix)
                    term_best = frequency if term_best is None else min(term_best, frequency)
                group_total += term_best or 0
            best = group_total if best is None else min(best, group_total)
        return best or 0

    async def _frequency(self, connection: Any, word: str, prefix: bool) -> int:
        # The vocabulary holds stemmed tokens; a word's stem is a prefix of the word
        # for the porter stemmer in nearly every case, so range over the first
        # characters and take the largest single entry (or the sum for a prefix).
        if prefix:
            rows = await connection.execute_query_dict(
                "SELECT sum(doc) AS n FROM profile_search_vocab WHERE term >= ? AND term < ?",
                [word, word + "\U0010ffff"],
            )
            return int(rows[0]["n"] or 0)
        rows = await connection.execute_query_dict(
            "SELECT max(doc) AS n FROM profile_search_vocab WHERE term >= ? AND term <= ?",
            [word[: max(3, len(word) - 3)], word],
        )
        return int(rows[0]["n"] or 0)

    async def planned_rows(self, connection: Any, sql: str, values: list[Any]) -> int | None:
        """SQLite's planner keeps no row estimates: None (``counts`` extrapolates)."""
        return None

    async def highlights(
        self, connection: Any, parsed: ParsedQuery, profile_ids: list[int]
    ) -> dict[int, list[Highlight]]:
        if not profile_ids or parsed.empty:
            return {}
        params = SqlParams("sqlite")
        columns = ", ".join(
            f"snippet(profile_search, {i}, '{MARK_START}', '{MARK_END}', '…', {SNIPPET_TOKENS}) AS c{i}"
            for i in range(len(FIELDS))
        )
        sql = (
            f"SELECT rowid AS id, {columns} FROM profile_search WHERE profile_search MATCH {params(render_fts5(parsed))}"
            f" AND rowid IN ({params.many(profile_ids)})"
        )
        rows = await connection.execute_query_dict(sql, params.values)
        result: dict[int, list[Highlight]] = {}
        for row in rows:
            found = [parse_marked(name, row[f"c{i}"] or "") for i, name in enumerate(FIELDS)]
            result[int(row["id"])] = [h for h in found if h is not None]
        return result


class PostgresSearch:
    dialect = "postgres"

    def text_source(self, parsed: ParsedQuery, params: SqlParams) -> tuple[str, str, str]:
        tsquery = render_tsquery(parsed)
        return (
            f"profile_search ps JOIN profile p ON p.id = ps.profile_id"
            f" CROSS JOIN to_tsquery('english', {params(tsquery)}) q",
            "ps.document @@ q",
            "ts_rank('{0.1, 0.3, 0.6, 1.0}', ps.document, q)::float8",
        )

    # The same match as ``ps.document @@ q`` that the GIN index cannot serve. Windowed
    # relevance uses it for narrow id windows of a very common word: the planner ANDed
    # the window's primary-key range with a GIN bitmap of *every* match (314k rows,
    # ~440 ms at 1M for "data engineer"; docs/search-plans.md), where reading the ~6k
    # rows of the window and testing each costs ~10 ms.
    window_match = "ts_match_vq(ps.document, q)"

    async def planned_rows(self, connection: Any, sql: str, values: list[Any]) -> int | None:
        """The planner's row estimate for ``sql`` (planning only, ~1 ms)."""
        return await self._planned_rows(connection, sql, values)

    async def estimate(self, connection: Any, parsed: ParsedQuery) -> int:
        # The planner's row estimate for the match (statistics on the GIN index);
        # cheap, and only used to choose a ranking strategy.
        params = SqlParams("postgres")
        sql = (
            "SELECT 1 FROM profile_search ps"
            f" WHERE ps.document @@ to_tsquery('english', {params(render_tsquery(parsed))})"
        )
        return await self._planned_rows(connection, sql, params.values)

    async def _planned_rows(self, connection: Any, sql: str, values: list[Any]) -> int:
        rows = await connection.execute_query_dict("EXPLAIN (FORMAT JSON) " + sql, values)
        plan = rows[0]["QUERY PLAN"]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])

    async def highlights(
        self, connection: Any, parsed: ParsedQuery, profile_ids: list[int]
    ) -> dict[int, list[Highlight]]:
        if not profile_ids or parsed.empty:
            return {}
        params = SqlParams("postgres")
        options = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=20, MinWords=6, MaxFragments=2, FragmentDelimiter=\" … \""
        query_param = params(render_tsquery(parsed))
        options_param = params(options)
        columns = ", ".join(
            f"ts_headline('english', ps.{name}, q, {options_param}) AS {name}" for name in FIELDS
        )
        sql = (
            f"SELECT ps.profile_id AS id, {columns} FROM profile_search ps"
            f" CROSS JOIN to_tsquery('english', {query_param}) q"
            f" WHERE ps.profile_id = ANY({params(profile_ids)}::bigint[])"
        )
        rows = await connection.execute_query_dict(sql, params.values)
        result: dict[int, list[Highlight]] = {}
        for row in rows:
            found = [parse_marked(name, row[name] or "") for name in FIELDS]
            result[int(row["id"])] = [h for h in found if h is not None]
        return result


SearchBackend = SqliteSearch | PostgresSearch


def backend_for(connection: Any) -> SearchBackend:
    dialect = connection.capabilities.dialect
    if dialect == "sqlite":
        return SqliteSearch()
    if dialect == "postgres":
        return PostgresSearch()
    raise RuntimeError(f"search does not support the {dialect!r} database dialect")
