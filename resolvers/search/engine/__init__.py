"""``search_candidates``: one interface over both databases.

A search is one SQL statement for the page and its profile rows (text match + rules +
filters + keyset), one for the page's skills and one for its highlights; ``totalCount``
and facets run only when asked for. The package splits the work:

- ``run``: the two entry points, ``search_candidates`` and ``matching_ids``;
- ``plan``: the SQL pieces every statement shares, cursor decoding;
- ``paging``: keyset pages and *windowed* relevance for common words;
- ``results``: the hits of a page, and the count and facets run on demand;
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

from resolvers.search.engine.counts import DEFAULT_EXACT_COUNT_LIMIT, FACET_SCAN_CAP, Count, Facets, FacetValue
from resolvers.search.engine.paging import WINDOW_TARGET, ProfileRow
from resolvers.search.engine.plan import decode_cursor as _decode_cursor  # tests/resolvers/test_pagination.py
from resolvers.search.engine.results import DEFAULT_SKILL_FACETS, MAX_SKILL_FACETS, SearchHit, SearchResult
from resolvers.search.engine.run import matching_ids, search_candidates
from resolvers.search.sort import SearchSort

__all__ = [
    "DEFAULT_EXACT_COUNT_LIMIT",
    "DEFAULT_SKILL_FACETS",
    "FACET_SCAN_CAP",
    "MAX_SKILL_FACETS",
    "WINDOW_TARGET",
    "ProfileRow",
    "Count",
    "FacetValue",
    "Facets",
    "SearchHit",
    "SearchResult",
    "SearchSort",
    "_decode_cursor",
    "matching_ids",
    "search_candidates",
]
