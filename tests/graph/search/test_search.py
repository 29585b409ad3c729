"""searchCandidates through the real app: ranking, filters, facets, paging, privacy,
hostile queries and index freshness. Runs on SQLite and (with TEST_POSTGRES_URL) on
PostgreSQL through the ``backend`` fixture.

The profile mutations live in the profiles feature (another branch): profiles, skills
and experience are written through the ORM here; triggers keep the index in step.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from models.accounts import Company, User
from models.chat import Conversation, ConversationStatus
from models.profiles import (
    AccessLogEntry,
    Block,
    Experience,
    OpenToWork,
    Profile,
    RemotePreference,
    SalaryPeriod,
    Skill,
    Visibility,
)
from resolvers.ids import parse_global_id
from tests.factories.accounts import make_candidate, make_employer
from tests.factories.search import add_skill, make_profile, profile_gid
from tests.graphql import GraphQLClient

pytestmark = pytest.mark.usefixtures("backend")

SEARCH = """
query Search($query: String, $filter: SearchFilterInput, $sort: SearchSort, $first: Int, $after: String) {
  searchCandidates(query: $query, filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount sort rankingApproximate
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges {
      cursor score
      node { profileId headline displayName handle anonymous countryCode yearsOfExperience skills { name level } }
      highlights { field text matches { start length } }
      matchExplanation {
        skills { name required matched level minimumLevel }
        filters { filter value }
        matchedFields matchedTerms rankedBy reason approximate
      }
    }
  }
}
"""

FACETS = """
query Facets($query: String, $filter: SearchFilterInput) {
  searchCandidates(query: $query, filter: $filter, first: 1) {
    totalCount
    facets(skillsFirst: 100) {
      skills { value count } countries { value count }
      remotePreferences { value count } openToWork { value count } approximate
    }
  }
}
"""

IDS = """
query Ids($query: String, $filter: SearchFilterInput, $sort: SearchSort, $first: Int, $after: String) {
  searchCandidates(query: $query, filter: $filter, sort: $sort, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { profileId } }
  }
}
"""


async def ids(gql: GraphQLClient, token: str, **variables: object) -> list[str]:
    data = await gql.execute(IDS, variables, token=token)
    return [edge["node"]["profileId"] for edge in data["searchCandidates"]["edges"]]


# --- access ----------------------------------------------------------------------------


async def test_only_employers_search(gql: GraphQLClient) -> None:
    # given
    candidate = await make_candidate(gql)
    # when
    anonymous = await gql.post(SEARCH, {"query": "python"})
    as_candidate = await gql.post(SEARCH, {"query": "python"}, token=candidate.token)
    # then
    assert anonymous.codes == ["UNAUTHENTICATED"] and anonymous.data is None
    assert as_candidate.codes == ["FORBIDDEN"] and as_candidate.data is None


# --- ranking and text ------------------------------------------------------------------


async def test_best_match_ranks_first_with_headline_and_skills_above_summary(gql: GraphQLClient) -> None:
    # given
    boss = await make_employer(gql)
    in_summary = await make_profile(headline="Backend developer", summary="Some kubernetes on the side.")
    in_headline = await make_profile(headline="Kubernetes platform engineer", skills=[("Kubernetes", 5)])
    in_skills = await make_profile(headline="Backend developer", skills=[("Kubernetes", 3)])
    await make_profile(headline="Designer", summary="Figma")
    # when
    data = await gql.execute(SEARCH, {"query": "kubernetes"}, token=boss.token)
    # then
    result = data["searchCandidates"]
    got = [edge["node"]["profileId"] for edge in result["edges"]]
    assert got == [profile_gid(in_headline), profile_gid(in_skills), profile_gid(in_summary)]
    scores = [edge["score"] for edge in result["edges"]]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    assert result["totalCount"] == 3 and result["sort"] == "RELEVANCE"
    top = result["edges"][0]
    assert {h["field"] for h in top["highlights"]} == {"HEADLINE", "SKILLS"}
    headline = next(h for h in top["highlights"] if h["field"] == "HEADLINE")
    start, length = headline["matches"][0]["start"], headline["matches"][0]["length"]
    assert headline["text"][start : start + length].lower() == "kubernetes"
    assert top["matchExplanation"]["matchedFields"] == ["HEADLINE", "SKILLS"]
    assert "relevance" in top["matchExplanation"]["reason"].lower()


async def test_prefix_phrase_or_and_exclusion(gql: GraphQLClient) -> None:
    # given
    boss = await make_employer(gql)
    data_engineer = await make_profile(headline="Data engineer", skills=[("Python", 4)])
    engineer_data = await make_profile(headline="Engineer for data platforms", skills=[("Java", 4)])
    rustacean = await make_profile(headline="Rust developer", skills=[("Rust", 5)])
    # when / then
    assert set(await ids(gql, boss.token, query="pyth*")) == {profile_gid(data_engineer)}
    assert await ids(gql, boss.token, query='"data engineer"') == [profile_gid(data_engineer)]
    assert set(await ids(gql, boss.token, query="rust OR java")) == {profile_gid(engineer_data), profile_gid(rustacean)}
    assert await ids(gql, boss.token, query="engineer -java") == [profile_gid(data_engineer)]


@pytest.mark.parametrize(
    "hostile",
    [
        '"unbalanced quote python',
        "python AND OR NOT NEAR",
        "NEAR(python java, 2)",
        "*",
        "**python",
        "headline: python",
        "summary:python",
        "python)",
        "((python",
        "'; DROP TABLE profile; --",
        "^python",
        "-",
        "- -- ---",
        "OR",
        "a" * 500,
        "python\u0301 Müller",
        '"" "',
        "{near}",
        "+python -",
    ],
)
async def test_hostile_queries_never_fail(gql: GraphQLClient, hostile: str) -> None:
    # given
    boss = await make_employer(gql)
    await make_profile(headline="Python developer", skills=[("Python", 4)])
    # when
    result = await gql.post(SEARCH, {"query": hostile}, token=boss.token)
    # then
    assert result.errors == [], result.errors
    assert isinstance(result.data["searchCandidates"]["totalCount"], int)
    assert await Profile.all().count() == 1


async def test_control_characters_in_a_query_are_bad_input(gql: GraphQLClient) -> None:
    # the one input rule for all text (graph/text_input.py): refused before the search runs
    boss = await make_employer(gql)
    result = await gql.post(SEARCH, {"query": "\x00python\x01"}, token=boss.token)
    assert result.codes == ["BAD_USER_INPUT"]


async def test_query_longer_than_the_limit_is_bad_input(gql: GraphQLClient) -> None:
    boss = await make_employer(gql)
    result = await gql.post(SEARCH, {"query": "x" * 501}, token=boss.token)
    assert result.codes == ["BAD_USER_INPUT"]


# --- filters ---------------------------------------------------------------------------


async def test_each_filter(gql: GraphQLClient) -> None:
    # given
    boss = await make_employer(gql)
    today = date.today()
    a = await make_profile(
        skills=[("Python", 5), ("SQL", 2)], country="DE", city="Berlin", remote=RemotePreference.REMOTE,
        years=8, salary=(70_000, "EUR", SalaryPeriod.YEAR), available_from=today + timedelta(days=10),
        work_authorization=["DE", "FR"], status=OpenToWork.ACTIVELY_LOOKING,
    )
    b = await make_profile(
        skills=[("Python", 2), ("Go", 4)], country="FR", city="Paris", remote=RemotePreference.HYBRID,
        years=3, salary=(90_000, "EUR", SalaryPeriod.YEAR), available_from=today + timedelta(days=90),
        work_authorization=["FR"], status=OpenToWork.OPEN,
    )
    c = await make_profile(
        skills=[("Go", 5)], country="US", city="Boston", remote=RemotePreference.ONSITE,
        years=15, salary=(150_000, "USD", SalaryPeriod.YEAR), status=OpenToWork.NOT_LOOKING,
    )
    A, B, C = profile_gid(a), profile_gid(b), profile_gid(c)
    cases: list[tuple[dict[str, object], set[str]]] = [
        ({}, {A, B}),  # default statuses: ACTIVELY_LOOKING and OPEN
        ({"openToWork": ["NOT_LOOKING"]}, {C}),
        ({"openToWork": ["ACTIVELY_LOOKING", "OPEN", "NOT_LOOKING"]}, {A, B, C}),
        ({"allSkills": ["python", "SQL"]}, {A}),
        ({"anySkills": ["sql", "go"], "openToWork": ["ACTIVELY_LOOKING", "OPEN", "NOT_LOOKING"]}, {A, B, C}),
        ({"allSkills": ["Python"], "minSkillLevel": 4}, {A}),
        ({"anySkills": ["go"], "minSkillLevel": 5, "openToWork": ["OPEN", "NOT_LOOKING"]}, {C}),
        ({"countries": ["fr"]}, {B}),
        ({"cities": ["berlin"]}, {A}),
        ({"remotePreferences": ["HYBRID", "ONSITE"]}, {B}),
        ({"minYears": 5}, {A}),
        ({"maxYears": 5}, {B}),
        ({"salaryBudget": {"amount": 80_000, "currency": "EUR"}}, {A}),
        ({"salaryBudget": {"amount": 200_000, "currency": "USD"}, "openToWork": ["NOT_LOOKING"]}, {C}),
        ({"availableBefore": (today + timedelta(days=30)).isoformat()}, {A}),
        ({"workAuthorization": "FR"}, {A, B}),
        ({"workAuthorization": "DE"}, {A}),
        ({"updatedSince": (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()}, set()),
        ({"updatedSince": (datetime.now(timezone.utc) - timedelta(days=1)).isoformat()}, {A, B}),
        ({"countries": ["DE", "FR"], "remotePreferences": ["REMOTE"], "allSkills": ["python"]}, {A}),
    ]
    for flt, expected in cases:
        # when
        got = await ids(gql, boss.token, filter=flt)
        # then
        assert set(got) == expected, flt


async def test_bad_filter_values_are_bad_input(gql: GraphQLClient) -> None:
    boss = await make_employer(gql)
    for flt in ({"countries": ["Germany"]}, {"minSkillLevel": 9}, {"minYears": 5, "maxYears": 2},
                {"salaryBudget": {"amount": 1, "currency": "euro"}}, {"allSkills": ["x"] * 21}):
        result = await gql.post(SEARCH, {"filter": flt}, token=boss.token)
        assert result.codes == ["BAD_USER_INPUT"], flt


async def test_explanation_lists_skills_and_filters_met(gql: GraphQLClient) -> None:
    # given
    boss = await make_employer(gql)
    await make_profile(headline="Python dev", skills=[("Python", 4), ("Django", 3)], country="DE")
    # when
    data = await gql.execute(
        SEARCH,
        {"query": "python", "filter": {"allSkills": ["python"], "anySkills": ["django", "flask"], "minSkillLevel": 3, "countries": ["DE"]}},
        token=boss.token,
    )
    # then
    explanation = data["searchCandidates"]["edges"][0]["matchExplanation"]
    assert explanation["skills"] == [
        {"name": "python", "required": True, "matched": True, "level": 4, "minimumLevel": 3},
        {"name": "django", "required": False, "matched": True, "level": 3, "minimumLevel": 3},
        {"name": "flask", "required": False, "matched": False, "level": None, "minimumLevel": 3},
    ]
    assert {"filter": "countries", "value": "DE"} in explanation["filters"]
    assert explanation["rankedBy"] == "RELEVANCE" and explanation["matchedTerms"] == ["python"]


# --- sorts, paging, facets -------------------------------------------------------------


async def test_paging_returns_every_hit_once_for_every_sort(gql: GraphQLClient) -> None:
    # given: ties everywhere (same text, same years)
    boss = await make_employer(gql)
    made = [await make_profile(headline="Python developer", years=5 if i % 2 else 7) for i in range(13)]
    expected = {profile_gid(p) for p in made}
    for sort in ("RELEVANCE", "RECENTLY_UPDATED", "YEARS_OF_EXPERIENCE"):
        # when
        seen: list[str] = []
        after = None
        while True:
            data = await gql.execute(IDS, {"query": "python", "sort": sort, "first": 4, "after": after}, token=boss.token)
            page = data["searchCandidates"]
            seen += [edge["node"]["profileId"] for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        # then
        assert len(seen) == len(set(seen)) == 13, sort
        assert set(seen) == expected


async def test_sorts_order_by_their_key(gql: GraphQLClient) -> None:
    boss = await make_employer(gql)
    junior = await make_profile(years=1)
    senior = await make_profile(years=20)
    mid = await make_profile(years=7)
    assert await ids(gql, boss.token, sort="YEARS_OF_EXPERIENCE") == [profile_gid(senior), profile_gid(mid), profile_gid(junior)]
    await Profile.filter(id=junior.pk).update(updated_at=datetime.now(timezone.utc) + timedelta(minutes=1))
    assert (await ids(gql, boss.token))[0] == profile_gid(junior)  # default without query: recently updated


async def test_bad_cursor_is_bad_input(gql: GraphQLClient) -> None:
    boss = await make_employer(gql)
    await make_profile(headline="Python developer")
    data = await gql.execute(IDS, {"query": "python", "first": 1}, token=boss.token)
    cursor = data["searchCandidates"]["pageInfo"]["endCursor"]
    for after, sort in (("garbage", None), (cursor, "YEARS_OF_EXPERIENCE")):
        result = await gql.post(IDS, {"query": "python", "after": after, "sort": sort}, token=boss.token)
        assert result.codes == ["BAD_USER_INPUT"]


async def test_facets_equal_counts_of_the_full_result(gql: GraphQLClient) -> None:
    # given
    boss = await make_employer(gql)
    specs = [
        ("DE", RemotePreference.REMOTE, OpenToWork.ACTIVELY_LOOKING, [("Python", 3), ("SQL", 2)]),
        ("DE", RemotePreference.HYBRID, OpenToWork.OPEN, [("Python", 4)]),
        ("FR", RemotePreference.REMOTE, OpenToWork.OPEN, [("Go", 4), ("SQL", 5)]),
        ("US", None, OpenToWork.ACTIVELY_LOOKING, [("Python", 1)]),
        ("US", RemotePreference.ONSITE, OpenToWork.NOT_LOOKING, [("Python", 1)]),  # not in the result
    ]
    for country, remote, status, skills in specs:
        await make_profile(headline="Engineer", country=country, remote=remote, status=status, skills=skills)
    # when
    data = await gql.execute(FACETS, {"query": "engineer"}, token=boss.token)
    # then
    result = data["searchCandidates"]
    facets = result["facets"]
    assert result["totalCount"] == 4
    assert facets["countries"] == [{"value": "DE", "count": 2}, {"value": "US", "count": 1}, {"value": "FR", "count": 1}] or \
        facets["countries"] == [{"value": "DE", "count": 2}, {"value": "FR", "count": 1}, {"value": "US", "count": 1}]
    assert facets["skills"] == [{"value": "python", "count": 3}, {"value": "sql", "count": 2}, {"value": "go", "count": 1}]
    assert facets["remotePreferences"] == [{"value": "REMOTE", "count": 2}, {"value": "HYBRID", "count": 1}]
    assert facets["openToWork"] == [{"value": "ACTIVELY_LOOKING", "count": 2}, {"value": "OPEN", "count": 2}]
    assert facets["approximate"] is False
    # and they equal the rows of the full result
    all_ids = await ids(gql, boss.token, query="engineer", first=100)
    rows = await Profile.filter(id__in=[parse_global_id(i)[1] for i in all_ids])
    assert sorted(p.country_code for p in rows) == ["DE", "DE", "FR", "US"]


# --- privacy and freshness -------------------------------------------------------------


async def test_visibility_blocks_and_staleness(gql: GraphQLClient) -> None:
    # given
    boss = await make_employer(gql, email="boss@acme.io", company_name="Acme")
    public = await make_profile(headline="Python dev", visibility=Visibility.PUBLIC)
    employers = await make_profile(headline="Python dev", visibility=Visibility.EMPLOYERS)
    await make_profile(headline="Python dev", visibility=Visibility.HIDDEN)
    blocks_company = await make_profile(headline="Python dev")
    blocks_domain = await make_profile(headline="Python dev")
    stale = await make_profile(headline="Python dev", confirmed_days_ago=61)
    # never confirmed: fresh from sign-up for the TTL (issue 12, item 4), stale after it
    never_confirmed = await make_profile(headline="Python dev", confirmed_days_ago=None)
    never_confirmed_old = await make_profile(headline="Python dev", confirmed_days_ago=None)
    await Profile.filter(id=never_confirmed_old.pk).update(created_at=datetime.now(timezone.utc) - timedelta(days=61))
    hired = await make_profile(headline="Python dev", status=OpenToWork.HIRED)
    company = await Company.get(name="Acme")
    await Block.create(profile=blocks_company, company=company)
    await Block.create(profile=blocks_domain, domain="acme.io")
    # when
    default = set(await ids(gql, boss.token, query="python"))
    with_stale = set(await ids(gql, boss.token, query="python", filter={"includeStale": True}))
    with_hired = set(await ids(gql, boss.token, query="python", filter={"openToWork": ["HIRED"]}))
    other = await make_employer(gql, email="hr@other.io", company_name="Other")
    other_sees = set(await ids(gql, other.token, query="python"))
    # then
    assert default == {profile_gid(public), profile_gid(employers), profile_gid(never_confirmed)}
    assert with_stale == default | {profile_gid(stale), profile_gid(never_confirmed_old)}
    assert with_hired == {profile_gid(hired)}
    assert other_sees == default | {profile_gid(blocks_company), profile_gid(blocks_domain)}
    assert await AccessLogEntry.all().count() == 0  # appearing in results is not a view


async def test_anonymous_identity_is_hidden_until_contact_accepted(gql: GraphQLClient) -> None:
    # given
    boss = await make_employer(gql)
    hidden = await make_profile(headline="Python dev", anonymous=True, name="Secret Person")
    open_ = await make_profile(headline="Python dev", name="Open Person")
    # when
    data = await gql.execute(SEARCH, {"query": "python"}, token=boss.token)
    nodes = {e["node"]["profileId"]: e["node"] for e in data["searchCandidates"]["edges"]}
    # then
    assert nodes[profile_gid(hidden)]["displayName"] is None and nodes[profile_gid(hidden)]["handle"] is None
    assert nodes[profile_gid(hidden)]["anonymous"] is True
    assert nodes[profile_gid(hidden)]["skills"] == []
    assert nodes[profile_gid(open_)]["displayName"] == "Open Person"
    # when the candidate accepts the company's contact request
    company_user = await User.get(email=boss.email)
    await Conversation.create(
        company_id=company_user.company_id, candidate_id=hidden.user_id, status=ConversationStatus.ACCEPTED,
        **_conversation_extra(),
    )
    data = await gql.execute(SEARCH, {"query": "python"}, token=boss.token)
    nodes = {e["node"]["profileId"]: e["node"] for e in data["searchCandidates"]["edges"]}
    assert nodes[profile_gid(hidden)]["displayName"] == "Secret Person"


def _conversation_extra() -> dict[str, object]:
    return {
        "role_title": "Engineer", "salary_min": 1, "salary_max": 2, "salary_currency": "EUR",
        "salary_period": SalaryPeriod.YEAR,
    }


# --- index freshness -------------------------------------------------------------------


async def test_index_follows_every_kind_of_profile_write(gql: GraphQLClient) -> None:
    boss = await make_employer(gql)

    async def found(query: str) -> set[str]:
        return set(await ids(gql, boss.token, query=query))

    # profile insert
    profile = await make_profile(headline="Carpenter", summary="Oak furniture")
    gid = profile_gid(profile)
    assert await found("carpenter") == {gid}
    # profile update
    profile.headline = "Cabinet maker"
    await profile.save()
    assert await found("carpenter") == set() and await found("cabinet") == {gid}
    # a field search does not index (status) does not drop it
    await Profile.filter(id=profile.pk).update(open_to_work=OpenToWork.OPEN)
    assert await found("cabinet") == {gid}
    # skill insert, update, delete
    skill = await add_skill(profile, "Woodturning", 4)
    assert await found("woodturning") == {gid}
    skill.name, skill.normalized_name = "Veneering", "veneering"
    await skill.save()
    assert await found("woodturning") == set() and await found("veneering") == {gid}
    await skill.delete()
    assert await found("veneering") == set()
    # experience insert, update, delete
    job = await Experience.create(
        profile=profile, title="Shipwright", company_name="Docks", start_date=date(2010, 1, 1), description="Hulls"
    )
    assert await found("shipwright") == {gid} and await found("hulls") == {gid}
    job.description = "Masts"
    await job.save()
    assert await found("hulls") == set() and await found("masts") == {gid}
    await job.delete()
    assert await found("shipwright") == set()
    # career goals
    await Profile.filter(id=profile.pk).update(career_goals="Teach apprentices")
    assert await found("apprentices") == {gid}
    # profile delete (cascades to its parts)
    await add_skill(profile, "Lathe", 3)
    await profile.delete()
    assert await found("cabinet") == set() and await found("lathe") == set()
    assert await Skill.all().count() == 0
