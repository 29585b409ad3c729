"""Endorsements, and the data rights: access log, export, deletion."""

from __future__ import annotations

import asyncio

from models.accounts import AuthToken, User
from models.chat import Conversation
from models.profiles import AccessLogEntry, Endorsement, Profile, Skill
from tests.factories.accounts import make_candidate, make_employer
from tests.factories.profiles import accept_contact, make_profile
from tests.graphql import GraphQLClient

ENDORSE = """
mutation($input: EndorseSkillInput!) { endorseSkill(input: $input) { endorsement { id comment endorser { displayName } } userErrors { code field } } }
"""
HIDE = "mutation($input: HideEndorsementInput!) { hideEndorsement(input: $input) { endorsement { id hidden } userErrors { code field } } }"
ENDORSEMENTS = """
query($h: String!) { profile(handle: $h) {
  skills { name endorsementCount endorsements(first: 5) { comment hidden endorser { displayName } } }
  endorsements(first: 1) { totalCount edges { cursor node { comment } } pageInfo { hasNextPage endCursor } }
} }
"""
ENDORSEMENTS_AFTER = "query($h: String!, $a: String) { profile(handle: $h) { endorsements(first: 5, after: $a) { edges { node { comment } } } } }"
ACCESS_LOG = "{ myAccessLog(first: 10) { totalCount edges { node { kind createdAt company { name } } } } }"
EXPORT = "{ exportMyData }"
DELETE = "mutation($input: DeleteMyAccountInput!) { deleteMyAccount(input: $input) { deleted userErrors { code field } } }"
VIEWER = "{ viewer { id } }"
BY_HANDLE = "query($h: String!) { profile(handle: $h) { id } }"


async def test_endorsement_rules(gql: GraphQLClient) -> None:
    # given
    candidate = await make_profile(gql, visibility="EMPLOYERS", skills=("Go",))
    employer = await make_employer(gql, name="Erin")
    peer = await make_candidate(gql)
    # when
    own = await gql.mutate(ENDORSE, {"skillId": candidate.skill_ids[0]}, token=candidate.token, ok=False)
    cannot_see = await gql.mutate(ENDORSE, {"skillId": candidate.skill_ids[0]}, token=peer.token, ok=False)
    first = await gql.mutate(ENDORSE, {"skillId": candidate.skill_ids[0], "comment": "great"}, token=employer.token)
    again = await gql.mutate(ENDORSE, {"skillId": candidate.skill_ids[0]}, token=employer.token, ok=False)
    too_long = await gql.mutate(ENDORSE, {"skillId": candidate.skill_ids[0], "comment": "c" * 501}, token=peer.token, ok=False)
    anonymous = await gql.post(ENDORSE, {"input": {"skillId": candidate.skill_ids[0]}})
    # then
    assert [e["code"] for e in own["userErrors"]] == ["SELF_ENDORSEMENT"]
    assert [e["code"] for e in cannot_see["userErrors"]] == ["NOT_FOUND"]  # an EMPLOYERS profile, a candidate
    assert first["endorsement"]["endorser"]["displayName"] == "Erin"
    assert [e["code"] for e in again["userErrors"]] == ["ALREADY_ENDORSED"]
    assert [e["code"] for e in too_long["userErrors"]] == ["TOO_LONG"]
    assert anonymous.codes == ["UNAUTHENTICATED"]
    assert await Endorsement.all().count() == 1


async def test_concurrent_twin_endorsements_leave_one(gql: GraphQLClient) -> None:
    candidate = await make_profile(gql, skills=("Go",))
    peer = await make_candidate(gql)
    results = await asyncio.gather(
        *[gql.mutate(ENDORSE, {"skillId": candidate.skill_ids[0]}, token=peer.token, ok=False) for _ in range(2)]
    )
    assert sorted(tuple(e["code"] for e in r["userErrors"]) for r in results) == [(), ("ALREADY_ENDORSED",)]
    assert await Endorsement.all().count() == 1


async def test_hidden_endorsements_only_the_owner_sees_and_counts_exclude_them(gql: GraphQLClient) -> None:
    # given: two endorsements, one hidden by the candidate
    candidate = await make_profile(gql, skills=("Go",))
    fans = [await make_candidate(gql, name=f"Fan {n}") for n in range(2)]
    ids = []
    for n, fan in enumerate(fans):
        payload = await gql.mutate(ENDORSE, {"skillId": candidate.skill_ids[0], "comment": f"c{n}"}, token=fan.token)
        ids.append(payload["endorsement"]["id"])
    # only the candidate may hide, and only their own skill's endorsements
    stranger = await gql.mutate(HIDE, {"endorsementId": ids[0]}, token=fans[1].token, ok=False)
    assert [e["code"] for e in stranger["userErrors"]] == ["NOT_FOUND"]
    hidden = await gql.mutate(HIDE, {"endorsementId": ids[0]}, token=candidate.token)
    assert hidden["endorsement"]["hidden"] is True
    # when
    public = (await gql.execute(ENDORSEMENTS, {"h": candidate.handle}))["profile"]
    mine = (await gql.execute(ENDORSEMENTS, {"h": candidate.handle}, token=candidate.token))["profile"]
    node = await gql.execute("query($id: ID!) { node(id: $id) { id } }", {"id": ids[0]})
    # then
    assert public["skills"][0]["endorsementCount"] == 1 == mine["skills"][0]["endorsementCount"]
    assert [e["comment"] for e in public["skills"][0]["endorsements"]] == ["c1"]
    assert [(e["comment"], e["hidden"]) for e in mine["skills"][0]["endorsements"]] == [("c1", False), ("c0", True)]
    assert public["endorsements"]["totalCount"] == 1 and mine["endorsements"]["totalCount"] == 2
    assert node["node"] is None
    # paging the profile's connection continues after the first page
    assert mine["endorsements"]["pageInfo"]["hasNextPage"] is True
    rest = await gql.execute(
        ENDORSEMENTS_AFTER, {"h": candidate.handle, "a": mine["endorsements"]["pageInfo"]["endCursor"]}, token=candidate.token
    )
    assert [e["node"]["comment"] for e in rest["profile"]["endorsements"]["edges"]] == ["c0"]
    assert await Endorsement.filter(hidden=True).count() == 1


