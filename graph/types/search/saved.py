"""Search's saved-search types: the saved search with its filter and the matches kept
since it was saved, and the ``candidateMatched`` alert event."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.context import Info
from graph.types.common import Connection, Node, model_type
from graph.types.search.types import SearchCandidate, SearchSort
from models import search as sm
from resolvers import search as rules
from resolvers.ids import to_global_id
from resolvers.profiles.loaders import viewer_infos
from resolvers.search import queries
from resolvers.search.matching import MatchAlert
from resolvers.search.queries import MatchCard, saved_filter

if TYPE_CHECKING:
    from graph.types.profiles.types import OpenToWork, RemotePreference

PROFILE_TYPES = "graph.types.profiles.types"

@strawberry.type(description="The filter of a saved search, as saved (normalised).")
class SavedSearchFilter:
    all_skills: list[str] = strawberry.field(description="All-of skills (lower case).")
    any_skills: list[str] = strawberry.field(description="Any-of skills (lower case).")
    min_skill_level: int | None = strawberry.field(description="Minimum skill level, 1–5.")
    countries: list[str] = strawberry.field(description="Country codes.")
    cities: list[str] = strawberry.field(description="Cities (lower case).")
    remote_preferences: list[Annotated[RemotePreference, strawberry.lazy(PROFILE_TYPES)]] = strawberry.field(description="Remote preferences.")  # type: ignore[valid-type]  # strawberry enum used as a type
    min_years: int | None = strawberry.field(description="Minimum years of experience.")
    max_years: int | None = strawberry.field(description="Maximum years of experience.")
    salary_budget_amount: int | None = strawberry.field(description="Salary budget amount.")
    salary_budget_currency: str | None = strawberry.field(description="Salary budget currency.")
    available_before: date | None = strawberry.field(description="Available on or before.")
    open_to_work: list[Annotated[OpenToWork, strawberry.lazy(PROFILE_TYPES)]] = strawberry.field(description="Statuses included.")  # type: ignore[valid-type]  # strawberry enum used as a type
    work_authorization: str | None = strawberry.field(description="Work authorization country.")
    updated_since: datetime | None = strawberry.field(description="Updated at or after.")
    include_stale: bool = strawberry.field(description="Whether stale profiles are included.")

    @classmethod
    def of(cls, f: rules.SearchFilter) -> SavedSearchFilter:
        budget = f.salary_budget
        return cls(
            all_skills=list(f.all_skills), any_skills=list(f.any_skills), min_skill_level=f.min_skill_level,
            countries=list(f.countries), cities=list(f.cities), remote_preferences=list(f.remote_preferences),
            min_years=f.min_years, max_years=f.max_years,
            salary_budget_amount=budget.amount if budget else None,
            salary_budget_currency=budget.currency if budget else None,
            available_before=f.available_before, open_to_work=list(f.open_to_work),
            work_authorization=f.work_authorization, updated_since=f.updated_since, include_stale=f.include_stale,
        )


@strawberry.type(description="An employer's named search; only members of the company that saved it see it.")
@model_type(sm.SavedSearch)
class SavedSearch(Node):
    """Resolved straight from ``models.search.SavedSearch`` rows (the row is the root)."""

    @strawberry.field(description="Globally unique ID.")
    def id(self, root: strawberry.Parent[sm.SavedSearch]) -> strawberry.ID:
        return strawberry.ID(to_global_id("SavedSearch", root.pk))

    name: str = strawberry.field(description="Name, 1–120 characters.")
    query: str = strawberry.field(description="Free-text query, at most 500 characters; empty for filters only.")
    alerts_enabled: bool = strawberry.field(description="True when new matches are pushed to `candidateMatched`.")
    created_at: datetime = strawberry.field(description="When it was saved.")

    @strawberry.field(description="The saved filter.")
    def filter(self, root: strawberry.Parent[sm.SavedSearch]) -> SavedSearchFilter:
        return SavedSearchFilter.of(saved_filter(root))

    @strawberry.field(description="The saved sort; null for the default.")
    def sort(self, root: strawberry.Parent[sm.SavedSearch]) -> SearchSort | None:  # type: ignore[valid-type]  # strawberry enum used as a type
        return rules.SearchSort(root.sort) if root.sort else None

    matches_viewed_at: datetime | None = strawberry.field(
        description="When your company last marked the matches viewed (`markSavedSearchMatchesViewed`); null if never."
    )

    @strawberry.field(
        description=(
            "Candidates who matched this search after it was saved (those matching when it was saved are not listed), "
            "newest first: the same candidates `candidateMatched` pushes live, kept. Visibility and blocks are checked "
            "when you read: a candidate who hid their profile or blocked your company since is not listed. "
            "Not a profile view."
        )
    )
    async def matches(
        self,
        root: strawberry.Parent[sm.SavedSearch],
        info: Info,
        first: Annotated[int | None, strawberry.argument(description="Page size, 0–100 (default 20).")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor from a previous page.")] = None,
    ) -> Connection[SavedSearchMatch]:
        viewer = await info.context.loaders(viewer_infos).load(info.context.require_viewer())
        page = await queries.saved_search_matches(info.context.loaders, viewer, root, first=first, after=after)
        return Connection.from_page(page, SavedSearchMatch.of)

    @strawberry.field(description="How many of `matches` are new since your company last viewed them (all of them if never).")
    async def new_match_count(self, root: strawberry.Parent[sm.SavedSearch], info: Info) -> int:
        viewer = await info.context.loaders(viewer_infos).load(info.context.require_viewer())
        return await queries.new_match_count(viewer, root)


@strawberry.type(description="A candidate who matched a saved search after it was saved.")
class SavedSearchMatch:
    candidate: SearchCandidate = strawberry.field(description="The candidate as your company may see them now (identity hidden while anonymous to your company).")
    matched_at: datetime = strawberry.field(description="When the candidate started to match.")
    new_since_last_viewed: bool = strawberry.field(description="True when it matched after your company last marked the matches viewed.")

    @classmethod
    def of(cls, card: MatchCard) -> SavedSearchMatch:
        return cls(
            candidate=SearchCandidate.of(card.candidate),
            matched_at=card.matched_at,
            new_since_last_viewed=card.new_since_last_viewed,
        )


@strawberry.type(description="A candidate who newly matches one of your saved searches.")
class CandidateMatchedEvent:
    _alert: strawberry.Private[MatchAlert]

    @strawberry.field(description="ID of the saved search matched.")
    def saved_search_id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("SavedSearch", self._alert.saved_search_id))

    @strawberry.field(description="The candidate (identity hidden while anonymous to your company).")
    def candidate(self) -> SearchCandidate:
        return SearchCandidate.of(self._alert)

    @strawberry.field(description="When the alert was sent.")
    def matched_at(self) -> datetime:
        return self._alert.matched_at
