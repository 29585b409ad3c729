"""Search filters: validation, and the SQL ``WHERE`` conditions they become.

Every condition is written against ``profile p`` and works on SQLite and PostgreSQL;
``SqlParams`` hands out the dialect's placeholders (``?`` or ``$n``). The rules that
are not filters but privacy (visibility, blocks) come from ``resolvers.profiles.access``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timezone
from typing import Any

from models.profiles import OpenToWork, RemotePreference, SalaryPeriod
from resolvers.errors import BadUserInput
from resolvers.profiles.access import ViewerInfo, blocking_profiles_subquery, visibilities_for
from resolvers.profiles.freshness import fresh_since_sql, stale_before
from resolvers.validation import is_currency

MAX_SKILLS = 20
MAX_VALUES = 50
MAX_SKILL_NAME = 60
MAX_CITY = 100
DEFAULT_STATUSES = (OpenToWork.ACTIVELY_LOOKING, OpenToWork.OPEN)

_COUNTRY = re.compile(r"^[A-Z]{2}$")


def normalize_skill(name: str) -> str:
    """Same normalisation as ``Skill.normalized_name``: lower case, inner spaces collapsed."""
    return " ".join(name.lower().split())


@dataclass(frozen=True)
class SalaryBudget:
    amount: int
    currency: str
    period: SalaryPeriod = SalaryPeriod.YEAR


@dataclass(frozen=True)
class SearchFilter:
    """Every field narrows the result; empty lists and ``None`` mean "any"."""

    all_skills: tuple[str, ...] = ()
    any_skills: tuple[str, ...] = ()
    min_skill_level: int | None = None
    countries: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    remote_preferences: tuple[RemotePreference, ...] = ()
    min_years: int | None = None
    max_years: int | None = None
    salary_budget: SalaryBudget | None = None
    available_before: date | None = None
    open_to_work: tuple[OpenToWork, ...] = DEFAULT_STATUSES
    work_authorization: str | None = None
    updated_since: datetime | None = None
    include_stale: bool = False

    # --- (de)serialisation for saved searches ---------------------------------------

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value == f.default:
                continue
            if isinstance(value, tuple):
                value = [v.value if hasattr(v, "value") else v for v in value]
            elif isinstance(value, SalaryBudget):
                value = {"amount": value.amount, "currency": value.currency, "period": value.period.value}
            elif isinstance(value, (date, datetime)):
                value = value.isoformat()
            data[f.name] = value
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> SearchFilter:
        data = dict(data or {})
        values: dict[str, Any] = {}
        for key in ("all_skills", "any_skills", "countries", "cities"):
            if key in data:
                values[key] = tuple(data[key])
        if "remote_preferences" in data:
            values["remote_preferences"] = tuple(RemotePreference(v) for v in data["remote_preferences"])
        if "open_to_work" in data:
            values["open_to_work"] = tuple(OpenToWork(v) for v in data["open_to_work"])
        for key in ("min_skill_level", "min_years", "max_years", "work_authorization", "include_stale"):
            if key in data:
                values[key] = data[key]
        if data.get("salary_budget"):
            b = data["salary_budget"]
            values["salary_budget"] = SalaryBudget(b["amount"], b["currency"], SalaryPeriod(b["period"]))
        if data.get("available_before"):
            values["available_before"] = date.fromisoformat(data["available_before"])
        if data.get("updated_since"):
            values["updated_since"] = datetime.fromisoformat(data["updated_since"])
        return cls(**values)


def _problem(field_name: str, message: str) -> BadUserInput:
    return BadUserInput(message, field=field_name)


def validate(raw: SearchFilter) -> SearchFilter:
    """Normalise and check a filter; raises ``BadUserInput`` naming the field."""
    for name in ("all_skills", "any_skills"):
        values = getattr(raw, name)
        if len(values) > MAX_SKILLS:
            raise _problem(name, f"'{name}' takes at most {MAX_SKILLS} skills, got {len(values)}.")
        if any(len(v) > MAX_SKILL_NAME or not v.strip() for v in values):
            raise _problem(name, f"Skill names in '{name}' must be 1–{MAX_SKILL_NAME} characters.")
    for name in ("countries", "cities", "remote_preferences", "open_to_work"):
        if len(getattr(raw, name)) > MAX_VALUES:
            raise _problem(name, f"'{name}' takes at most {MAX_VALUES} values.")
    countries = tuple(dict.fromkeys(c.strip().upper() for c in raw.countries))
    if any(not _COUNTRY.match(c) for c in countries):
        raise _problem("countries", "Countries are ISO 3166-1 alpha-2 codes such as DE or US.")
    if any(len(c) > MAX_CITY or not c.strip() for c in raw.cities):
        raise _problem("cities", f"Cities must be 1–{MAX_CITY} characters.")
    authorization = raw.work_authorization.strip().upper() if raw.work_authorization else None
    if authorization is not None and not _COUNTRY.match(authorization):
        raise _problem("workAuthorization", "Work authorization is an ISO 3166-1 alpha-2 code.")
    if raw.min_skill_level is not None and not 1 <= raw.min_skill_level <= 5:
        raise _problem("minSkillLevel", "The minimum skill level is between 1 and 5.")
    for name in ("min_years", "max_years"):
        value = getattr(raw, name)
        if value is not None and not 0 <= value <= 80:
            raise _problem(name, f"'{name}' must be between 0 and 80.")
    if raw.min_years is not None and raw.max_years is not None and raw.min_years > raw.max_years:
        raise _problem("minYears", "'minYears' is larger than 'maxYears'.")
    budget = raw.salary_budget
    if budget is not None:
        currency = budget.currency.strip().upper()
        if not is_currency(currency):
            raise _problem("salaryBudget", "The budget currency is an ISO 4217 code such as EUR.")
        if not 0 <= budget.amount <= 2**31 - 1:
            raise _problem("salaryBudget", "The budget amount is out of range.")
        budget = replace(budget, currency=currency)
    if raw.updated_since is not None and raw.updated_since.tzinfo is None:
        raise _problem("updatedSince", "'updatedSince' needs a time zone.")
    return replace(
        raw,
        all_skills=tuple(dict.fromkeys(normalize_skill(s) for s in raw.all_skills)),
        any_skills=tuple(dict.fromkeys(normalize_skill(s) for s in raw.any_skills)),
        countries=countries,
        cities=tuple(dict.fromkeys(c.strip().lower() for c in raw.cities)),
        remote_preferences=tuple(dict.fromkeys(raw.remote_preferences)),
        open_to_work=tuple(dict.fromkeys(raw.open_to_work)) or DEFAULT_STATUSES,
        work_authorization=authorization,
        salary_budget=budget,
    )


@dataclass
class SqlParams:
    """Collects parameters and hands out the dialect's placeholder for each."""

    dialect: str
    values: list[Any] = field(default_factory=list)

    def __call__(self, value: Any) -> str:
        self.values.append(value)
        return "?" if self.dialect == "sqlite" else f"${len(self.values)}"

    def many(self, values: tuple[Any, ...] | list[Any]) -> str:
        return ", ".join(self(v) for v in values)

    def datetime(self, value: datetime) -> str:
        value = value.astimezone(timezone.utc)
        if self.dialect == "sqlite":  # stored as isoformat(" ") text by Tortoise
            return self(value.isoformat(" "))
        return self(value)

    def date(self, value: date) -> str:
        return self(value.isoformat() if self.dialect == "sqlite" else value)


