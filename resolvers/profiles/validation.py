"""Limits and profile-specific checks for profile input; the shared checks (text,
url, integer, country, currency) come from ``resolvers.validation``.
Each check adds a ``Problem`` naming the input field (``["input", "skills", …]`` paths
are built by the graph layer) and returns the cleaned value. The limits here are the
ones the GraphQL descriptions state."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from resolvers.errors import Problems, UserErrorCode
from resolvers.validation import (
    country,
    currency,
    integer,
    normalise_handle,
    optional_text,
    reserved_handles,
    text,
    url,
    valid_time_zone,
)

# The shared checks, re-exported so profile code reads ``v.text(…)``, ``v.currency(…)``.
__all__ = ["country", "currency", "integer", "optional_text", "text", "url"]

HANDLE_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$")
HANDLE_MAX = 40
HANDLE_RULE = "3–40 characters: lower-case letters, digits and inner hyphens"

MAX_SKILLS = 50
MAX_EXPERIENCE = 30
MAX_EDUCATION = 20
MAX_WORK_SAMPLES = 20
MAX_REFERENCES = 10
MAX_BLOCKS = 200
MAX_DESIRED_ROLES = 10
MAX_WORK_AUTHORIZATION = 30
TIME_ZONE_MAX = 64

HEADLINE_MAX = 160
SUMMARY_MAX = 5_000
CITY_MAX = 100
ROLE_MAX = 80
CAREER_GOALS_MAX = 2_000
SKILL_NAME_MAX = 60
TITLE_MAX = 120
COMPANY_MAX = 120
DESCRIPTION_MAX = 5_000
SCHOOL_MAX = 160
DEGREE_MAX = 120
FIELD_MAX = 120
SAMPLE_DESCRIPTION_MAX = 2_000
REFERENCE_NAME_MAX = 120
RELATIONSHIP_MAX = 120
CONTACT_MAX = 254
COMMENT_MAX = 500
MAX_ENDORSEMENTS_PER_SKILL = 20  # `Skill.endorsements(first:)`
DOMAIN_MAX = 253
MAX_YEARS = 70
SALARY_MAX = 1_000_000_000
EARLIEST_DATE = date(1900, 1, 1)

_DOMAIN_RE = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def normalise_skill_name(name: str) -> str:
    """Case and spacing never make two skills: "Machine  Learning" == "machine learning"."""
    return " ".join(name.split()).casefold()


def countries(problems: Problems, values: list[str], field: str, *, maximum: int) -> list[str]:
    if len(values) > maximum:
        problems.add(UserErrorCode.TOO_MANY, f"At most {maximum} countries.", field)
        return []
    cleaned: list[str] = []
    for value in values:
        code = country(problems, value, field)
        if code and code not in cleaned:
            cleaned.append(code)
    return cleaned


def date_value(problems: Problems, value: date | None, field: str, label: str) -> date | None:
    if value is not None and value < EARLIEST_DATE:
        problems.add(UserErrorCode.OUT_OF_RANGE, f"{label} must be after {EARLIEST_DATE.isoformat()}.", field)
    return value


def date_order(problems: Problems, start: date | None, end: date | None, field: str) -> None:
    if start is not None and end is not None and end < start:
        problems.add(UserErrorCode.INVALID_DATE_RANGE, "The end date is before the start date.", field)


def handle(problems: Problems, value: str, field: str = "handle") -> str:
    """A handle in its stored form (NFKC + case folding), not a reserved word."""
    cleaned = normalise_handle(value)
    if not HANDLE_RE.match(cleaned):
        problems.add(UserErrorCode.INVALID, f"Handle must be {HANDLE_RULE}.", field)
    elif cleaned in reserved_handles():
        problems.add(UserErrorCode.INVALID, f"The handle {cleaned!r} is reserved; choose another.", field)
    return cleaned


def domain(problems: Problems, value: str, field: str = "domain") -> str:
    cleaned = value.strip().lower().removeprefix("@")
    if not _DOMAIN_RE.match(cleaned):
        problems.add(UserErrorCode.INVALID, "Give an email domain such as acme.com.", field)
    return cleaned


def list_size(problems: Problems, count: int, maximum: int, field: str, label: str) -> None:
    if count > maximum:
        problems.add(UserErrorCode.TOO_MANY, f"At most {maximum} {label}.", field)



def time_zone(problems: Problems, value: str | None, field: str) -> str | None:
    """An IANA time zone name such as Europe/Berlin (checked against zoneinfo); None clears."""
    value = (value or "").strip()
    if not value:
        return None
    if len(value) > TIME_ZONE_MAX or not valid_time_zone(value):
        problems.add(UserErrorCode.INVALID, "Not an IANA time zone name (such as Europe/Berlin or America/New_York).", field)
        return None
    return value


def profile_values(problems: Problems, values: dict[str, Any]) -> dict[str, Any]:
    """The clean values of ``updateMyProfile``: ``values`` holds only the fields the client
    sent, by model attribute; ``None`` clears a field where that is allowed."""
    return {key: _profile_value(problems, key, value) for key, value in values.items()}


def _profile_value(problems: Problems, key: str, value: Any) -> Any:
    if key == "handle":
        if value is None:
            problems.add(UserErrorCode.REQUIRED, "A profile always has a handle.", "handle")
            return None
        return handle(problems, value)
    if key in {"headline", "summary", "career_goals"}:
        name, label, maximum = {
            "headline": ("headline", "Headline", HEADLINE_MAX),
            "summary": ("summary", "Summary", SUMMARY_MAX),
            "career_goals": ("careerGoals", "Career goals", CAREER_GOALS_MAX),
        }[key]
        return text(problems, value, name, label, maximum=maximum)
    if key == "photo_url":
        return url(problems, value, "photoUrl", "Photo URL")
    if key == "city":
        return optional_text(problems, value, key, "City", maximum=CITY_MAX)
    if key == "country_code":
        return country(problems, value, "countryCode")
    if key == "salary_currency":
        return currency(problems, value, "desiredSalaryCurrency")
    if key in {"salary_min", "salary_max"}:
        name = "desiredSalaryMin" if key == "salary_min" else "desiredSalaryMax"
        return integer(problems, value, name, "Salary", minimum=0, maximum=SALARY_MAX)
    if key == "stated_years_of_experience":
        return integer(problems, value, "yearsOfExperience", "Years of experience", minimum=0, maximum=MAX_YEARS)
    if key == "available_from":
        return date_value(problems, value, "availableFrom", "Available from")
    if key == "desired_roles":
        roles = [" ".join(role.split()) for role in value or []]
        list_size(problems, len(roles), MAX_DESIRED_ROLES, "desiredRoles", "desired roles")
        for role in roles:
            text(problems, role, "desiredRoles", "A desired role", maximum=ROLE_MAX, required=True)
        return list(dict.fromkeys(roles))
    if key == "work_authorization":
        return countries(problems, value or [], "workAuthorization", maximum=MAX_WORK_AUTHORIZATION)
    if key == "time_zone":
        return time_zone(problems, value, "timeZone")
    if key in {"remote_preference", "salary_period"}:
        return value
    if key in {"visibility", "open_to_work", "anonymous", "accept_contact_from"}:
        if value is None:
            problems.add(UserErrorCode.REQUIRED, f"{key} cannot be null.", key)
        return value
    raise ValueError(key)  # pragma: no cover - the graph layer only passes known fields
