"""Why a profile is in the result and why it ranks where it does (``matchExplanation``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from models.profiles import Profile
from resolvers.profiles.freshness import fresh_since
from resolvers.search.backends import Highlight
from resolvers.search.filters import SearchFilter
from resolvers.search.sort import SearchSort


class HasSkill(Protocol):
    """A skill as the explanation reads it (a ``Skill`` or a plain row of one)."""

    @property
    def normalized_name(self) -> str: ...
    @property
    def level(self) -> int: ...


@dataclass(frozen=True)
class SkillMatch:
    """A skill the filter asked for: the candidate's level, or None when missing
    (possible only for any-of skills)."""

    name: str
    required: bool  # all-of (True) or any-of (False)
    level: int | None
    min_level: int | None


@dataclass(frozen=True)
class FilterMatch:
    """A filter the profile met, and the profile's value that met it."""

    filter: str
    value: str


@dataclass(frozen=True)
class Explanation:
    skills: tuple[SkillMatch, ...]
    filters: tuple[FilterMatch, ...]
    matched_fields: tuple[str, ...]
    matched_terms: tuple[str, ...]
    ranked_by: SearchSort
    rank_reason: str
    approximate: bool


def explain(
    profile: Profile,
    skills: Sequence[HasSkill],
    flt: SearchFilter,
    highlights: list[Highlight],
    sort: SearchSort,
    score: float | None,
    approximate: bool,
) -> Explanation:
    by_name = {s.normalized_name: s for s in skills}
    skill_matches = [
        SkillMatch(name, True, getattr(by_name.get(name), "level", None), flt.min_skill_level)
        for name in flt.all_skills
    ] + [
        SkillMatch(name, False, getattr(by_name.get(name), "level", None), flt.min_skill_level)
        for name in flt.any_skills
    ]
    fields = tuple(h.field for h in highlights)
    # The matched words come from the highlights: the database's own (stemming) matcher.
    matched_terms: list[str] = []
    for h in highlights:
        for start, length in h.matches:
            word = h.text[start : start + length].lower()
            if word not in matched_terms:
                matched_terms.append(word)
    return Explanation(
        skills=tuple(skill_matches),
        filters=tuple(_filters_met(profile, flt)),
        matched_fields=fields,
        matched_terms=tuple(matched_terms),
        ranked_by=sort,
        rank_reason=_reason(sort, score, fields, approximate, profile),
        approximate=approximate,
    )


def _filters_met(profile: Profile, flt: SearchFilter) -> list[FilterMatch]:
    """Each filter (and default rule) the profile met, with its value that met it."""
    met: list[FilterMatch] = []
    if flt.countries:
        met.append(FilterMatch("countries", profile.country_code or ""))
    if flt.cities:
        met.append(FilterMatch("cities", profile.city or ""))
    if flt.remote_preferences:
        met.append(FilterMatch("remotePreferences", getattr(profile.remote_preference, "value", "")))
    if flt.min_years is not None:
        met.append(FilterMatch("minYears", str(profile.years_of_experience)))
    if flt.max_years is not None:
        met.append(FilterMatch("maxYears", str(profile.years_of_experience)))
    if flt.salary_budget is not None:
        floor = (
            f"{profile.salary_min} {profile.salary_currency}" if profile.salary_min is not None else "no minimum"
        )
        met.append(FilterMatch("salaryBudget", floor))
    if flt.available_before is not None:
        met.append(
            FilterMatch("availableBefore", profile.available_from.isoformat() if profile.available_from else "now")
        )
    met.append(FilterMatch("openToWork", profile.open_to_work.value))
    if flt.work_authorization is not None:
        met.append(FilterMatch("workAuthorization", flt.work_authorization))
    if flt.updated_since is not None:
        met.append(FilterMatch("updatedSince", profile.updated_at.isoformat()))
    if not flt.include_stale:
        met.append(FilterMatch("availabilityConfirmed", fresh_since(profile).isoformat()))
    return met


def _reason(
    sort: SearchSort, score: float | None, fields: tuple[str, ...], approximate: bool, profile: Profile
) -> str:
    if sort == SearchSort.RELEVANCE and score is not None:
        where = ", ".join(f.lower().replace("_", " ") for f in fields) or "the profile"
        text = f"Text relevance {score:.3f}: the query matched in {where} (headline and skills weigh most)."
        if approximate:
            text += (
                " The query matches a large share of all profiles, so newer profiles are ranked"
                " first in batches and relevance orders each batch."
            )
        return text
    if sort == SearchSort.YEARS_OF_EXPERIENCE:
        return f"Sorted by years of experience: {profile.years_of_experience}."
    return f"Sorted by most recently updated: {profile.updated_at.isoformat()}."
