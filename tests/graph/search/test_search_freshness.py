"""Freshness: one definition for search (SQL, both backends), saved-search matching and
``Profile.stale`` (Python). A profile is fresh from sign-up until ``AVAILABILITY_TTL_DAYS``
after its last ``confirmAvailability`` (or after sign-up when never confirmed).

Issue 12, item 4: a candidate who signed up, went PUBLIC + ACTIVELY_LOOKING and never
confirmed was missing from every default search and every saved-search alert while her
profile said ``stale: false``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from graph.settings import Settings
from models.profiles import Profile
from resolvers.ids import parse_global_id
from tests.factories.accounts import make_candidate, make_employer
from tests.graphql import GraphQLClient, subscribed

pytestmark = pytest.mark.usefixtures("backend")

UPDATE = """
mutation($input: UpdateMyProfileInput!) {
  updateMyProfile(input: $input) { profile { id stale availabilityConfirmedAt } userErrors { code message } }
}
"""
ADD_SKILL = "mutation($input: AddSkillInput!) { addSkill(input: $input) { userErrors { code message } } }"
SEARCH = """
query($query: String, $filter: SearchFilterInput) {
  searchCandidates(query: $query, filter: $filter) { totalCount edges { node { profileId profile { stale } } } }
}
"""
SAVE = "mutation($input: SaveSearchInput!) { saveSearch(input: $input) { savedSearch { id } userErrors { code } } }"
MATCHED = "subscription($id: ID!) { candidateMatched(savedSearchId: $id) { savedSearchId candidate { profileId headline } } }"
CONFIRM = "mutation { confirmAvailability { profile { stale } userErrors { code } } }"
STALE = "{ myProfile { id stale } }"


async def _found(gql: GraphQLClient, token: str, **variables: object) -> set[str]:
    data = await gql.execute(SEARCH, variables, token=token)
    return {edge["node"]["profileId"] for edge in data["searchCandidates"]["edges"]}


async def test_a_new_candidate_is_found_on_her_first_day(gql: GraphQLClient, app) -> None:
    """Only what new users do: sign up, fill the profile, search — no confirmAvailability."""
    # given: a newly signed-up employer with a saved search, listening for matches
    employer = await make_employer(gql)
    saved = (await gql.mutate(SAVE, {"name": "Rust people", "query": "rust"}, token=employer.token))["savedSearch"]
    async with gql.websocket(token=employer.token) as ws:
        op = await subscribed(app, ws, MATCHED, {"id": saved["id"]})
        # when: a candidate signs up and fills her profile
        candidate = await make_candidate(gql)
        profile = (await gql.mutate(
            UPDATE,
            {"visibility": "PUBLIC", "openToWork": "ACTIVELY_LOOKING", "headline": "Rust developer"},
            token=candidate.token,
        ))["profile"]
        await gql.mutate(ADD_SKILL, {"name": "Rust", "level": 4}, token=candidate.token)
        # then: the saved search alerts ...
        event = (await ws.next(op))["data"]["candidateMatched"]
        assert event == {"savedSearchId": saved["id"], "candidate": {"profileId": profile["id"], "headline": "Rust developer"}}
    # ... and every default search finds her, while her profile says it is fresh
    assert profile["stale"] is False and profile["availabilityConfirmedAt"] is None
    assert profile["id"] in await _found(gql, employer.token)
    assert profile["id"] in await _found(gql, employer.token, query="rust")
    assert profile["id"] in await _found(gql, employer.token, filter={"allSkills": ["rust"]})


async def test_a_stale_profile_drops_out_until_confirmed(gql: GraphQLClient, app) -> None:
    # given: a candidate who signed up 61 days ago and never confirmed
    employer = await make_employer(gql)
    candidate = await make_candidate(gql)
    profile = (await gql.mutate(
        UPDATE, {"visibility": "PUBLIC", "openToWork": "ACTIVELY_LOOKING", "headline": "Go developer"},
        token=candidate.token,
    ))["profile"]
    long_ago = datetime.now(timezone.utc) - timedelta(days=61)
    await Profile.filter(id=parse_global_id(profile["id"])[1]).update(created_at=long_ago)
    # when / then: stale, out of default search and saved-search matching, in with includeStale
    assert (await gql.execute(STALE, token=candidate.token))["myProfile"]["stale"] is True
    assert profile["id"] not in await _found(gql, employer.token)
    assert profile["id"] in await _found(gql, employer.token, filter={"includeStale": True})
    saved = (await gql.mutate(SAVE, {"name": "Go", "query": "go"}, token=employer.token))["savedSearch"]
    async with gql.websocket(token=employer.token) as ws:
        op = await subscribed(app, ws, MATCHED, {"id": saved["id"]})
        await gql.mutate(ADD_SKILL, {"name": "Go", "level": 3}, token=candidate.token)
        await ws.expect_silence(0.4)
        # when: she confirms, she is back (and the saved search alerts on her next change)
        assert (await gql.execute(CONFIRM, token=candidate.token))["confirmAvailability"]["profile"]["stale"] is False
        await gql.mutate(UPDATE, {"summary": "Still here"}, token=candidate.token)
        event = (await ws.next(op))["data"]["candidateMatched"]
        assert event["candidate"]["profileId"] == profile["id"]
    assert profile["id"] in await _found(gql, employer.token)


async def test_search_and_stale_agree_on_every_side_of_the_cutoff(gql: GraphQLClient, settings: Settings) -> None:
    """The SQL filter and ``Profile.stale`` are one definition: for sign-up and
    confirmation dates on both sides of the cutoff, search returns exactly the profiles
    that say ``stale: false``."""
    # given
    employer = await make_employer(gql)
    ttl = settings.availability_ttl_days
    now = datetime.now(timezone.utc)
    old, recent = now - timedelta(days=ttl, hours=1), now - timedelta(days=ttl, hours=-1)
    cases = {  # (created_at, availability_confirmed_at)
        "new": (now, None), "old never confirmed": (old, None), "recent never confirmed": (recent, None),
        "old, confirmed old": (old - timedelta(days=1), old), "old, confirmed recently": (old, recent),
        "old, confirmed today": (old, now),
    }
    ids: dict[str, str] = {}
    for name, (created, confirmed) in cases.items():
        candidate = await make_candidate(gql)
        profile = (await gql.mutate(
            UPDATE, {"visibility": "EMPLOYERS", "openToWork": "OPEN", "headline": name}, token=candidate.token
        ))["profile"]
        await Profile.filter(id=parse_global_id(profile["id"])[1]).update(
            created_at=created, availability_confirmed_at=confirmed
        )
        ids[name] = profile["id"]
    # when
    found = await _found(gql, employer.token)
    everyone = await gql.execute(
        "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Profile { id stale } } }", {"ids": list(ids.values())},
        token=employer.token,
    )
    # then
    fresh = {node["id"] for node in everyone["nodes"] if node["stale"] is False}
    assert found == fresh
    assert {name for name, gid in ids.items() if gid in found} == {
        "new", "recent never confirmed", "old, confirmed recently", "old, confirmed today"
    }
