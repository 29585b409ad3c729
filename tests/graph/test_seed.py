"""Demo data: ``graph.seed.seed_database`` (``openforwork seed``, ``serve --seed-demo``)."""

from __future__ import annotations

import asyncio
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from tortoise import Tortoise
from tortoise.expressions import Subquery

from graph.database import tortoise_config
from graph.seed import DEMO_PASSWORD, seed_database
from graph.seed.safety import MODERATOR_EMAIL, UNVERIFIED_EMPLOYER_EMAIL
from graph.settings import Settings
from models.accounts import Company, Role, User
from models.profiles import Education, Experience, Profile, Reference, Skill, Visibility, WorkSample
from models.safety import Report
from tests.conftest import base_settings
from tests.factories.accounts import make_candidate
from tests.graphql import GraphQLClient

PROFILES = 60
LOG_IN = """
mutation LogIn($input: LogInInput!) {
  logIn(input: $input) { token viewer { id email role } userErrors { code message } }
}
"""
VIEWER = "{ viewer { email role company { name verified domain } } }"


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Overrides conftest's: a migrated database already seeded with ``PROFILES``
    candidates (seed 42) before the app starts."""
    settings = base_settings(database_url)
    asyncio.run(seed_database(settings, profiles=PROFILES, seed=42, progress=False))
    return settings


async def _snapshot(settings: Settings) -> list[tuple[object, ...]]:
    """What a person sees of each seeded candidate, in id order."""
    await Tortoise.init(config=tortoise_config(settings))
    try:
        rows = []
        for profile in await Profile.all().order_by("id").prefetch_related("skills", "experience", "user"):
            rows.append((
                profile.user.email, profile.user.display_name, profile.handle, profile.headline,
                profile.summary, profile.country_code, profile.salary_min, profile.desired_roles,
                [(s.name, s.level, s.years) for s in sorted(profile.skills, key=lambda s: s.position)],
                [(e.title, e.company_name, e.start_date) for e in sorted(profile.experience, key=lambda e: e.position)],
            ))
        rows.extend(await Company.all().order_by("id").values_list("name", "domain"))
        return rows
    finally:
        await Tortoise.close_connections()


async def test_seed_creates_companies_employers_and_complete_profiles(app: object) -> None:
    # given: the seeded database (fixture)
    # then
    assert await Profile.all().count() == PROFILES
    assert await User.filter(role=Role.CANDIDATE).count() == PROFILES
    companies = await Company.filter(verified=True)
    assert len(companies) == 5  # at least 5, one per ~50 candidates
    # and: one unverified company, whose employer confirmed a free-mail address
    [unverified] = await Company.filter(verified=False)
    [sam] = await User.filter(company_id=unverified.pk)
    assert (unverified.domain, sam.email) == (None, UNVERIFIED_EMPLOYER_EMAIL) and sam.email_confirmed_at
    employers = await User.filter(role=Role.EMPLOYER).exclude(id=sam.pk)
    assert len(companies) <= len(employers) <= 3 * len(companies)
    by_company = {company.pk: company for company in companies}
    for employer in employers:
        company = by_company[employer.company_id]
        assert company.verified and company.domain and employer.email.endswith("@" + company.domain)
    profiles = await Profile.all()
    assert len({p.handle for p in profiles}) == PROFILES
    skills = Counter(await Skill.all().values_list("profile_id", flat=True))
    assert set(skills) == {p.pk for p in profiles}
    assert all(3 <= n <= 12 for n in skills.values())
    experience = Counter(await Experience.all().values_list("profile_id", flat=True))
    assert all(1 <= experience[p.pk] <= 5 for p in profiles)
    for model in (Education, WorkSample, Reference):
        per_profile = Counter(await model.all().values_list("profile_id", flat=True))
        assert max(per_profile.values(), default=0) <= 3
    for name, normalized, level in await Skill.all().values_list("name", "normalized_name", "level"):
        assert normalized == " ".join(name.lower().split())
        assert 1 <= level <= 5
    assert all(re.match(r"^https?://\S+$", url) for url in await WorkSample.all().values_list("url", flat=True))
    assert all(p.headline and p.summary and p.city and p.country_code and p.salary_currency for p in profiles)
    assert len({p.country_code for p in profiles}) >= 6
    assert sum(p.visibility != Visibility.HIDDEN for p in profiles) > PROFILES / 2


async def test_seeded_demo_users_log_in_and_sign_up_still_works(gql: GraphQLClient) -> None:
    # given
    candidate = await User.filter(role=Role.CANDIDATE).order_by("id").first()
    employer = await User.filter(role=Role.EMPLOYER).order_by("id").first()
    assert candidate is not None and employer is not None
    for user, role in ((candidate, "CANDIDATE"), (employer, "EMPLOYER")):
        # when
        payload = await gql.mutate(LOG_IN, {"email": user.email, "password": DEMO_PASSWORD})
        # then
        assert payload["viewer"] == {"id": payload["viewer"]["id"], "email": user.email, "role": role}
        data = await gql.execute(VIEWER, token=payload["token"])
        assert data["viewer"]["email"] == user.email
    company = (await gql.execute(VIEWER, token=payload["token"]))["viewer"]["company"]
    assert company["verified"] is True and company["domain"] == employer.email.split("@")[1]
    # Seeding assigns ids itself; the database must still hand out fresh ones afterwards.
    newcomer = await make_candidate(gql)
    assert await User.filter(email=newcomer.email).exists()


async def test_the_demo_moderator_finds_reports_in_the_queue(gql: GraphQLClient) -> None:
    # given: the seeded database (fixture)
    payload = await gql.mutate(LOG_IN, {"email": MODERATOR_EMAIL, "password": DEMO_PASSWORD})
    # when
    data = await gql.execute("{ moderationQueue { edges { node { targetKind filingCount } } } }", token=payload["token"])
    # then: the most-reported first
    cases = [edge["node"] for edge in data["moderationQueue"]["edges"]]
    assert cases == [{"targetKind": "COMPANY", "filingCount": 3}, {"targetKind": "PROFILE", "filingCount": 1}]
    # and: the reported company is the unverified one, whose employer signs in and sees it so
    sam = await gql.mutate(LOG_IN, {"email": UNVERIFIED_EMPLOYER_EMAIL, "password": DEMO_PASSWORD})
    company = (await gql.execute(VIEWER, token=sam["token"]))["viewer"]["company"]
    assert (company["verified"], company["domain"]) == (False, None)
    assert await Report.filter(target_kind="COMPANY", subject_company_id__in=Subquery(
        Company.filter(verified=False).values("id"))).count() == 1


def test_same_seed_gives_same_data_in_fresh_databases(sqlite_template: Path, tmp_path: Path) -> None:
    # given
    snapshots = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        path = tmp_path / f"{name}.sqlite3"
        shutil.copyfile(sqlite_template, path)
        settings = base_settings(f"sqlite://{path}")
        # when
        asyncio.run(seed_database(settings, profiles=25, seed=seed, progress=False))
        snapshots.append(asyncio.run(_snapshot(settings)))
    # then
    same_a, same_b, other = snapshots
    assert same_a == same_b
    assert same_a != other


def test_only_if_empty_leaves_a_seeded_database_alone(settings: Settings) -> None:
    # given: the seeded database (fixture)
    before = asyncio.run(_snapshot(settings))
    # when
    asyncio.run(seed_database(settings, profiles=10, only_if_empty=True, progress=False))
    # then
    assert asyncio.run(_snapshot(settings)) == before


def test_seeding_again_adds_new_people_after_the_existing_ones(settings: Settings) -> None:
    # given: the seeded database (fixture)
    # when
    asyncio.run(seed_database(settings, profiles=10, seed=42, progress=False))
    # then
    rows = asyncio.run(_snapshot(settings))
    profiles = [row for row in rows if len(row) > 2]
    assert len(profiles) == PROFILES + 10
    assert len({row[0] for row in profiles}) == PROFILES + 10  # emails
    assert len({row[2] for row in profiles}) == PROFILES + 10  # handles
    assert len(rows) - len(profiles) == 11  # 5 + 5 verified companies, no domain twice, and the one unverified
    assert len({row[1] for row in rows if len(row) == 2 and row[1] is not None}) == 10


async def test_seeded_profiles_are_searchable_and_the_index_stays_live(gql: GraphQLClient) -> None:
    """Seeding loads without the search triggers and indexes everything at the end; the
    triggers must be back afterwards."""
    from tests.factories.accounts import make_employer

    # given
    employer = await make_employer(gql)
    search = "query($q: String) { searchCandidates(query: $q, filter: {includeStale: true, openToWork: [ACTIVELY_LOOKING, OPEN, NOT_LOOKING]}) { totalCount } }"
    from tortoise import connections

    # then: every seeded profile is in the index (both backends name it profile_search)
    _, rows = await connections.get("default").execute_query("SELECT count(*) AS n FROM profile_search")
    assert rows[0]["n"] == await Profile.all().count() == PROFILES
    python = await Skill.filter(normalized_name="python").exclude(profile__visibility=Visibility.HIDDEN).exclude(
        profile__open_to_work="HIRED"
    ).count()
    found = await gql.execute(search, {"q": "python"}, token=employer.token)
    assert found["searchCandidates"]["totalCount"] >= python > 0
    skill = await Skill.filter(profile__visibility=Visibility.PUBLIC).exclude(profile__open_to_work="HIRED").first()
    assert skill is not None
    # when: a write after seeding
    await Skill.filter(id=skill.pk).update(name="Quetzalcoatlscript")
    # then: the trigger keeps the index in step
    found = await gql.execute(search, {"q": "quetzalcoatlscript"}, token=employer.token)
    assert found["searchCandidates"]["totalCount"] == 1


async def test_the_demo_employer_finds_a_living_pipeline(gql: GraphQLClient) -> None:
    # given: the seeded database (fixture); the demo employer is the first one seeded
    employer = await User.filter(role=Role.EMPLOYER).order_by("id").first()
    assert employer is not None
    token = (await gql.mutate(LOG_IN, {"email": employer.email, "password": DEMO_PASSWORD}))["token"]
    # when
    roles = (await gql.execute("{ roles { edges { node { id title status } } } }", token=token))["roles"]["edges"]
    backend = next(edge["node"] for edge in roles if edge["node"]["title"] == "Backend engineer")
    page = await gql.execute(
        """query($roleId: ID!) { pipeline(roleId: $roleId) { edges { node {
             stage stageReason customStage { name } lastNote { body author { displayName } } tags { name }
             history { toStage trigger } ratings { score } } } } }""",
        {"roleId": backend["id"]}, token=token,
    )
    # then: entries at many stages, each with its history, notes and tags
    assert {edge["node"]["title"] for edge in roles} == {"Backend engineer", "Product designer"}
    entries = [edge["node"] for edge in page["pipeline"]["edges"]]
    stages = {entry["stage"] for entry in entries}
    assert {"SOURCED", "CONTACTED", "REPLIED", "INTERVIEWING", "CUSTOM", "REJECTED", "WITHDRAWN"} <= stages
    assert all(entry["lastNote"] and entry["tags"] and entry["history"][0]["toStage"] == "SOURCED" for entry in entries)
    assert all(entry["stageReason"] for entry in entries if entry["stage"] in ("REJECTED", "WITHDRAWN"))
    assert next(e for e in entries if e["stage"] == "CUSTOM")["customStage"] == {"name": "Take-home task"}
    assert any(entry["ratings"] for entry in entries)
    assert any(move["trigger"] == "INTERVIEW_SCHEDULED" for entry in entries for move in entry["history"])
    numbers = await gql.execute(
        "query($id: ID!) { role(id: $id) { stageCounts { stage count } numbers { conversions { fromStage rate } daysInStage { stage medianDays } } } }",
        {"id": backend["id"]}, token=token,
    )
    assert sum(row["count"] for row in numbers["role"]["stageCounts"]) == len(entries)
    assert numbers["role"]["numbers"]["conversions"]
