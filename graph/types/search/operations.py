"""Search operations: filters, saved searches, ``searchCandidates`` and ``candidateMatched``."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

import strawberry

from graph.context import Info
from graph.types.common import (
    Connection,
    Node,
    PageInfo,
    UserError,
    model_type,
    user_errors,
)
from graph.types.node import register_node
from graph.types.profiles.types import (
    OpenToWork,
    RemotePreference,
    SalaryPeriod,
    access_of,
    viewer_of,
    visible_profiles,
)
from models import profiles as pm
from models import search as sm
from resolvers import search as rules
from resolvers.errors import UserErrors
from resolvers.ids import parse_typed_id, to_global_id
from resolvers.profiles import loaders as profile_loaders
from resolvers.accounts.loaders import users_by_id
from resolvers.search.loaders import saved_searches_by_id
from resolvers.pagination import SortKey, keyset_page
from resolvers.search import saved
from subscriptions import search as alerts
from graph.types.search.types import (
    SearchSort,
    SearchCandidate,
    _explanation,
    _highlight,
    CandidateSearchEdge,
    CandidateSearchConnection,
)

# --- inputs ------------------------------------------------------------------------


@strawberry.input(description="A salary budget: candidates whose desired minimum fits it.")
class SalaryBudgetInput:
    amount: int = strawberry.field(description="The most you can pay, 0 to 2147483647, in `currency` per `period`.")
    currency: str = strawberry.field(description="ISO 4217 code such as EUR.")
    period: SalaryPeriod = strawberry.field(  # type: ignore[valid-type]
        default=pm.SalaryPeriod.YEAR, description="Period of the amount (default YEAR)."
    )


@strawberry.input(description="Filters for `searchCandidates`; every field given narrows the result.")
class SearchFilterInput:
    all_skills: list[str] | None = strawberry.field(default=None, description="Candidates with every one of these skills (at most 20, case-insensitive).")
    any_skills: list[str] | None = strawberry.field(default=None, description="Candidates with at least one of these skills (at most 20).")
    min_skill_level: int | None = strawberry.field(default=None, description="Minimum level (1–5) for the skills in `allSkills` and `anySkills`.")
    countries: list[str] | None = strawberry.field(default=None, description="ISO 3166-1 alpha-2 country codes (at most 50).")
    cities: list[str] | None = strawberry.field(default=None, description="City names, case-insensitive (at most 50).")
    remote_preferences: list[RemotePreference] | None = strawberry.field(default=None, description="Accepted remote preferences.")  # type: ignore[valid-type]
    min_years: int | None = strawberry.field(default=None, description="Minimum years of experience, 0–80.")
    max_years: int | None = strawberry.field(default=None, description="Maximum years of experience, 0–80.")
    salary_budget: SalaryBudgetInput | None = strawberry.field(default=None, description="Candidates whose desired minimum is at most this (same currency and period); candidates without a stated minimum match too.")
    available_before: date | None = strawberry.field(default=None, description="Candidates available on or before this date (no date given means available now).")
    open_to_work: list[OpenToWork] | None = strawberry.field(default=None, description="Statuses to include; default ACTIVELY_LOOKING and OPEN.")  # type: ignore[valid-type]
    work_authorization: str | None = strawberry.field(default=None, description="Candidates authorised to work in this country (ISO alpha-2).")
    updated_since: datetime | None = strawberry.field(default=None, description="Candidates whose profile changed at or after this time (with time zone).")
    include_stale: bool = strawberry.field(default=False, description="Also include candidates who have not confirmed their availability within the freshness period (60 days by default; never confirmed counts from sign-up, so a new profile is fresh).")

    def to_filter(self) -> rules.SearchFilter:
        budget = self.salary_budget
        return rules.SearchFilter(
            all_skills=tuple(self.all_skills or ()),
            any_skills=tuple(self.any_skills or ()),
            min_skill_level=self.min_skill_level,
            countries=tuple(self.countries or ()),
            cities=tuple(self.cities or ()),
            remote_preferences=tuple(self.remote_preferences or ()),
            min_years=self.min_years,
            max_years=self.max_years,
            salary_budget=rules.SalaryBudget(budget.amount, budget.currency, budget.period) if budget else None,
            available_before=self.available_before,
            open_to_work=tuple(self.open_to_work or ()) or rules.filters.DEFAULT_STATUSES,
            work_authorization=self.work_authorization,
            updated_since=self.updated_since,
            include_stale=self.include_stale,
        )


# --- saved searches ----------------------------------------------------------------


@strawberry.type(description="The filter of a saved search, as saved (normalised).")
class SavedSearchFilter:
    all_skills: list[str] = strawberry.field(description="All-of skills (lower case).")
    any_skills: list[str] = strawberry.field(description="Any-of skills (lower case).")
    min_skill_level: int | None = strawberry.field(description="Minimum skill level, 1–5.")
    countries: list[str] = strawberry.field(description="Country codes.")
    cities: list[str] = strawberry.field(description="Cities (lower case).")
    remote_preferences: list[RemotePreference] = strawberry.field(description="Remote preferences.")  # type: ignore[valid-type]
    min_years: int | None = strawberry.field(description="Minimum years of experience.")
    max_years: int | None = strawberry.field(description="Maximum years of experience.")
    salary_budget_amount: int | None = strawberry.field(description="Salary budget amount.")
    salary_budget_currency: str | None = strawberry.field(description="Salary budget currency.")
    available_before: date | None = strawberry.field(description="Available on or before.")
    open_to_work: list[OpenToWork] = strawberry.field(description="Statuses included.")  # type: ignore[valid-type]
    work_authorization: str | None = strawberry.field(description="Work authorization country.")
    updated_since: datetime | None = strawberry.field(description="Updated at or after.")
    include_stale: bool = strawberry.field(description="Whether stale profiles are included.")


@strawberry.type(description="An employer's named search; only members of the company that saved it see it.")
@model_type(sm.SavedSearch)
class SavedSearch(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("SavedSearch", self.pk))  # type: ignore[attr-defined]

    name: str = strawberry.field(description="Name, 1–120 characters.")
    query: str = strawberry.field(description="Free-text query, at most 500 characters; empty for filters only.")
    alerts_enabled: bool = strawberry.field(description="True when new matches are pushed to `candidateMatched`.")
    created_at: datetime = strawberry.field(description="When it was saved.")

    @strawberry.field(description="The saved filter.")
    def filter(self) -> SavedSearchFilter:
        f = saved.saved_filter(self)  # type: ignore[arg-type]
        return SavedSearchFilter(
            all_skills=list(f.all_skills), any_skills=list(f.any_skills), min_skill_level=f.min_skill_level,
            countries=list(f.countries), cities=list(f.cities), remote_preferences=list(f.remote_preferences),
            min_years=f.min_years, max_years=f.max_years,
            salary_budget_amount=f.salary_budget.amount if f.salary_budget else None,
            salary_budget_currency=f.salary_budget.currency if f.salary_budget else None,
            available_before=f.available_before, open_to_work=list(f.open_to_work),
            work_authorization=f.work_authorization, updated_since=f.updated_since, include_stale=f.include_stale,
        )

    @strawberry.field(description="The saved sort; null for the default.")
    def sort(self) -> SearchSort | None:  # type: ignore[valid-type]
        value = self.sort  # type: ignore[attr-defined]
        return rules.SearchSort(value) if value else None


async def _resolve_saved_searches(info: Info, ids: list[int]) -> list[sm.SavedSearch | None]:
    user = info.context.viewer
    if user is None or user.company_id is None:
        return [None] * len(ids)
    rows = await info.context.loaders(saved_searches_by_id).load_many(ids)
    return [r if r is not None and r.company_id == user.company_id else None for r in rows]


register_node("SavedSearch", _resolve_saved_searches)


@dataclass(frozen=True)
class _CandidateSource:
    """What ``SearchCandidate.of`` reads, for a candidate fetched by ``node(id:)``."""

    profile: Any
    skills: list[Any]
    access: Any
    display_name: str | None


async def _resolve_search_candidates(info: Info, ids: list[int]) -> list[SearchCandidate | None]:
    """``node(id:)`` of a SearchCandidate: employers only (search is theirs), under the same
    visibility as the Profile; like search, not logged as a profile view."""
    if info.context.viewer is None or not (await viewer_of(info)).is_employer:
        return [None] * len(ids)
    profiles = await visible_profiles(info, await info.context.loaders(profile_loaders.profiles_by_id).load_many(ids))
    present = [p for p in profiles if p is not None]
    skills = await info.context.loaders(profile_loaders.skills_by_profile_id).load_many([p.pk for p in present])
    users = await info.context.loaders(users_by_id).load_many([p.user_id for p in present])
    by_pk = {
        p.pk: SearchCandidate.of(
            _CandidateSource(p, s, access_of(p), u.display_name if u is not None and access_of(p).identity else None)
        )
        for p, s, u in zip(present, skills, users)
    }
    return [by_pk.get(pk) for pk in ids]


register_node("SearchCandidate", _resolve_search_candidates)


@strawberry.input(description="A search to save.")
class SaveSearchInput:
    name: str = strawberry.field(description="Name, 1–120 characters.")
    query: str | None = strawberry.field(default=None, description="Free-text query, at most 500 characters.")
    filter: SearchFilterInput | None = strawberry.field(default=None, description="Filters; omit for none.")
    sort: SearchSort | None = strawberry.field(default=None, description="Sort; omit for the default.")  # type: ignore[valid-type]
    alerts_enabled: bool = strawberry.field(default=True, description="Push new matches to `candidateMatched` (default true).")


@strawberry.type(description="Result of `saveSearch`.")
class SaveSearchPayload:
    saved_search: SavedSearch | None = strawberry.field(description="The saved search; null on failure.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.input(description="The saved search to delete.")
class DeleteSavedSearchInput:
    id: strawberry.ID = strawberry.field(description="ID of one of your company's saved searches.")


@strawberry.type(description="Result of `deleteSavedSearch`.")
class DeleteSavedSearchPayload:
    deleted_saved_search_id: strawberry.ID | None = strawberry.field(description="ID of the deleted search; null on failure.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="A candidate who newly matches one of your saved searches.")
class CandidateMatchedEvent:
    _alert: strawberry.Private[Any]

    @strawberry.field(description="ID of the saved search matched.")
    def saved_search_id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("SavedSearch", self._alert.saved_search_id))

    @strawberry.field(description="The candidate (identity hidden while anonymous to your company).")
    def candidate(self) -> SearchCandidate:
        return SearchCandidate.of(self._alert)

    @strawberry.field(description="When the alert was sent.")
    def matched_at(self) -> datetime:
        return self._alert.matched_at


# --- roots ---------------------------------------------------------------------------


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
        sort: Annotated[SearchSort | None, strawberry.argument(description="Order; default RELEVANCE with a query, else RECENTLY_UPDATED.")] = None,  # type: ignore[valid-type]
        first: Annotated[int | None, strawberry.argument(description="Page size, 0–100 (default 20).")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor of the last result of the previous page.")] = None,
    ) -> CandidateSearchConnection:
        viewer = await saved.require_employer(info.context.require_viewer())
        result = await rules.search_candidates(
            viewer,
            ttl_days=info.context.settings.availability_ttl_days,
            query=query,
            flt=filter.to_filter() if filter else None,
            sort=sort,
            first=first,
            after=after,
            exact_limit=info.context.settings.search_exact_count_limit,
        )
        edges = [
            CandidateSearchEdge(
                cursor=hit.cursor,
                node=SearchCandidate.of(hit),
                score=hit.score,
                highlights=[_highlight(h) for h in hit.highlights],
                match_explanation=_explanation(hit.explanation),
            )
            for hit in result.hits
        ]
        return CandidateSearchConnection(
            _result=result,
            edges=edges,
            page_info=PageInfo(
                has_next_page=result.has_next_page,
                has_previous_page=result.has_previous_page,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            sort=result.sort,
            ranking_approximate=result.ranking_approximate,
        )

    @strawberry.field(description="Employers only: your company's saved searches, newest first.")
    async def saved_searches(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description="Page size, 0–100 (default 20).")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor from a previous page.")] = None,
    ) -> Connection[SavedSearch]:
        viewer = await saved.require_employer(info.context.require_viewer())
        assert viewer.company is not None
        page = await keyset_page(
            sm.SavedSearch.filter(company_id=viewer.company.pk),
            [SortKey("id", descending=True)],
            first=first,
            after=after,
        )
        return Connection.from_page(page)  # type: ignore[return-value]


@strawberry.type
class SearchMutation:
    @strawberry.mutation(description="Employers only: save a search for your company (at most 100 per company). Profiles it matches now are recorded, so alerts fire only for new matches.")
    async def save_search(
        self, info: Info, input: Annotated[SaveSearchInput, strawberry.argument(description="The search to save.")]
    ) -> SaveSearchPayload:
        viewer = await saved.require_employer(info.context.require_viewer())
        try:
            row = await saved.save_search(
                viewer,
                ttl_days=info.context.settings.availability_ttl_days,
                name=input.name,
                query=input.query,
                flt=input.filter.to_filter() if input.filter else None,
                sort=input.sort,
                alerts_enabled=input.alerts_enabled,
            )
        except UserErrors as exc:
            return SaveSearchPayload(saved_search=None, user_errors=user_errors(exc))
        return SaveSearchPayload(saved_search=row, user_errors=[])  # type: ignore[arg-type]

    @strawberry.mutation(description="Employers only: delete one of your company's saved searches (NOT_FOUND for any other).")
    async def delete_saved_search(
        self, info: Info, input: Annotated[DeleteSavedSearchInput, strawberry.argument(description="Which search.")]
    ) -> DeleteSavedSearchPayload:
        viewer = await saved.require_employer(info.context.require_viewer())
        try:
            pk = parse_typed_id(input.id, "SavedSearch")
            await saved.delete_saved_search(viewer, pk)
        except UserErrors as exc:
            return DeleteSavedSearchPayload(deleted_saved_search_id=None, user_errors=user_errors(exc))
        return DeleteSavedSearchPayload(deleted_saved_search_id=input.id, user_errors=[])


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
