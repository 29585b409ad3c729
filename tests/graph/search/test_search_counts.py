"""Counts that say what they are (issue 18, item 1), on SQLite and PostgreSQL.

``totalCount`` is exact up to ``SEARCH_EXACT_COUNT_LIMIT`` and an estimate of at least
the limit + 1 above it; ``totalCountIsExact`` says which. The limit is set to 5 here so
that "a result larger than the limit" takes a dozen profiles, not 10,001. Paging with
``after`` must still visit every result exactly once above the limit.
"""

from __future__ import annotations

import pytest
from tortoise import connections

from graph.settings import Settings
from models.accounts import User
from models.chat import Conversation, ConversationStatus
from models.profiles import OpenToWork, SalaryPeriod
from tests.conftest import base_settings
from tests.factories.accounts import make_candidate, make_employer
from tests.factories.search import make_profile, profile_gid
from tests.graphql import GraphQLClient

pytestmark = pytest.mark.usefixtures("backend")

LIMIT = 5

COUNT = """
query Count($query: String, $filter: SearchFilterInput) {
  searchCandidates(query: $query, filter: $filter, first: 2) {
    totalCount totalCountIsExact rankingApproximate
    facets { approximate countries { value count } }
  }
}
"""

PAGE = """
query Page($query: String, $sort: SearchSort, $first: Int, $after: String) {
  searchCandidates(query: $query, sort: $sort, first: $first, after: $after) {
    totalCount totalCountIsExact
    pageInfo { hasNextPage endCursor }
    edges { node { profileId } }
  }
}
"""

UPDATE = """
mutation($input: UpdateMyProfileInput!) {
  updateMyProfile(input: $input) { profile { id } userErrors { code message } }
}
"""


@pytest.fixture
def settings(database_url: str) -> Settings:
    return base_settings(database_url, search_exact_count_limit=LIMIT)


async def test_total_count_is_exact_up_to_the_limit_and_says_so_above(gql: GraphQLClient) -> None:
    # given: 5 Python developers in DE and 7 in FR, and 2 who are not looking (not in the result)
    boss = await make_employer(gql)
    for i in range(12):
        await make_profile(headline="Python developer", country="DE" if i < 5 else "FR")
    for _ in range(2):
        await make_profile(headline="Python developer", country="DE", status=OpenToWork.NOT_LOOKING)
    # when / then: at the limit the count is exact
    at_limit = (await gql.execute(COUNT, {"query": "python", "filter": {"countries": ["DE"]}}, token=boss.token))
    assert at_limit["searchCandidates"]["totalCount"] == LIMIT
    assert at_limit["searchCandidates"]["totalCountIsExact"] is True
    # ... and below it, with or without facets asked for
    below = await gql.execute(
        "query { searchCandidates(query: \"python\", filter: {countries: [\"DE\"], maxYears: 80}, first: 1) { totalCount totalCountIsExact } }",
        token=boss.token,
    )
    assert below["searchCandidates"] == {"totalCount": LIMIT, "totalCountIsExact": True}
    # above the limit: an estimate, never below limit + 1, and flagged
    above = (await gql.execute(COUNT, {"query": "python"}, token=boss.token))["searchCandidates"]
    assert above["totalCountIsExact"] is False
    assert above["totalCount"] >= LIMIT + 1
    # facets keep saying whether they are sampled (12 hits < FACET_SCAN_CAP: exact)
    assert above["facets"]["approximate"] is False
    assert sorted((c["value"], c["count"]) for c in above["facets"]["countries"]) == [("DE", 5), ("FR", 7)]
    # without text (filters only) the same rule holds
    filters_only = (await gql.execute(COUNT, {}, token=boss.token))["searchCandidates"]
    assert filters_only["totalCountIsExact"] is False and filters_only["totalCount"] >= LIMIT + 1


@pytest.mark.parametrize("sort", ["RELEVANCE", "RECENTLY_UPDATED", "YEARS_OF_EXPERIENCE"])
async def test_paging_above_the_limit_visits_every_result_once(gql: GraphQLClient, backend: str, sort: str) -> None:
    # given: 13 matches (more than the limit), ties in text and years
    boss = await make_employer(gql)
    made = [await make_profile(headline="Python developer", years=5 if i % 2 else 7) for i in range(13)]
    await make_profile(headline="Go developer")  # not a match
    expected = {profile_gid(p) for p in made}
    if backend == "postgres":  # the match estimate (windowed or not) comes from statistics
        await connections.get("default").execute_script("ANALYZE profile_search")
    first = await gql.execute(
        "query($s: SearchSort) { searchCandidates(query: \"python\", sort: $s, first: 1) { rankingApproximate } }",
        {"s": sort}, token=boss.token,
    )
    # relevance over more matches than the limit is windowed (PostgreSQL: by primary key)
    assert first["searchCandidates"]["rankingApproximate"] is (sort == "RELEVANCE")
    # when: a client pages with `after` until the end
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        data = await gql.execute(PAGE, {"query": "python", "sort": sort, "first": 3, "after": after}, token=boss.token)
        page = data["searchCandidates"]
        assert page["totalCountIsExact"] is False and page["totalCount"] >= LIMIT + 1
        seen += [edge["node"]["profileId"] for edge in page["edges"]]
        pages += 1
        assert pages <= 20, "paging does not end"
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    # then: every result exactly once
    assert len(seen) == len(set(seen)) == 13
    assert set(seen) == expected


