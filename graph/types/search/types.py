"""Search's object types: candidates, highlights, explanations, facets and the
connection (saved searches, their matches and the alert event are in ``saved``).

Results are mapped once from what ``resolvers.search`` returns (``…of(…)``): a page of 20
resolves ~1,000 fields, and a resolver call per field costs more than the SQL behind the
page (see bench/search.py), so most fields are plain values.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Protocol, cast

import strawberry

from graph.types.common import Node, PageInfo, describe_enum
from graph.types.profiles.types import stamp
from resolvers import search as rules
from resolvers.ids import to_global_id
from resolvers.profiles.access import ProfileAccess
from resolvers.search.backends import Highlight
from resolvers.search.engine import (
    DEFAULT_EXACT_COUNT_LIMIT,
    DEFAULT_SKILL_FACETS,
    FACET_SCAN_CAP,
    MAX_SKILL_FACETS,
    ProfileRow,
)
from resolvers.search.explain import Explanation

if TYPE_CHECKING:
    from graph.types.profiles.types import OpenToWork, Profile, RemotePreference

PROFILE_TYPES = "graph.types.profiles.types"

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


# --- candidates ------------------------------------------------------------------------


class CandidateSource(Protocol):
    """What a candidate is mapped from: a search hit, an alert or a ``node(id:)`` card."""

    @property
    def profile(self) -> Any: ...  # models.profiles.Profile
    @property
    def skills(self) -> list[Any]: ...  # models.profiles.Skill
    @property
    def access(self) -> ProfileAccess: ...
    @property
    def display_name(self) -> str | None: ...


@strawberry.type(description="A skill of a candidate as search shows it.")
class SearchCandidateSkill:
    name: str = strawberry.field(description="Skill name as the candidate wrote it, at most 60 characters.")
    level: int = strawberry.field(description="Self-assessed level, 1 (beginner) to 5 (expert).")


@strawberry.type(
    description=(
        "A candidate as a search result or alert shows it: a projection of their Profile, with an ID of "
        "its own (IDs name one object of one type). Identity fields (displayName, handle) are null "
        "while the candidate is anonymous to your company."
    )
)
class SearchCandidate(Node):
    # Every field is read from the source when the query asks for it: a page of 20 built
    # all sixteen values of each candidate (two global IDs, enum and datetime conversions
    # of the hit's row) while the benchmark's page reads six of them.
    _profile: strawberry.Private[Any]
    _access: strawberry.Private[ProfileAccess]
    _display_name: strawberry.Private[str | None]
    _skills: strawberry.Private[list[Any]]

    @strawberry.field(
        description=(
            "Globally unique ID of this search candidate (not the Profile's ID: use `profileId` for that). "
            "The same candidate has the same ID in every search and alert; `node(id:)` fetches it again."
        )
    )
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("SearchCandidate", self._profile.pk))

    @strawberry.field(
        description="Global ID of the candidate's Profile, the same as `profile { id }`: pass it as `startConversation(input: {candidateId})`."
    )
    def profile_id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Profile", self._profile.pk))

    @strawberry.field(description="Headline, at most 160 characters.")
    def headline(self) -> str:
        return self._profile.headline

    @strawberry.field(description="City, if given.")
    def city(self) -> str | None:
        return self._profile.city

    @strawberry.field(description="ISO 3166-1 alpha-2 country code, if given.")
    def country_code(self) -> str | None:
        return self._profile.country_code

    @strawberry.field(description="Where the candidate wants to work, if given.")
    def remote_preference(self) -> Annotated[RemotePreference, strawberry.lazy(PROFILE_TYPES)] | None:  # type: ignore[valid-type]  # strawberry enum used as a type
        return self._profile.remote_preference

    @strawberry.field(description="How open the candidate is to new work.")
    def open_to_work(self) -> Annotated[OpenToWork, strawberry.lazy(PROFILE_TYPES)]:  # type: ignore[valid-type]  # strawberry enum used as a type
        return self._profile.open_to_work

    @strawberry.field(description="Years of experience (stated, or derived from experience).")
    def years_of_experience(self) -> int:
        return self._profile.years_of_experience

    @strawberry.field(description="The candidate's skills in their order (at most a few dozen).")
    def skills(self) -> list[SearchCandidateSkill]:
        return [SearchCandidateSkill(name=s.name, level=s.level) for s in self._skills]

    @strawberry.field(description="True when the candidate hides their identity from your company.")
    def anonymous(self) -> bool:
        return not self._access.identity

    @strawberry.field(description="The candidate's handle; null while anonymous to your company.")
    def handle(self) -> str | None:
        return self._profile.handle if self._access.identity else None

    @strawberry.field(description="The candidate's display name; null while anonymous to your company.")
    def display_name(self) -> str | None:
        return self._display_name if self._access.identity else None

    @strawberry.field(description="When the profile last changed.")
    def updated_at(self) -> datetime:
        return self._profile.updated_at

    @strawberry.field(
        description="The full profile behind this result, under the same privacy rules (identity fields null while the candidate is anonymous to your company). Reading it here is not logged as a profile view."
    )
    def profile(self) -> Annotated[Profile, strawberry.lazy(PROFILE_TYPES)]:
        profile = self._profile
        if isinstance(profile, ProfileRow):  # a search hit's row: the model is built on demand
            profile = profile.model
        return stamp(profile, self._access)

    @classmethod
    def of(cls, source: CandidateSource) -> SearchCandidate:
        return cls(_profile=source.profile, _access=source.access, _display_name=source.display_name, _skills=source.skills)


# --- results ---------------------------------------------------------------------------


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

    @classmethod
    def of(cls, h: Highlight) -> SearchHighlight:
        return cls(field=SearchField[h.field], text=h.text, matches=[TextRange(start=s, length=n) for s, n in h.matches])


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
    ranked_by: SearchSort = strawberry.field(description="The order applied.")  # type: ignore[valid-type]  # strawberry enum used as a type
    reason: str = strawberry.field(description="One sentence on what drove the rank.")
    approximate: bool = strawberry.field(
        description="True when the query matched so many profiles that relevance was applied within batches of newer profiles first (see `rankingApproximate`)."
    )

    @classmethod
    def of(cls, data: Explanation) -> MatchExplanation:
        return cls(
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
            matched_fields=[SearchField[f] for f in data.matched_fields],
            matched_terms=list(data.matched_terms),
            ranked_by=data.ranked_by,
            reason=data.rank_reason,
            approximate=data.approximate,
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
    _hit: strawberry.Private[rules.SearchHit]

    @strawberry.field(description="Why this candidate matched and ranks here.")
    def match_explanation(self) -> MatchExplanation:
        return MatchExplanation.of(self._hit.explanation)

    @classmethod
    def of(cls, hit: rules.SearchHit) -> CandidateSearchEdge:
        return cls(
            cursor=hit.cursor,
            node=SearchCandidate.of(hit),
            score=hit.score,
            highlights=[SearchHighlight.of(h) for h in hit.highlights],
            _hit=hit,
        )


@strawberry.type(description="A value of a facet and how many results have it.")
class FacetCount:
    value: str = strawberry.field(description="The value: a skill (lower case), a country code or an enum value.")
    count: int = strawberry.field(description="Number of results with this value.")


def _counts(values: tuple[rules.FacetValue, ...]) -> list[FacetCount]:
    """The facet's values answer as they are (``value`` and ``count``, like ``FacetCount``,
    which has no interface, so nothing checks the class)."""
    return cast(list[FacetCount], list(values))


@strawberry.type(description="Counts over the whole result (not only this page), most frequent first.")
class SearchFacets:
    _facets: strawberry.Private[rules.Facets]

    @strawberry.field(description="Skills of the results, the top ones (default 20, at most 100).")
    def skills(self) -> list[FacetCount]:
        return _counts(self._facets.skills)

    @strawberry.field(description="Countries (ISO codes) of the results.")
    def countries(self) -> list[FacetCount]:
        return _counts(self._facets.countries)

    @strawberry.field(description="Remote preferences of the results.")
    def remote_preferences(self) -> list[FacetCount]:
        return _counts(self._facets.remote_preferences)

    @strawberry.field(description="Open-to-work statuses of the results.")
    def open_to_work(self) -> list[FacetCount]:
        return _counts(self._facets.open_to_work)

    @strawberry.field(
        description=f"True when the result has more than {FACET_SCAN_CAP} profiles: the counts are then over the first {FACET_SCAN_CAP} scanned (a sample, not the whole result); see `totalCountIsExact` for the total."
    )
    def approximate(self) -> bool:
        return self._facets.approximate


@strawberry.type(description="A page of candidates matching a search, with facets over the whole result.")
class CandidateSearchConnection:
    _result: strawberry.Private[rules.SearchResult]
    edges: list[CandidateSearchEdge] = strawberry.field(description="The results of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Cursors and whether more results follow.")
    sort: SearchSort = strawberry.field(description="The order applied.")  # type: ignore[valid-type]  # strawberry enum used as a type
    ranking_approximate: bool = strawberry.field(
        description=(
            "True when the query's words occur in more profiles than the server's exact limit "
            f"(`SEARCH_EXACT_COUNT_LIMIT`, default {DEFAULT_EXACT_COUNT_LIMIT}): relevance then "
            "orders batches of profiles, newest batch first, instead of the whole result at once. Paging still "
            "returns every result exactly once."
        )
    )

    @classmethod
    def of(cls, result: rules.SearchResult) -> CandidateSearchConnection:
        edges = [CandidateSearchEdge.of(hit) for hit in result.hits]
        return cls(
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

    @strawberry.field(
        description=(
            "Number of results across all pages: exact when `totalCountIsExact` is true. Above the server's exact "
            f"limit (`SEARCH_EXACT_COUNT_LIMIT`, default {DEFAULT_EXACT_COUNT_LIMIT}) it is an estimate "
            "that is never below the limit + 1 and tends to be low (show it as \"10,000+\")."
        )
    )
    async def total_count(self) -> int:
        return await self._result.total_count()

    @strawberry.field(
        description=(
            "True when `totalCount` is the exact number of results; false when the result is larger than the "
            "server's exact limit and `totalCount` is an estimate (at least the limit + 1). Paging with `after` "
            "returns every result exactly once either way."
        )
    )
    async def total_count_is_exact(self) -> bool:
        return (await self._result.count()).exact

    @strawberry.field(description="Counts by skill, country, remote preference and open-to-work status.")
    async def facets(
        self,
        skills_first: Annotated[
            int, strawberry.argument(description="How many top skills to count, 0–100 (default 20).")
        ] = DEFAULT_SKILL_FACETS,
    ) -> SearchFacets:
        limit = max(0, min(skills_first, MAX_SKILL_FACETS))
        return SearchFacets(_facets=await self._result.facets(limit))
