"""The candidate edits their own profile: ``updateMyProfile`` and add/update/remove/
reorder of each part. Only candidates have profiles (employers: ``Forbidden``).

Every write runs in one transaction, bumps ``Profile.updated_at`` and stores
``Profile.years_of_experience``: the stated years, or else the experience periods with
overlaps merged (a current job runs until today)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.models import Model
from tortoise.transactions import in_transaction

from models.accounts import User
from models.profiles import Education, Experience, Profile, Reference, Skill, WorkSample
from resolvers.errors import (
    Forbidden,
    Problems,
    Unauthenticated,
    UserErrorCode,
    UserErrors,
)
from resolvers.profiles import validation as v

Values = dict[str, Any]


def require_candidate(user: User | None) -> User:
    if user is None:
        raise Unauthenticated()
    if not user.is_candidate:
        raise Forbidden("Only candidates have profiles.")
    return user


async def my_profile(user: User | None) -> Profile:
    user = require_candidate(user)
    return await Profile.get(user_id=user.pk)


# --- years of experience ----------------------------------------------------------

def derived_years(periods: Sequence[tuple[date, date | None]], today: date | None = None) -> int:
    """Whole years covered by the periods, overlaps merged; an open end means today."""
    today = today or date.today()
    spans = sorted((start, min(end or today, today)) for start, end in periods if start <= today)
    days = 0
    current_start: date | None = None
    current_end: date | None = None
    for start, end in spans:
        if current_end is None or start > current_end:
            if current_start is not None and current_end is not None:
                days += (current_end - current_start).days
            current_start, current_end = start, end
        elif end > current_end:
            current_end = end
    if current_start is not None and current_end is not None:
        days += (current_end - current_start).days
    # Whole years; a few days' slack so 2010-01-01..2016-01-01 counts as 6 despite leap days.
    return int((days + 3) / 365.25)


async def store_years(profile: Profile) -> None:
    if profile.stated_years_of_experience is not None:
        profile.years_of_experience = profile.stated_years_of_experience
    else:
        rows = await Experience.filter(profile_id=profile.pk).values_list("start_date", "end_date")
        profile.years_of_experience = derived_years(rows)  # type: ignore[arg-type]


# --- the profile itself -----------------------------------------------------------

async def update_my_profile(user: User | None, values: Values) -> Profile:
    """``values`` holds only the fields the client sent; ``None`` clears a field."""
    user = require_candidate(user)
    problems = Problems()
    clean: Values = {}
    for key, value in values.items():
        if key == "handle":
            if value is None:
                problems.add(UserErrorCode.REQUIRED, "A profile always has a handle.", "handle")
            else:
                clean[key] = v.handle(problems, value)
        elif key == "headline":
            clean[key] = v.text(problems, value, key, "Headline", maximum=v.HEADLINE_MAX)
        elif key == "summary":
            clean[key] = v.text(problems, value, key, "Summary", maximum=v.SUMMARY_MAX)
        elif key == "career_goals":
            clean[key] = v.text(problems, value, "careerGoals", "Career goals", maximum=v.CAREER_GOALS_MAX)
        elif key == "photo_url":
            clean[key] = v.url(problems, value, "photoUrl", "Photo URL")
        elif key == "city":
            clean[key] = v.optional_text(problems, value, key, "City", maximum=v.CITY_MAX)
        elif key == "country_code":
            clean[key] = v.country(problems, value, "countryCode")
        elif key == "salary_currency":
            clean[key] = v.currency(problems, value, "desiredSalaryCurrency")
        elif key in {"salary_min", "salary_max"}:
            name = "desiredSalaryMin" if key == "salary_min" else "desiredSalaryMax"
            clean[key] = v.integer(problems, value, name, "Salary", minimum=0, maximum=v.SALARY_MAX)
        elif key == "stated_years_of_experience":
            clean[key] = v.integer(
                problems, value, "yearsOfExperience", "Years of experience", minimum=0, maximum=v.MAX_YEARS
            )
        elif key == "available_from":
            clean[key] = v.date_value(problems, value, "availableFrom", "Available from")
        elif key == "desired_roles":
            roles = [" ".join(role.split()) for role in value or []]
            v.list_size(problems, len(roles), v.MAX_DESIRED_ROLES, "desiredRoles", "desired roles")
            for role in roles:
                v.text(problems, role, "desiredRoles", "A desired role", maximum=v.ROLE_MAX, required=True)
            clean[key] = list(dict.fromkeys(roles))
        elif key == "work_authorization":
            clean[key] = v.countries(
                problems, value or [], "workAuthorization", maximum=v.MAX_WORK_AUTHORIZATION
            )
        elif key in {"remote_preference", "salary_period"}:
            clean[key] = value
        elif key in {"visibility", "open_to_work", "anonymous"}:
            if value is None:
                problems.add(UserErrorCode.REQUIRED, f"{key} cannot be null.", key)
            clean[key] = value
        else:  # pragma: no cover - the graph layer only passes known fields
            raise ValueError(key)
    problems.raise_if_any()
    async with in_transaction():
        profile = await Profile.select_for_update().get(user_id=user.pk)
        for key, value in clean.items():
            setattr(profile, key, value)
        _check_salary(profile)
        if "handle" in clean and clean["handle"] != profile.handle:
            if await Profile.filter(handle=clean["handle"]).exclude(id=profile.pk).exists():
                raise _handle_taken()
        await store_years(profile)
        try:
            await profile.save()
        except IntegrityError:
            raise _handle_taken() from None
    return profile


def _handle_taken() -> UserErrors:
    return UserErrors.single(UserErrorCode.HANDLE_TAKEN, "Another profile already uses this handle.", ["handle"])


def _check_salary(profile: Profile) -> None:
    problems = Problems()
    low, high = profile.salary_min, profile.salary_max
    if low is not None and high is not None and high < low:
        problems.add(UserErrorCode.OUT_OF_RANGE, "The maximum salary is below the minimum.", "desiredSalaryMax")
    if (low is not None or high is not None) and not (profile.salary_currency and profile.salary_period):
        problems.add(
            UserErrorCode.REQUIRED,
            "A desired salary needs a currency and a period.",
            "desiredSalaryCurrency" if not profile.salary_currency else "desiredSalaryPeriod",
        )
    problems.raise_if_any()


# --- parts ------------------------------------------------------------------------

Cleaner = Callable[[Problems, Values, Any], Values]


def _clean_skill(problems: Problems, values: Values, existing: Skill | None) -> Values:
    clean: Values = {}
    if "name" in values or existing is None:
        name = v.text(problems, values.get("name"), "name", "Skill name", maximum=v.SKILL_NAME_MAX, required=True)
        clean["name"] = " ".join(name.split())
        clean["normalized_name"] = v.normalise_skill_name(name)
    if "level" in values or existing is None:
        level = values.get("level")
        if level is None:
            problems.add(UserErrorCode.REQUIRED, "Level is required (1–5).", "level")
        clean["level"] = v.integer(problems, level, "level", "Level", minimum=1, maximum=5)
    if "years" in values:
        clean["years"] = v.integer(problems, values["years"], "years", "Years", minimum=0, maximum=v.MAX_YEARS)
    return clean


def _clean_experience(problems: Problems, values: Values, existing: Experience | None) -> Values:
    clean: Values = {}
    if "title" in values or existing is None:
        clean["title"] = v.text(problems, values.get("title"), "title", "Title", maximum=v.TITLE_MAX, required=True)
    if "company_name" in values or existing is None:
        clean["company_name"] = v.text(
            problems, values.get("company_name"), "companyName", "Company name", maximum=v.COMPANY_MAX, required=True
        )
    if "description" in values:
        clean["description"] = v.text(problems, values["description"], "description", "Description", maximum=v.DESCRIPTION_MAX)
    if "start_date" in values or existing is None:
        if values.get("start_date") is None:
            problems.add(UserErrorCode.REQUIRED, "Start date is required.", "startDate")
        clean["start_date"] = v.date_value(problems, values.get("start_date"), "startDate", "Start date")
    if "end_date" in values:
        clean["end_date"] = v.date_value(problems, values["end_date"], "endDate", "End date")
    if "current" in values:
        clean["current"] = bool(values["current"])
    start = clean.get("start_date", getattr(existing, "start_date", None))
    end = clean.get("end_date", getattr(existing, "end_date", None))
    current = clean.get("current", getattr(existing, "current", False))
    if current and end is not None:
        problems.add(UserErrorCode.INVALID, "A current position has no end date.", "endDate")
    if not current and end is None and start is not None:
        problems.add(UserErrorCode.REQUIRED, "Give an end date, or mark the position as current.", "endDate")
    v.date_order(problems, start, end, "endDate")
    if start is not None and start > date.today():
        problems.add(UserErrorCode.OUT_OF_RANGE, "The start date is in the future.", "startDate")
    return clean


def _clean_education(problems: Problems, values: Values, existing: Education | None) -> Values:
    clean: Values = {}
    if "school" in values or existing is None:
        clean["school"] = v.text(problems, values.get("school"), "school", "School", maximum=v.SCHOOL_MAX, required=True)
    if "degree" in values:
        clean["degree"] = v.text(problems, values["degree"], "degree", "Degree", maximum=v.DEGREE_MAX)
    if "field_of_study" in values:
        clean["field_of_study"] = v.text(
            problems, values["field_of_study"], "fieldOfStudy", "Field of study", maximum=v.FIELD_MAX
        )
    for key, name, label in (("start_date", "startDate", "Start date"), ("end_date", "endDate", "End date")):
        if key in values:
            clean[key] = v.date_value(problems, values[key], name, label)
    v.date_order(
        problems,
        clean.get("start_date", getattr(existing, "start_date", None)),
        clean.get("end_date", getattr(existing, "end_date", None)),
        "endDate",
    )
    return clean


def _clean_work_sample(problems: Problems, values: Values, existing: WorkSample | None) -> Values:
    clean: Values = {}
    if "title" in values or existing is None:
        clean["title"] = v.text(problems, values.get("title"), "title", "Title", maximum=v.TITLE_MAX, required=True)
    if "url" in values or existing is None:
        clean["url"] = v.url(problems, values.get("url"), "url", "URL", required=True)
    if "kind" in values and values["kind"] is not None:
        clean["kind"] = values["kind"]
    if "description" in values:
        clean["description"] = v.text(
            problems, values["description"], "description", "Description", maximum=v.SAMPLE_DESCRIPTION_MAX
        )
    return clean


def _clean_reference(problems: Problems, values: Values, existing: Reference | None) -> Values:
    clean: Values = {}
    for key, name, label, maximum in (
        ("name", "name", "Name", v.REFERENCE_NAME_MAX),
        ("relationship", "relationship", "Relationship", v.RELATIONSHIP_MAX),
        ("contact", "contact", "Contact", v.CONTACT_MAX),
    ):
        if key in values or existing is None:
            clean[key] = v.text(problems, values.get(key), name, label, maximum=maximum, required=True)
    return clean


@dataclass(frozen=True)
class PartKind:
    """One list a candidate edits: its model, size limit and input cleaner."""

    name: str
    model: type[Model]
    maximum: int
    clean: Cleaner


SKILLS = PartKind("skills", Skill, v.MAX_SKILLS, _clean_skill)
EXPERIENCE = PartKind("experience", Experience, v.MAX_EXPERIENCE, _clean_experience)
EDUCATION = PartKind("education", Education, v.MAX_EDUCATION, _clean_education)
WORK_SAMPLES = PartKind("work samples", WorkSample, v.MAX_WORK_SAMPLES, _clean_work_sample)
REFERENCES = PartKind("references", Reference, v.MAX_REFERENCES, _clean_reference)


async def _locked_profile(user: User | None) -> Profile:
    user = require_candidate(user)
    return await Profile.select_for_update().get(user_id=user.pk)


async def _own_part(kind: PartKind, profile: Profile, part_id: int) -> Any:
    part = await kind.model.get_or_none(id=part_id, profile_id=profile.pk)
    if part is None:
        raise UserErrors.single(UserErrorCode.NOT_FOUND, f"No such item in your {kind.name}.", ["id"])
    return part


async def _touch(kind: PartKind, profile: Profile) -> None:
    if kind is EXPERIENCE:
        await store_years(profile)
    await profile.save()


async def _check_duplicate_skill(profile: Profile, clean: Values, exclude_id: int | None = None) -> None:
    if "normalized_name" not in clean:
        return
    query = Skill.filter(profile_id=profile.pk, normalized_name=clean["normalized_name"])
    if exclude_id is not None:
        query = query.exclude(id=exclude_id)
    if await query.exists():
        raise UserErrors.single(UserErrorCode.DUPLICATE, "You already list this skill.", ["name"])


async def add_part(user: User | None, kind: PartKind, values: Values) -> tuple[Any, Profile]:
    require_candidate(user)
    problems = Problems()
    clean = kind.clean(problems, values, None)
    problems.raise_if_any()
    try:
        async with in_transaction():
            profile = await _locked_profile(user)
            count = await kind.model.filter(profile_id=profile.pk).count()
            if count >= kind.maximum:
                raise UserErrors.single(UserErrorCode.TOO_MANY, f"At most {kind.maximum} {kind.name}.")
            if kind is SKILLS:
                await _check_duplicate_skill(profile, clean)
            last = await kind.model.filter(profile_id=profile.pk).order_by("-position").first()
            part = await kind.model.create(
                profile_id=profile.pk, position=(last.position + 1) if last else 0, **clean  # type: ignore[attr-defined]
            )
            await _touch(kind, profile)
    except IntegrityError:
        raise UserErrors.single(UserErrorCode.DUPLICATE, "You already list this skill.", ["name"]) from None
    return part, profile


async def update_part(user: User | None, kind: PartKind, part_id: int, values: Values) -> tuple[Any, Profile]:
    require_candidate(user)
    try:
        async with in_transaction():
            profile = await _locked_profile(user)
            part = await _own_part(kind, profile, part_id)
            problems = Problems()
            clean = kind.clean(problems, values, part)
            problems.raise_if_any()
            if kind is SKILLS:
                await _check_duplicate_skill(profile, clean, exclude_id=part.pk)
            for key, value in clean.items():
                setattr(part, key, value)
            await part.save()
            await _touch(kind, profile)
    except IntegrityError:
        raise UserErrors.single(UserErrorCode.DUPLICATE, "You already list this skill.", ["name"]) from None
    return part, profile


async def remove_part(user: User | None, kind: PartKind, part_id: int) -> Profile:
    require_candidate(user)
    async with in_transaction():
        profile = await _locked_profile(user)
        part = await _own_part(kind, profile, part_id)
        await part.delete()
        await _touch(kind, profile)
    return profile


async def reorder_parts(user: User | None, kind: PartKind, part_ids: Sequence[int]) -> Profile:
    """``part_ids`` must name every item of the list exactly once, in the new order."""
    require_candidate(user)
    async with in_transaction():
        profile = await _locked_profile(user)
        current = await kind.model.filter(profile_id=profile.pk).values_list("id", flat=True)
        if len(part_ids) != len(set(part_ids)) or set(part_ids) != set(current):
            raise UserErrors.single(
                UserErrorCode.INVALID, f"Give the IDs of all your {kind.name}, each once, in the new order.", ["ids"]
            )
        for position, part_id in enumerate(part_ids):
            await kind.model.filter(id=part_id).update(position=position)
        await _touch(kind, profile)
    return profile