def conditions(
    flt: SearchFilter, viewer: ViewerInfo, params: SqlParams, *, ttl_days: int
) -> list[str]:
    """SQL conditions on ``profile p`` for the rules and the filter (all ANDed)."""
    where = [
        f"p.visibility IN ({params.many([v.value for v in visibilities_for(viewer)])})",
        f"p.open_to_work IN ({params.many([s.value for s in flt.open_to_work])})",
    ]
    blocking = blocking_profiles_subquery(viewer.company, params)
    if blocking:
        where.append(f"p.id NOT IN ({blocking})")
    if not flt.include_stale:
        where.append(f"{fresh_since_sql('p')} >= {params.datetime(stale_before(ttl_days))}")
    level = flt.min_skill_level or 1
    for skill in flt.all_skills:
        where.append(
            f"p.id IN (SELECT s.profile_id FROM skill s WHERE s.normalized_name = {params(skill)}"
            f" AND s.level >= {params(level)})"
        )
    if flt.any_skills:
        where.append(
            f"p.id IN (SELECT s.profile_id FROM skill s WHERE s.normalized_name IN ({params.many(flt.any_skills)})"
            f" AND s.level >= {params(level)})"
        )
    if flt.countries:
        where.append(f"p.country_code IN ({params.many(flt.countries)})")
    if flt.cities:
        where.append(f"lower(p.city) IN ({params.many(flt.cities)})")
    if flt.remote_preferences:
        where.append(f"p.remote_preference IN ({params.many([r.value for r in flt.remote_preferences])})")
    if flt.min_years is not None:
        where.append(f"p.years_of_experience >= {params(flt.min_years)}")
    if flt.max_years is not None:
        where.append(f"p.years_of_experience <= {params(flt.max_years)}")
    if flt.salary_budget is not None:
        b = flt.salary_budget
        where.append(
            f"(p.salary_min IS NULL OR (p.salary_currency = {params(b.currency)}"
            f" AND COALESCE(p.salary_period, 'YEAR') = {params(b.period.value)}"
            f" AND p.salary_min <= {params(b.amount)}))"
        )
    if flt.available_before is not None:
        where.append(f"(p.available_from IS NULL OR p.available_from <= {params.date(flt.available_before)})")
    if flt.work_authorization is not None:
        if params.dialect == "sqlite":
            where.append(
                "EXISTS (SELECT 1 FROM json_each(p.work_authorization) j"
                f" WHERE j.value = {params(flt.work_authorization)})"
            )
        else:
            where.append(f"p.work_authorization::jsonb @> jsonb_build_array({params(flt.work_authorization)}::text)")
    if flt.updated_since is not None:
        where.append(f"p.updated_at >= {params.datetime(flt.updated_since)}")
    return where
