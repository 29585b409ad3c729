"""Candidate search: one interface, two databases.

``search_candidates`` picks SQLite FTS5 or PostgreSQL full text from the connection's
dialect (``backends.backend_for``); the query language is parsed by ``query.parse``
into a safe expression; ``filters`` holds the filters and their SQL; ``engine`` the
paging, windowed ranking for common words, facets and counts; ``explain`` the
per-result explanation; ``saved`` saved searches and the alert matcher.
"""

from resolvers.search.engine import (
    Facets,
    FacetValue,
    SearchHit,
    SearchResult,
    SearchSort,
    matching_ids,
    search_candidates,
)
from resolvers.search.filters import SalaryBudget, SearchFilter

__all__ = [
    "FacetValue",
    "Facets",
    "SalaryBudget",
    "SearchFilter",
    "SearchHit",
    "SearchResult",
    "SearchSort",
    "matching_ids",
    "search_candidates",
]
