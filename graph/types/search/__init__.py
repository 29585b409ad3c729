"""Search in GraphQL: ``types`` (results, facets, explanations) and ``operations``
(filters, saved searches, the Query/Mutation/Subscription roots)."""

from graph.types.search.operations import SearchMutation, SearchQuery, SearchSubscription

__all__ = ["SearchMutation", "SearchQuery", "SearchSubscription"]
