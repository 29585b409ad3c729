"""Generation of demo companies, employers and candidates: an rng in, model instances
out, no database access. Primary keys come from ``Ids`` so children can reference
parents before anything is written."""

from __future__ import annotations

import random
import secrets
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TypeVar

from tortoise.models import Model

from graph.seed.vocabulary import (
    ACHIEVEMENTS,
    COMPANY_PREFIXES,
    COMPANY_SUFFIXES,
    COUNTRIES,
    COUNTRY_WEIGHTS,
    DEGREES,
    FAMILIES,
    FAMILY_WEIGHTS,
    GOALS,
    INDUSTRIES,
    RARE_SKILLS,
    RELATIONSHIPS,
    SENIORITY,
    SUMMARY_CLOSERS,
    SUMMARY_OPENERS,
    Country,
    Family,
)
from models.accounts import Company, CompanyRole, Role, User, VerificationMethod
from models.profiles import (
    Education,
    Experience,
    OpenToWork,
    Profile,
    Reference,
    RemotePreference,
    SalaryPeriod,
    Skill,
    Visibility,
    WorkSample,
    WorkSampleKind,
)

T = TypeVar("T")

# Tables in insert order (parents first).
TABLES: tuple[type[Model], ...] = (Company, User, Profile, Skill, Experience, Education, WorkSample, Reference)
MAX_SKILLS = 12

_ASCII = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "đ": "d", "'": ""})


