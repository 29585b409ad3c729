"""What every statement of one search shares: the sort, the SQL pieces, the cursors.

Keyset cursors hold ``[sort code, key, profile id]``; windowed relevance cursors
(``"w"``) hold ``[low id, high id, score, profile id]`` (see ``paging``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from resolvers.errors import BadUserInput
from resolvers.pagination import MAX_CURSOR_LENGTH
from resolvers.search.filters import SqlParams
from resolvers.search.query import ParsedQuery

BAD_CURSOR = "'after' is not a cursor returned by this search (with this sort)."


class SearchSort(str, Enum):
    RELEVANCE = "RELEVANCE"
    RECENTLY_UPDATED = "RECENTLY_UPDATED"
    YEARS_OF_EXPERIENCE = "YEARS_OF_EXPERIENCE"


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


def resolve_sort(sort: SearchSort | None, parsed: ParsedQuery) -> SearchSort:
    if sort is None or (sort == SearchSort.RELEVANCE and parsed.empty):
        return SearchSort.RELEVANCE if not parsed.empty else SearchSort.RECENTLY_UPDATED
    return sort


def decode_cursor(after: str, code: str) -> list[Any]:
    import base64
    import binascii
    import json

    message = BAD_CURSOR
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

def is_windowed_cursor(after: str) -> bool:
    import base64
    import json

    try:
        values = json.loads(base64.urlsafe_b64decode((after + "=" * (-len(after) % 4)).encode("ascii")))
    except Exception:
        return False
    return isinstance(values, list) and bool(values) and values[0] == WINDOWED

