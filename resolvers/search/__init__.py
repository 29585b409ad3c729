"""Candidate search: one interface, two databases.

``search_candidates`` picks SQLite FTS5 or PostgreSQL full text from the connection's
dialect (``backends.backend_for``); the query language is parsed by ``query.parse``
into a safe expression; ``filters`` holds the filters and their SQL; ``sort`` the
orders; ``engine`` the paging, windowed ranking for common words, facets and counts;
``explain`` the per-result explanation.

Saved searches and their alerts, in the names every feature uses:

- ``access``: who may search (``require_employer``) and whose saved searches one sees;
- ``queries``: saved searches and search candidates read back (``node(id:)``);
- ``commands``: saving and deleting a search;
- ``matching``: which saved searches a changed profile newly matches, and the alert sent;
- ``events``: ``notify_profile_changed``, which a profile write calls after commit;
- ``loaders``: batch functions for saved searches.
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
from resolvers.search.events import notify_profile_changed
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
    "notify_profile_changed",
    "search_candidates",
]