def slug(text: str) -> str:
    """``"Łukasz Wójcik"`` → ``"lukasz-wojcik"``."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_ASCII)).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text.lower()).split())


def normalize_skill(name: str) -> str:
    """Lower case, inner whitespace collapsed, as ``Skill.normalized_name`` stores it."""
    return " ".join(name.lower().split())


@dataclass
class Rows:
    """Model instances waiting for one ``bulk_create`` each, by model, parents first."""

    by_model: dict[type[Model], list[Model]] = field(default_factory=lambda: {m: [] for m in TABLES})

    def add(self, row: Model) -> None:
        self.by_model[type(row)].append(row)

    def __len__(self) -> int:
        return sum(len(rows) for rows in self.by_model.values())


@dataclass
class Ids:
    """The next primary key of every seeded table."""

    counters: dict[type[Model], Iterator[int]]

    def next(self, model: type[Model]) -> int:
        return next(self.counters[model])


def _pick(rng: random.Random, items: tuple[T, ...], weights: tuple[int, ...]) -> T:
    return rng.choices(items, weights)[0]


def _company_names(rng: random.Random, wanted: int, taken_domains: set[str]) -> list[tuple[str, str]]:
    """``wanted`` distinct (name, domain) pairs whose domains are not taken yet."""
    combos = [(p, s) for p in COMPANY_PREFIXES for s in COMPANY_SUFFIXES]
    rng.shuffle(combos)
    names: list[tuple[str, str]] = []
    round_ = 0
    while len(names) < wanted:
        for prefix, suffix in combos:
            name = f"{prefix} {suffix}" + (f" {round_ + 1}" if round_ else "")
            domain = f"{slug(name)}.com"
            if domain in taken_domains:
                continue
            taken_domains.add(domain)
            names.append((name, domain))
            if len(names) == wanted:
                break
        round_ += 1
    return names


def make_companies(
    rng: random.Random, wanted: int, ids: Ids, rows: Rows, *, password_hash: str,
    taken_domains: set[str], now: datetime,
) -> tuple[list[str], list[str]]:
    """Verified companies with one to three employers each; returns (company names,
    employer emails). Invitation codes are random: they are credentials."""
    names, emails = [], []
    for name, domain in _company_names(rng, wanted, taken_domains):
        created = now - timedelta(days=rng.randint(30, 900))
        company = Company(
            id=ids.next(Company), name=name, website=f"https://{domain}", domain=domain, verified=True,
            claimed_domain=domain, verification_method=VerificationMethod.WORK_EMAIL, verified_at=created,
            invitation_code=secrets.token_urlsafe(18), created_at=created,
        )
        rows.add(company)
        names.append(name)
        used: set[str] = set()
        for _ in range(rng.randint(1, 3)):
            country: Country = _pick(rng, COUNTRIES, COUNTRY_WEIGHTS)
            first, last = rng.choice(country.first_names), rng.choice(country.last_names)
            local = slug(f"{first} {last}").replace("-", ".")
            while local in used:
                local += str(rng.randint(0, 9))
            used.add(local)
            email = f"{local}@{domain}"
            rows.add(User(
                id=ids.next(User), email=email, password_hash=password_hash, role=Role.EMPLOYER,
                display_name=f"{first} {last}", company_id=company.id, created_at=created, email_confirmed_at=created,
                company_role=CompanyRole.ADMIN if len(used) == 1 else CompanyRole.MEMBER,
            ))
            emails.append(email)
    return names, emails


def _months(n: int) -> timedelta:
    return timedelta(days=n * 30)


def _seniority(years: int) -> str:
    return SENIORITY[min(len(SENIORITY) - 1, years // 3)]


def _career(rng: random.Random, today: date, employed: bool) -> list[tuple[date, date | None]]:
    """Job periods, newest first: contiguous but for short gaps, the newest one current
    when ``employed``, otherwise ending a few months ago."""
    months = int(rng.triangular(4, 300, 60))
    jobs = max(1, min(5, 1 + months // rng.randint(24, 48), months // 3))
    cuts = sorted(rng.sample(range(1, months), jobs - 1))
    lengths = [b - a for a, b in zip([0, *cuts], [*cuts, months], strict=True)]
    cursor = today if employed else today - _months(rng.randint(1, 8))
    periods: list[tuple[date, date | None]] = []
    for index, length in enumerate(lengths):
        start = cursor - _months(length)
        periods.append((start, None if index == 0 and employed else cursor))
        cursor = start - _months(rng.choice((0, 0, 1, 2, 4)))
    return periods


def _salary(rng: random.Random, country: Country, years: int) -> tuple[int, int, str, SalaryPeriod]:
    if rng.random() < 0.08:  # contractors quote an hourly rate
        low = rng.randint(*country.hourly) + min(years, 15) * max(1, country.hourly[0] // 20)
        return low, int(low * rng.uniform(1.1, 1.35)), country.hourly_currency, SalaryPeriod.HOUR
    base, per_year = country.salary
    step = 100 if country.period == SalaryPeriod.MONTH else 1000
    low = int((base + per_year * min(years, 15)) * rng.uniform(0.85, 1.2))
    low = max(step, round(low / step) * step)
    high = round(low * rng.uniform(1.1, 1.35) / step) * step
    return low, high, country.currency, country.period


def _skills(rng: random.Random, family: Family) -> list[str]:
    """3–12 distinct skills: the family's core ones by probability, then extras, and
    now and then a rare one."""
    wanted = rng.randint(3, MAX_SKILLS)
    chosen = [name for name, probability in family.core if rng.random() < probability]
    rng.shuffle(chosen)
    chosen = chosen[:wanted]
    extras = [name for name in family.extra if name not in chosen]
    rng.shuffle(extras)
    while len(chosen) < wanted and extras:
        chosen.append(extras.pop())
    if rng.random() < 0.04:
        rare = rng.choice(RARE_SKILLS)
        if rare not in chosen:
            chosen = [*chosen[: MAX_SKILLS - 1], rare]
    return chosen


def make_candidate(
    rng: random.Random, ids: Ids, rows: Rows, *, password_hash: str, employers: list[str],
    today: date, now: datetime,
) -> tuple[str, Visibility]:
    """One candidate with a complete profile and its parts; returns (email, visibility)."""
    country: Country = _pick(rng, COUNTRIES, COUNTRY_WEIGHTS)
    family: Family = _pick(rng, FAMILIES, FAMILY_WEIGHTS)
    first, last = rng.choice(country.first_names), rng.choice(country.last_names)
    name = f"{first} {last}"
    who = slug(name)
    user_id, profile_id = ids.next(User), ids.next(Profile)
    email = f"{who.replace('-', '.')}.{user_id}@example.com"
    created = now - timedelta(days=rng.randint(1, 1_000), minutes=rng.randint(0, 1_439))

    status = _pick(rng, (OpenToWork.ACTIVELY_LOOKING, OpenToWork.OPEN, OpenToWork.NOT_LOOKING), (45, 40, 15))
    periods = _career(rng, today, employed=rng.random() < (0.55 if status == OpenToWork.ACTIVELY_LOOKING else 0.9))
    career_start = periods[-1][0]
    years = sum(((end or today) - start).days for start, end in periods) // 365
    seniority, title = _seniority(years), rng.choice(family.titles)
    skills = _skills(rng, family)
    industry = rng.choice(INDUSTRIES)
    headline = f"{seniority} {title}".strip() + (
        f" · {', '.join(skills[:3])}" if rng.random() < 0.6 else f" in {industry}"
    )
    remote = _pick(rng, tuple(RemotePreference), (20, 45, 35))
    core = dict(family.core)
    signature = max(skills, key=lambda skill: core.get(skill, 0.0))  # the most typical of the family
    summary = " ".join((
        rng.choice(SUMMARY_OPENERS).format(
            title=title.lower(), years="1 year" if years <= 1 else f"{years} years", industry=industry
        ),
        rng.choice(family.focus).format(skill=signature, skill2=rng.choice([s for s in skills if s != signature])),
        rng.choice(ACHIEVEMENTS).format(pct=rng.randint(15, 70), skill=rng.choice(skills)),
        rng.choice(SUMMARY_CLOSERS).format(remote=remote.value.lower(), industry=industry),
    ))
    summary = summary[0].upper() + summary[1:]
    salary_min, salary_max, currency, period = _salary(rng, country, years)
    extra_countries = rng.choice((0, 0, 1, 2))
    authorization = [country.code, *rng.sample(country.also_authorized, k=min(len(country.also_authorized), extra_countries))]
    stated = years + rng.choice((0, 1, 2)) if rng.random() < 0.2 else None
    if status == OpenToWork.NOT_LOOKING and rng.random() < 0.5:
        confirmed = None
    else:  # most confirmed within 45 days, some stale beyond the default 60
        days = rng.randint(0, 45) if rng.random() < 0.85 else rng.randint(61, 240)
        confirmed = now - timedelta(days=days, hours=rng.randint(0, 23))
    visibility = _pick(rng, (Visibility.PUBLIC, Visibility.EMPLOYERS, Visibility.HIDDEN), (55, 40, 5))
    desired = rng.sample(family.titles, k=min(len(family.titles), rng.randint(1, 3)))

    rows.add(User(
        id=user_id, email=email, password_hash=password_hash, role=Role.CANDIDATE, display_name=name,
        created_at=created, email_confirmed_at=created,
    ))
    rows.add(Profile(
        id=profile_id, user_id=user_id, handle=f"{who[:30]}-{profile_id}", headline=headline[:160],
        summary=summary, city=rng.choice(country.cities), country_code=country.code,
        remote_preference=remote, open_to_work=status, visibility=visibility, anonymous=rng.random() < 0.12,
        desired_roles=[f"{seniority} {role}".strip() for role in desired],
        salary_min=salary_min, salary_max=salary_max, salary_currency=currency, salary_period=period,
        available_from=None if rng.random() < 0.15 else today + timedelta(days=rng.choice((0, 14, 30, 60, 90))),
        work_authorization=authorization,
        career_goals=" ".join(rng.sample((*family.goals, *GOALS), k=rng.randint(1, 2))),
        stated_years_of_experience=stated, years_of_experience=years if stated is None else stated,
        availability_confirmed_at=confirmed, created_at=created,
    ))
    for position, skill in enumerate(skills):
        rows.add(Skill(
            id=ids.next(Skill), profile_id=profile_id, name=skill, normalized_name=normalize_skill(skill),
            level=max(1, min(5, round(rng.gauss(1.5 + years / 5, 0.9)))),
            years=max(1, round(rng.uniform(0.3, 1.0) * max(years, 1))), position=position,
        ))
    for position, (start, end) in enumerate(periods):
        if position == 0:
            job_title = f"{seniority} {title}"
        else:
            role = title if rng.random() < 0.6 else rng.choice(family.titles)
            job_title = f"{_seniority((start - career_start).days // 365)} {role}"
        rows.add(Experience(
            id=ids.next(Experience), profile_id=profile_id, title=job_title.strip()[:120],
            company_name=rng.choice(employers) if rng.random() < 0.3 else rng.choice(country.employers),
            start_date=start, end_date=end, current=end is None, position=position,
            description=" ".join((
                rng.choice(family.duties).format(skill=rng.choice(skills), industry=rng.choice(INDUSTRIES)),
                rng.choice(ACHIEVEMENTS).format(pct=rng.randint(10, 80), skill=rng.choice(skills)),
            )),
        ))
    for position in range(_pick(rng, (0, 1, 2, 3), (15, 60, 20, 5))):
        degree, length = rng.choice(DEGREES)
        end = career_start - timedelta(days=365 * 2 * position + rng.randint(0, 200))
        rows.add(Education(
            id=ids.next(Education), profile_id=profile_id, school=rng.choice(country.schools), degree=degree,
            field_of_study=rng.choice(family.fields), start_date=end - timedelta(days=365 * length),
            end_date=end, position=position,
        ))
    for position in range(_pick(rng, (0, 1, 2, 3), (35, 35, 20, 10))):
        kind = rng.choice(family.sample_kinds)
        topic = rng.choice(skills)
        rows.add(WorkSample(
            id=ids.next(WorkSample), profile_id=profile_id, kind=kind, position=position,
            title=f"{topic} {rng.choice(('case study', 'side project', 'talk', 'write-up', 'prototype'))}",
            url=_sample_url(kind, who, slug(topic) or "project", position),
            description=f"{rng.choice(('Open-source', 'Personal', 'Client', 'Conference'))} work on {topic} in {rng.choice(INDUSTRIES)}.",
        ))
    for position in range(_pick(rng, (0, 1, 2, 3), (30, 35, 25, 10))):
        ref_name = f"{rng.choice(country.first_names)} {rng.choice(country.last_names)}"
        rows.add(Reference(
            id=ids.next(Reference), profile_id=profile_id, name=ref_name, position=position,
            relationship=rng.choice(RELATIONSHIPS).format(company=rng.choice(country.employers)),
            contact=f"{slug(ref_name).replace('-', '.')}@example.org",
        ))
    return email, visibility


def _sample_url(kind: WorkSampleKind, who: str, topic: str, position: int) -> str:
    if kind == WorkSampleKind.CODE:
        return f"https://github.com/{who}/{topic}-{position + 1}"
    if kind == WorkSampleKind.DESIGN:
        return f"https://dribbble.com/{who}/shots/{topic}"
    if kind == WorkSampleKind.WRITING:
        return f"https://medium.com/@{who}/{topic}-lessons-learned"
    if kind == WorkSampleKind.VIDEO:
        return f"https://www.youtube.com/@{who}/videos/{topic}"
    return f"https://{who}.dev/{topic}"
