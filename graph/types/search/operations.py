"""Search's root operations: ``searchCandidates`` and ``savedSearches``, ``saveSearch``,
``deleteSavedSearch`` and ``markSavedSearchMatchesViewed``, ``candidateMatched``; and ``node(id:)`` for saved searches
and search candidates. Each maps GraphQL arguments to ``resolvers.search`` and its
answer back to the types; the rules (who may, what is visible) are decided there."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Annotated, TypeVar

import strawberry

from graph.context import Context, Info
from graph.types.common import Connection
from graph.types.mutations import payload_mutation
from graph.types.node import register_node
from graph.types.search.inputs import (
    DeleteSavedSearchInput,
    DeleteSavedSearchPayload,
    MarkSavedSearchMatchesViewedInput,
    MarkSavedSearchMatchesViewedPayload,
    SaveSearchInput,
    SaveSearchPayload,
    SearchFilterInput,
)
from graph.types.search.saved import CandidateMatchedEvent, SavedSearch
from graph.types.search.types import CandidateSearchConnection, SearchCandidate, SearchSort
from models import search as sm
from resolvers import search as rules
from resolvers.ids import parse_typed_id
from resolvers.profiles.access import ViewerInfo
from resolvers.search import commands, queries
from resolvers.search.access import require_employer
from subscriptions import search as alerts

T = TypeVar("T")


async def _saved_search_nodes(info: Info, ids: list[int]) -> list[sm.SavedSearch | None]:
    return await queries.saved_searches_for(info.context.loaders, info.context.viewer, ids)


async def _search_candidate_nodes(info: Info, ids: list[int]) -> list[SearchCandidate | None]:
    cards = await queries.candidates_by_profile_id(info.context.loaders, info.context.viewer, ids)
    return [SearchCandidate.of(card) if card is not None else None for card in cards]


register_node("SavedSearch", _saved_search_nodes)
register_node("SearchCandidate", _search_candidate_nodes)


@strawberry.type
class SearchQuery:
    @strawberry.field(
        description=(
            "Employers only: candidates matching a free-text query and filters, visible to your company "
            "(never HIDDEN profiles nor candidates who block your company; only profiles confirmed available "
            "recently unless `filter.includeStale`). Appearing here is not a profile view. Query language: "
            "words (all required), `word*` prefix, \"quoted phrase\", `a OR b`, `-word` to exclude; anything "
            "else is plain text. Candidates get FORBIDDEN, anonymous callers UNAUTHENTICATED."
        )
    )
    async def search_candidates(
        self,
        info: Info,
        query: Annotated[str | None, strawberry.argument(description="Free text, at most 500 characters.")] = None,
        filter: Annotated[SearchFilterInput | None, strawberry.argument(description="Filters; omit for none.")] = None,
        sort: Annotated[SearchSort | None, strawberry.argument(description="Order; default RELEVANCE with a query, else RECENTLY_UPDATED.")] = None,  # type: ignore[valid-type]  # strawberry enum used as a type
        first: Annotated[int | None, strawberry.argument(description="Page size, 0–100 (default 20).")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor of the last result of the previous page.")] = None,
    ) -> CandidateSearchConnection:
        viewer = await require_employer(info.context.require_viewer())
        settings = info.context.settings
        result = await rules.search_candidates(
            viewer,
            ttl_days=settings.availability_ttl_days,
            exact_limit=settings.search_exact_count_limit,
            query=query,
            flt=filter.to_filter() if filter else None,
            sort=sort,
            first=first,
            after=after,
        )
        return CandidateSearchConnection.of(result)

    @strawberry.field(description="Employers only: your company's saved searches, newest first.")
    async def saved_searches(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description="Page size, 0–100 (default 20).")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor from a previous page.")] = None,
    ) -> Connection[SavedSearch]:
        viewer = await require_employer(info.context.require_viewer())
        page = await queries.company_saved_searches(viewer, first=first, after=after)
        return Connection.from_page(page)


async def _as_employer(context: Context, rule: Callable[[ViewerInfo], Awaitable[T]]) -> T:
    """``rule`` run for the viewer once she is an employer with a confirmed email
    (UNAUTHENTICATED / FORBIDDEN otherwise, before the input is looked at)."""
    return await rule(await require_employer(context.require_viewer()))


async def _deleted(id: strawberry.ID, call: Awaitable[None]) -> strawberry.ID:
    await call
    return id


@strawberry.type
class SearchMutation:
    save_search = payload_mutation(
        description="Employers only: save a search for your company (at most 100 per company). Profiles it matches now are recorded, so alerts fire only for new matches.",
        input=(SaveSearchInput, "The search to save."),
        payload=SaveSearchPayload,
        field="saved_search",
        rule=lambda c, input: _as_employer(c, lambda viewer: commands.save_search(
            viewer, ttl_days=c.settings.availability_ttl_days, name=input.name, query=input.query,
            flt=input.filter.to_filter() if input.filter else None, sort=input.sort, alerts_enabled=input.alerts_enabled,
        )),
    )
    delete_saved_search = payload_mutation(
        description="Employers only: delete one of your company's saved searches (NOT_FOUND for any other).",
        input=(DeleteSavedSearchInput, "Which search."),
        payload=DeleteSavedSearchPayload,
        field="deleted_saved_search_id",
        rule=lambda c, input: _as_employer(
            c, lambda viewer: _deleted(input.id, commands.delete_saved_search(viewer, parse_typed_id(input.id, "SavedSearch")))
        ),
    )
    mark_saved_search_matches_viewed = payload_mutation(
        description="Employers only: your company has seen the matches of one of its saved searches so far: `newSinceLastViewed` counts from now, and your notification of its matches is marked read. NOT_FOUND for another company's search.",
        input=(MarkSavedSearchMatchesViewedInput, "Which search."),
        payload=MarkSavedSearchMatchesViewedPayload,
        field="saved_search",
        rule=lambda c, input: _as_employer(
            c, lambda viewer: commands.mark_matches_viewed(viewer, parse_typed_id(input.saved_search_id, "SavedSearch", "savedSearchId"))
        ),
    )


@strawberry.type
class SearchSubscription:
    @strawberry.subscription(
        description="Employers only: candidates who newly match one of your company's saved searches (alerts enabled), as their profiles are created or updated. Each candidate alerts once per search; visibility and blocks are checked when sending, and the candidate's access log records the alert."
    )
    async def candidate_matched(
        self,
        info: Info,
        saved_search_id: Annotated[strawberry.ID, strawberry.argument(description="ID of one of your company's saved searches.")],
    ) -> AsyncGenerator[CandidateMatchedEvent, None]:
        pk = parse_typed_id(saved_search_id, "SavedSearch", "savedSearchId")
        async for alert in alerts.candidate_matched(info.context.broker, info.context.session, pk):
            yield CandidateMatchedEvent(_alert=alert)


__all__ = ["SearchMutation", "SearchQuery", "SearchSubscription"]
