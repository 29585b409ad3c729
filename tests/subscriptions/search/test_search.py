"""candidateMatched: a profile that newly matches a saved search is pushed once, with
visibility and blocks checked when sending and an access-log entry for the candidate.

The profile mutations live in the profiles feature: here the ORM writes the profile
and the test calls ``notify_profile_changed`` as those mutations will after commit.
"""

from __future__ import annotations

import pytest

from models.accounts import Company
from models.profiles import AccessKind, AccessLogEntry, Block, Profile
from models.search import SavedSearchMatch
from resolvers.events import saved_search_channel
from resolvers.ids import parse_global_id, to_global_id
from resolvers.search.saved import notify_profile_changed
from tests.factories.accounts import make_candidate, make_employer
from tests.factories.search import add_skill, make_profile, profile_gid
from tests.graphql import LEGACY_WS, TRANSPORT_WS, GraphQLClient, subscribed

pytestmark = pytest.mark.usefixtures("backend")

SAVE = """
mutation Save($input: SaveSearchInput!) {
  saveSearch(input: $input) { savedSearch { id } userErrors { code } }
}
"""
MATCHED = """
subscription Matched($id: ID!) {
  candidateMatched(savedSearchId: $id) {
    savedSearchId
    candidate { id profileId headline displayName handle anonymous skills { name level } }
  }
}
"""


@pytest.mark.parametrize("protocol", [TRANSPORT_WS, LEGACY_WS])
async def test_new_match_is_pushed_once_and_logged(gql: GraphQLClient, app, protocol: str) -> None:
    # given
    boss = await make_employer(gql)
    saved = (await gql.mutate(SAVE, {"name": "Rustaceans", "query": "rust"}, token=boss.token))["savedSearch"]
    profile = await make_profile(headline="Backend developer", anonymous=True)
    broker = app.state.broker
    async with gql.websocket(token=boss.token, protocol=protocol) as ws:
        op = await subscribed(app, ws, MATCHED, {"id": saved["id"]})
        # when the candidate adds a skill that makes them match
        await add_skill(profile, "Rust", 4)
        fired = await notify_profile_changed(broker, profile.pk, ttl_days=app.state.settings.availability_ttl_days)
        # then
        payload = await ws.next(op)
        event = payload["data"]["candidateMatched"]
        assert event["savedSearchId"] == saved["id"]
        assert event["candidate"]["profileId"] == profile_gid(profile)
        assert event["candidate"]["id"] == to_global_id("SearchCandidate", profile.pk)
        assert event["candidate"]["displayName"] is None and event["candidate"]["anonymous"] is True
        assert event["candidate"]["skills"] == [{"name": "Rust", "level": 4}]
        assert len(fired) == 1
        # a further edit of a profile that already matched does not alert again
        await Profile.filter(id=profile.pk).update(headline="Rust backend developer")
        assert await notify_profile_changed(broker, profile.pk, ttl_days=app.state.settings.availability_ttl_days) == []
        await ws.expect_silence(0.3)
    entries = await AccessLogEntry.filter(profile_id=profile.pk)
    assert [(e.kind, e.company_id) for e in entries] == [(AccessKind.SEARCH_ALERT, (await Company.get()).pk)]
    assert await SavedSearchMatch.filter(profile_id=profile.pk).count() == 1


async def test_blocked_company_gets_no_alert(gql: GraphQLClient, app) -> None:
    # given
    boss = await make_employer(gql, email="hr@acme.io", company_name="Acme")
    saved = (await gql.mutate(SAVE, {"name": "Go", "query": "golang"}, token=boss.token))["savedSearch"]
    profile = await make_profile(headline="Developer")
    await Block.create(profile=profile, domain="acme.io")
    async with gql.websocket(token=boss.token) as ws:
        op = await subscribed(app, ws, MATCHED, {"id": saved["id"]})
        # when
        await add_skill(profile, "Golang", 3)
        fired = await notify_profile_changed(app.state.broker, profile.pk, ttl_days=app.state.settings.availability_ttl_days)
        # then
        assert fired == []
        await ws.expect_silence(0.3)
        assert op
    assert await AccessLogEntry.all().count() == 0


async def test_block_after_matching_is_checked_when_sending(gql: GraphQLClient, app) -> None:
    # given: the match is recorded and published, but the candidate blocked the company meanwhile
    boss = await make_employer(gql)
    saved = (await gql.mutate(SAVE, {"name": "Elixir", "query": "elixir"}, token=boss.token))["savedSearch"]
    profile = await make_profile(headline="Elixir developer")
    company = await Company.get()
    async with gql.websocket(token=boss.token) as ws:
        await subscribed(app, ws, MATCHED, {"id": saved["id"]})
        # when
        await Block.create(profile=profile, company=company)
        await app.state.broker.publish(
            saved_search_channel(parse_global_id(saved["id"])[1]),
            {"type": "candidate_matched", "profileId": profile.pk},
        )
        # then
        await ws.expect_silence(0.4)
    assert await AccessLogEntry.all().count() == 0


async def test_only_the_company_may_subscribe(gql: GraphQLClient) -> None:
    boss = await make_employer(gql)
    rival = await make_employer(gql)
    candidate = await make_candidate(gql)
    saved = (await gql.mutate(SAVE, {"name": "X", "query": "x"}, token=boss.token))["savedSearch"]
    for token, code in ((rival.token, "NOT_FOUND"), (candidate.token, "FORBIDDEN")):
        async with gql.websocket(token=token) as ws:
            op = await ws.subscribe(MATCHED, {"id": saved["id"]})
            message = await ws.receive()
            assert message["id"] == op
            assert message["type"] in {"next", "error"}
            errors = message["payload"]["errors"] if message["type"] == "next" else message["payload"]
            assert errors[0]["extensions"]["code"] == code


async def test_profile_mutations_alert_through_the_api(gql: GraphQLClient, app) -> None:
    """The whole path: the candidate edits through the profile API, which notifies the
    matcher after commit; the search edge's `profile` keeps anonymity."""
    # given
    boss = await make_employer(gql)
    saved = (await gql.mutate(SAVE, {"name": "Elixir", "query": "elixir"}, token=boss.token))["savedSearch"]
    candidate = await make_candidate(gql)
    await gql.mutate(
        "mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { userErrors { code } } }",
        {"visibility": "EMPLOYERS", "anonymous": True, "openToWork": "ACTIVELY_LOOKING", "headline": "Backend developer"},
        token=candidate.token,
    )
    await gql.execute("mutation { confirmAvailability { userErrors { code } } }", token=candidate.token)
    async with gql.websocket(token=boss.token) as ws:
        op = await subscribed(app, ws, MATCHED, {"id": saved["id"]})
        # when
        await gql.mutate(
            "mutation($input: AddSkillInput!) { addSkill(input: $input) { userErrors { code } } }",
            {"name": "Elixir", "level": 5},
            token=candidate.token,
        )
        # then
        event = (await ws.next(op))["data"]["candidateMatched"]
        assert event["candidate"]["anonymous"] is True and event["candidate"]["handle"] is None
    found = await gql.execute(
        "{ searchCandidates(query: \"elixir\") { edges { node { profile { id handle headline skills { name } } } } } }",
        token=boss.token,
    )
    [edge] = found["searchCandidates"]["edges"]
    assert edge["node"]["profile"]["handle"] is None  # anonymous to this company
    assert edge["node"]["profile"]["headline"] == "Backend developer"
    assert edge["node"]["profile"]["skills"] == [{"name": "Elixir"}]
