"""Search in GraphQL: ``types`` (candidates, results, facets, explanations), ``saved``
(saved searches, their matches, the alert event), ``inputs`` (filters, mutation inputs and payloads) and
``operations`` (the Query/Mutation/Subscription roots and ``node(id:)`` resolvers)."""

from graph.types.search.operations import SearchMutation, SearchQuery, SearchSubscription

__all__ = ["SearchMutation", "SearchQuery", "SearchSubscription"]
