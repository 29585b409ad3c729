"""The orders a search can apply, and which one applies when none is asked for.

Its own module because the engine (keyset codes, ``ORDER BY``), the explanation (why a
result ranks where it does) and saved searches all name a sort; none of them owns it.
"""

from __future__ import annotations

from enum import Enum

from resolvers.search.query import ParsedQuery


class SearchSort(str, Enum):
    RELEVANCE = "RELEVANCE"
    RECENTLY_UPDATED = "RECENTLY_UPDATED"
    YEARS_OF_EXPERIENCE = "YEARS_OF_EXPERIENCE"


def resolve_sort(sort: SearchSort | None, parsed: ParsedQuery) -> SearchSort:
    """The sort asked for; relevance without a query (nothing to rank) and no sort at
    all mean RELEVANCE with a query and RECENTLY_UPDATED without one."""
    if sort is None or (sort == SearchSort.RELEVANCE and parsed.empty):
        return SearchSort.RELEVANCE if not parsed.empty else SearchSort.RECENTLY_UPDATED
    return sort
