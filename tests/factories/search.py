"""Factories for search tests: candidate profiles written straight through the ORM.

The profile mutations (updateMyProfile, addSkill, …) live in the profiles feature,
which is built on another branch; until it lands, tests create and edit profiles,
skills and experience rows directly — the database triggers keep the search index in
step whatever the writer is.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta, timezone

from models.accounts import Role, User
from models.profiles import (
    Experience,
    OpenToWork,
    Profile,
    RemotePreference,
    SalaryPeriod,
    Skill,
    Visibility,
)
from resolvers.ids import to_global_id
from resolvers.search.filters import normalize_skill

_counter = itertools.count(1)


async def make_profile(
    *,
    headline: str = "Software developer",
    summary: str = "",
    skills: list[tuple[str, int]] | None = None,
    experience: list[tuple[str, str]] | None = None,
    career_goals: str = "",
    country: str | None = "DE",
    city: str | None = "Berlin",
    remote: RemotePreference | None = RemotePreference.REMOTE,
    status: OpenToWork = OpenToWork.ACTIVELY_LOOKING,
    visibility: Visibility = Visibility.EMPLOYERS,
    anonymous: bool = False,
    years: int = 5,
    salary: tuple[int, str, SalaryPeriod] | None = None,
    available_from: date | None = None,
    work_authorization: list[str] | None = None,
    confirmed_days_ago: int | None = 1,
    name: str | None = None,
) -> Profile:
    n = next(_counter)
    user = await User.create(
        email=f"searchable{n}@mail.test",
        password_hash="not-a-real-hash",
        role=Role.CANDIDATE,
        display_name=name or f"Candidate {n}",
    )
    profile = await Profile.create(
        user=user,
        handle=f"candidate-{n}",
        headline=headline,
        summary=summary,
        career_goals=career_goals,
        country_code=country,
        city=city,
        remote_preference=remote,
        open_to_work=status,
        visibility=visibility,
        anonymous=anonymous,
        years_of_experience=years,
        stated_years_of_experience=years,
        salary_min=salary[0] if salary else None,
        salary_currency=salary[1] if salary else None,
        salary_period=salary[2] if salary else None,
        available_from=available_from,
        work_authorization=work_authorization or [],
        availability_confirmed_at=(
            datetime.now(timezone.utc) - timedelta(days=confirmed_days_ago)
            if confirmed_days_ago is not None
            else None
        ),
    )
    for position, (skill, level) in enumerate(skills or []):
        await add_skill(profile, skill, level, position=position)
    for position, (title, description) in enumerate(experience or []):
        await Experience.create(
            profile=profile,
            title=title,
            company_name="Previous GmbH",
            start_date=date(2015, 1, 1),
            description=description,
            position=position,
        )
    return profile


async def add_skill(profile: Profile, name: str, level: int, *, position: int = 0) -> Skill:
    return await Skill.create(
        profile=profile, name=name, normalized_name=normalize_skill(name), level=level, position=position
    )


def profile_gid(profile: Profile) -> str:
    return to_global_id("Profile", profile.pk)
