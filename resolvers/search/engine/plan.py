"""What every statement of one search shares: the SQL pieces, the sort codes, the cursors.

``build_plan`` turns a parsed query, a validated filter and the viewer into a ``Plan``:
the ``FROM`` source, the ``WHERE`` conditions (text match first, then the privacy rules
and the filter) with their parameters, and the score expression.

Keyset cursors hold ``[sort code, key, profile id]``; windowed relevance cursors
(``"w"``) hold ``[low id, high id, score, profile id]`` (see ``paging``).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from resolvers.errors import BadUserInput
from resolvers.pagination import MAX_CURSOR_LENGTH
from resolvers.profiles.access import ViewerInfo
from resolvers.search.backends import SearchBackend
from resolvers.search.filters import SearchFilter, SqlParams, conditions
from resolvers.search.query import ParsedQuery
from resolvers.search.sort import SearchSort

BAD_CURSOR = "'after' is not a cursor returned by this search (with this sort)."

SORT_CODES = {SearchSort.RELEVANCE: "r", SearchSort.RECENTLY_UPDATED: "u", SearchSort.YEARS_OF_EXPERIENCE: "y"}
WINDOWED = "w"


@dataclass
class Plan:
    """The shared pieces of every statement of one search."""

    dialect: str
    source: str
    conditions: list[str]
    params: list[Any]
    score: str | None
    id_column: str
    # ``conditions[0]`` written so no text index serves it (``backends.window_match``).
    window_match: str | None = None

    def fresh(self) -> SqlParams:
        return SqlParams(self.dialect, list(self.params))

    @property
    def where(self) -> str:
        return " AND ".join(self.conditions)


def build_plan(
    backend: SearchBackend,
    parsed: ParsedQuery,
    flt: SearchFilter,
    viewer: ViewerInfo,
    *,
    ttl_days: int,
    profile_ids: list[int] | None = None,
) -> Plan:
    """The plan of a search by ``viewer`` (``flt`` already validated), restricted to
    ``profile_ids`` when given."""
    params = SqlParams(backend.dialect)
    where: list[str] = []
    score: str | None = None
    if parsed.empty:
        source, id_column = "profile p", "p.id"
    else:
        source, match, score = backend.text_source(parsed, params)
        where.append(match)
        id_column = "profile_search.rowid" if backend.dialect == "sqlite" else "ps.profile_id"
    where += conditions(flt, viewer, params, ttl_days=ttl_days)
    if profile_ids is not None:
        where.append(f"p.id IN ({params.many(profile_ids) or 'NULL'})")
    return Plan(
        backend.dialect, source, where, params.values, score, id_column,
        window_match=None if parsed.empty else backend.window_match,
    )


def _cursor_values(after: str) -> Any:
    """The JSON inside a cursor; raises ``ValueError`` (or a subclass) when there is none."""
    return json.loads(base64.urlsafe_b64decode((after + "=" * (-len(after) % 4)).encode("ascii")))


def decode_cursor(after: str, code: str) -> list[Any]:
    message = BAD_CURSOR
    if not after or len(after) > MAX_CURSOR_LENGTH:
        raise BadUserInput(message)
    try:
        values = _cursor_values(after)
    except (ValueError, TypeError, binascii.Error, UnicodeError, RecursionError):
        raise BadUserInput(message) from None
    if not isinstance(values, list) or not values or values[0] != code:
        raise BadUserInput(message)
    ok = all(isinstance(v, (int, float, str)) and not isinstance(v, bool) for v in values[1:])
    if not ok or not isinstance(values[-1], int) or values[-1] <= 0:
        raise BadUserInput(message)
    return values[1:]


def is_windowed_cursor(after: str) -> bool:
    try:
        values = _cursor_values(after)
    except Exception:
        return False
    return isinstance(values, list) and bool(values) and values[0] == WINDOWED
