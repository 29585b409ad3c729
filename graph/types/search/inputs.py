"""Search's input types and mutation payloads."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.types.common import UserError
from graph.types.search.saved import SavedSearch
from graph.types.search.types import SearchSort
from models.profiles import SalaryPeriod as SalaryPeriodValue
from resolvers import search as rules
from resolvers.search.filters import DEFAULT_STATUSES

if TYPE_CHECKING:
    from graph.types.profiles.types import OpenToWork, RemotePreference, SalaryPeriod

PROFILE_TYPES = "graph.types.profiles.types"


@strawberry.input(description="A salary budget: candidates whose desired minimum fits it.")
class SalaryBudgetInput:
    amount: int = strawberry.field(description="The most you can pay, 0 to 2147483647, in `currency` per `period`.")
    currency: str = strawberry.field(description="ISO 4217 code such as EUR.")
    period: Annotated[SalaryPeriod, strawberry.lazy(PROFILE_TYPES)] = strawberry.field(  # type: ignore[valid-type]  # strawberry enum used as a type
        default=SalaryPeriodValue.YEAR, description="Period of the amount (default YEAR)."
    )


@strawberry.input(description="Filters for `searchCandidates`; every field given narrows the result.")
class SearchFilterInput:
    all_skills: list[str] | None = strawberry.field(default=None, description="Candidates with every one of these skills (at most 20, case-insensitive).")
    any_skills: list[str] | None = strawberry.field(default=None, description="Candidates with at least one of these skills (at most 20).")
    min_skill_level: int | None = strawberry.field(default=None, description="Minimum level (1–5) for the skills in `allSkills` and `anySkills`.")
    countries: list[str] | None = strawberry.field(default=None, description="ISO 3166-1 alpha-2 country codes (at most 50).")
    cities: list[str] | None = strawberry.field(default=None, description="City names, case-insensitive (at most 50).")
    remote_preferences: list[Annotated[RemotePreference, strawberry.lazy(PROFILE_TYPES)]] | None = strawberry.field(default=None, description="Accepted remote preferences.")  # type: ignore[valid-type]  # strawberry enum used as a type
    min_years: int | None = strawberry.field(default=None, description="Minimum years of experience, 0–80.")
    max_years: int | None = strawberry.field(default=None, description="Maximum years of experience, 0–80.")
    salary_budget: SalaryBudgetInput | None = strawberry.field(default=None, description="Candidates whose desired minimum is at most this (same currency and period); candidates without a stated minimum match too.")
    available_before: date | None = strawberry.field(default=None, description="Candidates available on or before this date (no date given means available now).")
    open_to_work: list[Annotated[OpenToWork, strawberry.lazy(PROFILE_TYPES)]] | None = strawberry.field(default=None, description="Statuses to include; default ACTIVELY_LOOKING and OPEN.")  # type: ignore[valid-type]  # strawberry enum used as a type
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
            open_to_work=tuple(self.open_to_work or ()) or DEFAULT_STATUSES,
            work_authorization=self.work_authorization,
            updated_since=self.updated_since,
            include_stale=self.include_stale,
        )


@strawberry.input(description="A search to save.")
class SaveSearchInput:
    name: str = strawberry.field(description="Name, 1–120 characters.")
    query: str | None = strawberry.field(default=None, description="Free-text query, at most 500 characters.")
    filter: SearchFilterInput | None = strawberry.field(default=None, description="Filters; omit for none.")
    sort: SearchSort | None = strawberry.field(default=None, description="Sort; omit for the default.")  # type: ignore[valid-type]  # strawberry enum used as a type
    alerts_enabled: bool = strawberry.field(default=True, description="Push new matches to `candidateMatched` (default true).")


@strawberry.input(description="The saved search to delete.")
class DeleteSavedSearchInput:
    id: strawberry.ID = strawberry.field(description="ID of one of your company's saved searches.")


@strawberry.type(description="Result of `saveSearch`.")
class SaveSearchPayload:
    saved_search: SavedSearch | None = strawberry.field(description="The saved search; null on failure.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of `deleteSavedSearch`.")
class DeleteSavedSearchPayload:
    deleted_saved_search_id: strawberry.ID | None = strawberry.field(description="ID of the deleted search; null on failure.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.input(description="The saved search whose matches you have seen.")
class MarkSavedSearchMatchesViewedInput:
    saved_search_id: strawberry.ID = strawberry.field(description="ID of one of your company's saved searches.")


@strawberry.type(description="Result of `markSavedSearchMatchesViewed`.")
class MarkSavedSearchMatchesViewedPayload:
    saved_search: SavedSearch | None = strawberry.field(description="The saved search (`newMatchCount` is now 0); null on failure.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")
