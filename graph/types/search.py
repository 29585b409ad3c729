"""Search: ``searchCandidates``, saved searches and the ``candidateMatched`` subscription."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any

import strawberry

from graph.context import Info
from graph.types.common import (
    Connection,
    Node,
    PageInfo,
    UserError,
    describe_enum,
    model_type,
    user_errors,
)
from graph.types.node import register_node
from graph.types.profiles.types import (
    OpenToWork,
    Profile,
    RemotePreference,
    SalaryPeriod,
    stamp,
)
from models import profiles as pm
from models import search as sm
from resolvers import search as rules
from resolvers.errors import UserErrors
from resolvers.ids import parse_typed_id, to_global_id
from resolvers.loaders.search import saved_searches_by_id
from resolvers.pagination import SortKey, keyset_page
from resolvers.search import backends, explain, saved
from resolvers.search.engine import DEFAULT_SKILL_FACETS, MAX_SKILL_FACETS
from subscriptions import search as alerts

SearchSort = describe_enum(
    rules.SearchSort,
    "SearchSort",
    "Order of search results. Ties are broken by profile, so paging is stable.",
    {
        "RELEVANCE": "Best text match first (default with a query; without one, RECENTLY_UPDATED).",
        "RECENTLY_UPDATED": "Most recently updated profiles first (default without a query).",
        "YEARS_OF_EXPERIENCE": "Most years of experience first.",
    },
)


@strawberry.enum(description="A field of a profile that full-text search looks in.")
class SearchField(Enum):
    HEADLINE = strawberry.enum_value("HEADLINE", description="The headline (weighs most).")
    SKILLS = strawberry.enum_value("SKILLS", description="Skill names (weigh as much as the headline).")
    SUMMARY = strawberry.enum_value("SUMMARY", description="The summary.")
    EXPERIENCE = strawberry.enum_value("EXPERIENCE", description="Experience titles and descriptions.")
    CAREER_GOALS = strawberry.enum_value("CAREER_GOALS", description="Career goals.")


# --- results -------------------------------------------------------------------------


@strawberry.type(description="A skill of a candidate as search shows it.")
class SearchCandidateSkill:
    name: str = strawberry.field(description="Skill name as the candidate wrote it, at most 60 characters.")
    level: int = strawberry.field(description="Self-assessed level, 1 (beginner) to 5 (expert).")


@strawberry.type(
    description=(
        "A candidate as a search result or alert shows it. Identity fields (displayName, handle) are null "
        "while the candidate is anonymous to your company."
    )
)
class SearchCandidate:
    # Plain values filled once per result: a page of 20 resolves ~1,000 fields, and a
    # resolver call per field costs more than the SQL behind the page (see bench/search.py).
    id: strawberry.ID = strawberry.field(description="Global ID of the candidate's Profile (type name `Profile`).")
    headline: str = strawberry.field(description="Headline, at most 160 characters.")
    city: str | None = strawberry.field(description="City, if given.")
    country_code: str | None = strawberry.field(description="ISO 3166-1 alpha-2 country code, if given.")
    remote_preference: RemotePreference | None = strawberry.field(description="Where the candidate wants to work, if given.")  # type: ignore[valid-type]
    open_to_work: OpenToWork = strawberry.field(description="How open the candidate is to new work.")  # type: ignore[valid-type]
    years_of_experience: int = strawberry.field(description="Years of experience (stated, or derived from experience).")
    skills: list[SearchCandidateSkill] = strawberry.field(description="The candidate's skills in their order (at most a few dozen).")
    anonymous: bool = strawberry.field(description="True when the candidate hides their identity from your company.")
    handle: str | None = strawberry.field(description="The candidate's handle; null while anonymous to your company.")
    display_name: str | None = strawberry.field(description="The candidate's display name; null while anonymous to your company.")
    updated_at: datetime = strawberry.field(description="When the profile last changed.")
    _profile: strawberry.Private[Any] = None
    _access: strawberry.Private[Any] = None

    @strawberry.field(
        description="The full profile behind this result, under the same privacy rules (identity fields null while the candidate is anonymous to your company). Reading it here is not logged as a profile view."
    )
    def profile(self) -> Profile:
        return stamp(self._profile, self._access)  # type: ignore[no-any-return]

    @classmethod
    def of(cls, source: Any) -> SearchCandidate:
        """From a search hit or an alert: ``profile``, ``skills``, ``access``, ``display_name``."""
        profile, identity = source.profile, source.access.identity
        return cls(
            id=strawberry.ID(to_global_id("Profile", profile.pk)),
            headline=profile.headline,
            city=profile.city,
            country_code=profile.country_code,
            remote_preference=profile.remote_preference,
            open_to_work=profile.open_to_work,
            years_of_experience=profile.years_of_experience,
            skills=[SearchCandidateSkill(name=s.name, level=s.level) for s in source.skills],
            anonymous=not identity,
            handle=profile.handle if identity else None,
            display_name=source.display_name if identity else None,
            updated_at=profile.updated_at,
            _profile=profile,
            _access=source.access,
        )


@strawberry.type(description="A span of matched text inside a highlight, in characters.")
class TextRange:
    start: int = strawberry.field(description="Offset of the first matched character in `text` (0-based).")
    length: int = strawberry.field(description="Number of matched characters.")


@strawberry.type(description="A snippet of one field around the words the query matched.")
class SearchHighlight:
    field: SearchField = strawberry.field(description="The field the snippet comes from.")
    text: str = strawberry.field(
        description="Plain-text snippet (about a dozen words; `…` marks cut text). Not HTML: escape it when rendering."
    )
    matches: list[TextRange] = strawberry.field(description="Where the matched words are in `text`.")


@strawberry.type(description="A skill the filter asked for, and how the candidate has it.")
class SkillMatch:
    name: str = strawberry.field(description="The skill name as searched (normalised: lower case).")
    required: bool = strawberry.field(description="True for an all-of skill, false for an any-of skill.")
    matched: bool = strawberry.field(description="True when the candidate has it at the minimum level or above.")
    level: int | None = strawberry.field(description="The candidate's level (1–5); null when they lack the skill.")
    minimum_level: int | None = strawberry.field(description="The minimum level asked for; null when any level.")


@strawberry.type(description="A filter a result met, with the candidate's value that met it.")
class FilterMatch:
    filter: str = strawberry.field(description="Name of the filter field, such as `countries` or `minYears`.")
    value: str = strawberry.field(description="The candidate's value, such as `DE` or `7`.")


@strawberry.type(description="Why a candidate is in the result and why it ranks where it does.")
class MatchExplanation:
    skills: list[SkillMatch] = strawberry.field(description="Each skill the filter asked for.")
    filters: list[FilterMatch] = strawberry.field(description="Each filter (and default rule) the candidate met.")
    matched_fields: list[SearchField] = strawberry.field(description="Fields the query's words were found in.")
    matched_terms: list[str] = strawberry.field(description="Words found, as written in the profile (lower case).")
    ranked_by: SearchSort = strawberry.field(description="The order applied.")  # type: ignore[valid-type]
    reason: str = strawberry.field(description="One sentence on what drove the rank.")
    approximate: bool = strawberry.field(
        description="True when the query matched so many profiles that relevance was applied within batches of newer profiles first (see `rankingApproximate`)."
    )


def _explanation(data: explain.Explanation) -> MatchExplanation:
    return MatchExplanation(
        skills=[
            SkillMatch(
                name=s.name,
                required=s.required,
                matched=s.level is not None and s.level >= (s.min_level or 1),
                level=s.level,
                minimum_level=s.min_level,
            )
            for s in data.skills
        ],
        filters=[FilterMatch(filter=f.filter, value=f.value) for f in data.filters],
        matched_fields=[SearchField[f] for f in data.matched_fields],  # type: ignore[misc]
        matched_terms=list(data.matched_terms),
        ranked_by=data.ranked_by,
        reason=data.rank_reason,
        approximate=data.approximate,
    )


def _highlight(h: backends.Highlight) -> SearchHighlight:
    return SearchHighlight(
        field=SearchField[h.field],  # type: ignore[misc]
        text=h.text,
        matches=[TextRange(start=s, length=n) for s, n in h.matches],
    )


@strawberry.type(description="One search result.")
class CandidateSearchEdge:
    cursor: str = strawberry.field(description="Opaque cursor of this result; pass as `after` for the next page.")
    node: SearchCandidate = strawberry.field(description="The candidate.")
    score: float | None = strawberry.field(
        description="Text relevance (higher is better); null without a query. Comparable only within one search."
    )
    highlights: list[SearchHighlight] = strawberry.field(
        description="Snippets of the fields the query matched; empty without a query."
    )
    match_explanation: MatchExplanation = strawberry.field(description="Why this candidate matched and ranks here.")


@strawberry.type(description="A value of a facet and how many results have it.")
class FacetCount:
    value: str = strawberry.field(description="The value: a skill (lower case), a country code or an enum value.")
    count: int = strawberry.field(description="Number of results with this value.")


@strawberry.type(description="Counts over the whole result (not only this page), most frequent first.")
class SearchFacets:
    _facets: strawberry.Private[Any]

    @strawberry.field(description="Skills of the results, the top ones (default 20, at most 100).")
    def skills(self) -> list[FacetCount]:
        return [FacetCount(value=v.value, count=v.count) for v in self._facets.skills]

    @strawberry.field(description="Countries (ISO codes) of the results.")
    def countries(self) -> list[FacetCount]:
        return [FacetCount(value=v.value, count=v.count) for v in self._facets.countries]

    @strawberry.field(description="Remote preferences of the results.")
    def remote_preferences(self) -> list[FacetCount]:
        return [FacetCount(value=v.value, count=v.count) for v in self._facets.remote_preferences]

    @strawberry.field(description="Open-to-work statuses of the results.")
    def open_to_work(self) -> list[FacetCount]:
        return [FacetCount(value=v.value, count=v.count) for v in self._facets.open_to_work]

    @strawberry.field(
        description=f"True when the result has more than {rules.engine.FACET_SCAN_CAP} profiles: the counts are then over the first {rules.engine.FACET_SCAN_CAP} scanned (a sample, not the whole result); `totalCount` stays exact."
    )
    def approximate(self) -> bool:
        return self._facets.approximate


@strawberry.type(description="A page of candidates matching a search, with facets over the whole result.")
class CandidateSearchConnection:
    _result: strawberry.Private[Any]
    edges: list[CandidateSearchEdge] = strawberry.field(description="The results of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Cursors and whether more results follow.")
    sort: SearchSort = strawberry.field(description="The order applied.")  # type: ignore[valid-type]
    ranking_approximate: bool = strawberry.field(
        description=(
            f"True when the query's words occur in more than {rules.engine.HUGE_MATCHES} profiles: relevance then "
            "orders batches of profiles, newest batch first, instead of the whole result at once. Paging still "
            "returns every result exactly once."
        )
    )

    @strawberry.field(description="Number of results across all pages (exact).")
    async def total_count(self) -> int:
        return await self._result.total_count()

    @strawberry.field(description="Counts by skill, country, remote preference and open-to-work status.")
    async def facets(
        self,
        skills_first: Annotated[
            int, strawberry.argument(description="How many top skills to count, 0–100 (default 20).")
        ] = DEFAULT_SKILL_FACETS,
    ) -> SearchFacets:
        limit = max(0, min(skills_first, MAX_SKILL_FACETS))
        return SearchFacets(_facets=await self._result.facets(limit))


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
    include_stale: bool = strawberry.field(default=False, description="Also include candidates who have not confirmed their availability within the freshness period (60 days by default).")

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
