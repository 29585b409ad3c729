"""The lists a candidate edits — skills, experience, education, work samples,
references — each a ``PartKind``: its model, its size limit and the rules its input must
meet. A cleaner takes the fields a client sent (``existing`` is the row being changed,
None for a new one), adds a ``Problem`` for each bad value and returns the clean values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise.models import Model

import resolvers.profiles.validation as v
from models.profiles import Education, Experience, Reference, Skill, WorkSample
from resolvers.errors import Problems, UserErrorCode

Values = dict[str, Any]

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