async def test_a_new_candidate_is_counted_exactly(gql: GraphQLClient) -> None:
    """Only what new users do: sign up, fill the profile; an employer searches."""
    # given
    employer = await make_employer(gql)
    candidate = await make_candidate(gql)
    profile = (await gql.mutate(
        UPDATE,
        {"visibility": "EMPLOYERS", "openToWork": "OPEN", "headline": "Elixir developer"},
        token=candidate.token,
    ))["profile"]
    # when
    data = await gql.execute(COUNT, {"query": "elixir"}, token=employer.token)
    # then
    result = data["searchCandidates"]
    assert result["totalCount"] == 1 and result["totalCountIsExact"] is True
    assert result["rankingApproximate"] is False
    ids = await gql.execute(PAGE, {"query": "elixir"}, token=employer.token)
    assert [e["node"]["profileId"] for e in ids["searchCandidates"]["edges"]] == [profile["id"]]


async def test_searchable_profiles_have_their_index(backend: str, gql: GraphQLClient) -> None:
    """migrations/0004: the partial covering index exists on PostgreSQL (none on SQLite)."""
    connection = connections.get("default")
    if backend == "postgres":
        rows = await connection.execute_query_dict(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'profile_searchable_idx'"
        )
        assert len(rows) == 1 and "WHERE" in rows[0]["indexdef"] and "INCLUDE" in rows[0]["indexdef"]
    else:
        rows = await connection.execute_query_dict(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'profile_searchable_idx'"
        )
        assert rows == []


@pytest.mark.parametrize("sort", ["RELEVANCE", "RECENTLY_UPDATED"])
async def test_only_a_contact_the_candidate_accepted_from_this_company_reveals_her_on_every_kind_of_page(
    gql: GraphQLClient, backend: str, sort: str
) -> None:
    """The page statement looks the accepted contacts up itself (``accepted_contact_join``):
    on windowed relevance pages as on keyset pages, only this company's ACCEPTED
    conversation with an anonymous candidate shows who she is."""
    # given: 12 anonymous Python developers (above the limit: relevance is windowed); the
    # searching company's contact was accepted by one, is pending with one, declined by
    # one; another company's contact was accepted by a fourth
    boss, other = await make_employer(gql), await make_employer(gql)
    company_id = (await User.get(email=boss.email)).company_id
    other_company_id = (await User.get(email=other.email)).company_id
    made = [await make_profile(headline="Python developer", anonymous=True, name=f"Secret {i}") for i in range(12)]
    contacts = [
        (made[0], company_id, ConversationStatus.ACCEPTED),
        (made[1], company_id, ConversationStatus.REQUESTED),
        (made[2], company_id, ConversationStatus.DECLINED),
        (made[3], other_company_id, ConversationStatus.ACCEPTED),
    ]
    for profile, company, status in contacts:
        await Conversation.create(
            company_id=company, candidate_id=profile.user_id, status=status, role_title="Engineer",
            salary_min=1, salary_max=2, salary_currency="EUR", salary_period=SalaryPeriod.YEAR,
        )
    if backend == "postgres":
        await connections.get("default").execute_script("ANALYZE profile_search")
    # when: every page of the result
    names: dict[str, str | None] = {}
    after = None
    windowed = set()
    for _ in range(10):
        data = await gql.execute(
            """query($s: SearchSort, $after: String) { searchCandidates(query: "python", sort: $s, first: 5, after: $after) {
                rankingApproximate pageInfo { hasNextPage endCursor }
                edges { node { profileId anonymous displayName handle profile { displayName } } } } }""",
            {"s": sort, "after": after}, token=boss.token,
        )
        page = data["searchCandidates"]
        windowed.add(page["rankingApproximate"])
        for edge in page["edges"]:
            node = edge["node"]
            names[node["profileId"]] = node["displayName"]
            assert node["anonymous"] is (node["displayName"] is None) and (node["handle"] is None) is node["anonymous"]
            assert node["profile"]["displayName"] == node["displayName"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    # then
    assert windowed == {sort == "RELEVANCE"}
    assert len(names) == 12
    assert names[profile_gid(made[0])] == "Secret 0"
    assert [n for n in names.values() if n is not None] == ["Secret 0"]