async def test_access_log_lists_company_views(gql: GraphQLClient) -> None:
    # given
    candidate = await make_profile(gql, visibility="EMPLOYERS")
    employer = await make_employer(gql, company_name="Curious Ltd")
    await gql.execute(BY_HANDLE, {"h": candidate.handle}, token=employer.token)
    # when
    log = (await gql.execute(ACCESS_LOG, token=candidate.token))["myAccessLog"]
    # then
    assert log["totalCount"] == 1
    assert log["edges"][0]["node"]["kind"] == "VIEW"
    assert log["edges"][0]["node"]["company"] == {"name": "Curious Ltd"}


async def test_export_contains_everything_about_the_viewer(gql: GraphQLClient) -> None:
    # given
    candidate = await make_profile(gql, visibility="EMPLOYERS", full=True)
    employer = await make_employer(gql)
    fan = await make_candidate(gql)
    await gql.mutate(ENDORSE, {"skillId": candidate.skill_ids[0]}, token=employer.token)
    other = await make_profile(gql, skills=("Go",))
    await gql.mutate(ENDORSE, {"skillId": other.skill_ids[0]}, token=candidate.token)
    await accept_contact(candidate, employer)
    await gql.execute(BY_HANDLE, {"h": candidate.handle}, token=employer.token)
    # when
    document = (await gql.execute(EXPORT, token=candidate.token))["exportMyData"]
    # then
    assert document["account"]["email"] == candidate.actor.email
    assert "password_hash" not in document["account"]
    assert all("token_hash" not in token for token in document["tokens"])
    profile = document["profile"]
    assert profile["handle"] == candidate.handle
    assert [s["name"] for s in profile["skills"]] == ["Python"]
    assert len(profile["experience"]) == len(profile["education"]) == len(profile["workSamples"]) == 1
    assert profile["references"][0]["contact"] == "grace@example.org"
    assert len(document["endorsementsReceived"]) == 1 and len(document["endorsementsGiven"]) == 1
    assert [entry["kind"] for entry in document["accessLog"]] == ["VIEW"]
    assert len(document["conversations"]) == 1 and document["messages"] == [] and document["offers"] == []
    assert (await gql.post(EXPORT)).codes == ["UNAUTHENTICATED"]
    assert fan  # a bystander's data is not in it
    assert all(t["user_id"] == candidate.user_pk for t in document["tokens"])


async def test_delete_my_account_erases_and_revokes(gql: GraphQLClient, app) -> None:
    # given: a candidate with a profile, an endorsement given, a conversation, two tokens
    candidate = await make_profile(gql, full=True)
    from tests.factories.accounts import PASSWORD

    second_token = (await gql.mutate(
        "mutation($input: LogInInput!) { logIn(input: $input) { token userErrors { code } } }",
        {"email": candidate.actor.email, "password": PASSWORD},
    ))["token"]
    other = await make_profile(gql, skills=("Go",))
    await gql.mutate(ENDORSE, {"skillId": other.skill_ids[0]}, token=candidate.token)
    employer = await make_employer(gql)
    conversation = await accept_contact(candidate, employer)
    from subscriptions.accounts import auth_channel

    async with app.state.broker.subscribe(auth_channel(candidate.user_pk)) as subscription:
        # when
        refused = await gql.mutate(DELETE, {"confirm": False}, token=candidate.token, ok=False)
        assert [e["code"] for e in refused["userErrors"]] == ["REQUIRED"]
        payload = await gql.mutate(DELETE, {"confirm": True}, token=candidate.token)
        announced = await asyncio.wait_for(subscription.get(), 5)
    # then
    token_ids = await AuthToken.filter(user_id=candidate.user_pk).values_list("id", flat=True)
    assert announced["type"] == "tokens_revoked" and sorted(announced["tokenIds"]) == sorted(token_ids)
    assert payload["deleted"] is True
    user = await User.get(id=candidate.user_pk)
    assert user.display_name == "Deleted user" and user.deleted_at is not None and user.password_hash == ""
    assert user.email.endswith("@deleted.invalid") and candidate.actor.email not in user.email
    assert await Profile.filter(user_id=user.pk).count() == 0
    assert await Skill.filter(profile_id=candidate.profile_pk).count() == 0
    assert await Endorsement.filter(endorser_id=user.pk).count() == 0
    assert await AuthToken.filter(user_id=user.pk, revoked_at=None).count() == 0
    assert await Conversation.filter(id=conversation.pk).exists()
    for token in (candidate.token, second_token):
        assert (await gql.post(VIEWER, token=token)).codes == ["UNAUTHENTICATED"]
    assert (await gql.execute(BY_HANDLE, {"h": candidate.handle}))["profile"] is None
    assert await AccessLogEntry.all().count() == 0
