"""The "Done when" story of issue 15, through the API from bare sign-ups: a role is
created; two colleagues source three candidates from search into it; contact, reply,
a picked interview slot, offer and accept move the entries by themselves; a
colleague's ``pipelineUpdated`` subscription sees every move; the role becomes FILLED;
the other two candidates end WITHDRAWN and REJECTED with reasons."""

from __future__ import annotations

from typing import Any

from models.hiring import PipelineEntry, PipelineMove
from tests.factories.accounts import Actor, make_candidate, make_employer
from tests.factories.hiring import MOVE, PIPELINE_UPDATED, ROLE, add_to_pipeline, create_role, pipeline
from tests.factories.interviews import PICK, PROPOSE, future_slots
from tests.factories.offers import ACCEPT_OFFER, EXTEND_OFFER, pk
from tests.graphql import GraphQLClient, WebSocketClient, subscribed

UPDATE_PROFILE = """
mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { profile { id } userErrors { code message } } }
"""
SEARCH = "query($q: String) { searchCandidates(query: $q) { edges { node { profileId } } } }"
START = """
mutation($input: StartConversationInput!) {
  startConversation(input: $input) { conversation { id roleTitle salaryRange { min max currency } } userErrors { code field message } }
}
"""
RESPOND = """
mutation($input: RespondToContactInput!) { respondToContact(input: $input) { conversation { id status } userErrors { code message } } }
"""


async def looking_candidate(gql: GraphQLClient, headline: str) -> tuple[Actor, str]:
    candidate = await make_candidate(gql)
    profile = await gql.mutate(
        UPDATE_PROFILE, {"visibility": "EMPLOYERS", "headline": headline, "openToWork": "ACTIVELY_LOOKING"}, token=candidate.token
    )
    return candidate, profile["profile"]["id"]


async def moves_seen(ws: WebSocketClient, op: str, count: int) -> list[tuple[str, str, str]]:
    seen = []
    for _ in range(count):
        payload = await ws.next(op)
        assert "errors" not in payload, payload
        update = payload["data"]["pipelineUpdated"]
        seen.append((update["change"], update["entry"]["id"], update["entry"]["stage"]))
    return seen


async def test_the_pipeline_moves_by_itself_from_sourcing_to_the_hire(gql: GraphQLClient, app: Any) -> None:
    # given: a company with two colleagues and three looking candidates, all bare sign-ups
    lead = await make_employer(gql, company_name="Quarry")
    colleague = await make_employer(gql, invitation_code=lead.invitation_code)
    (ada, ada_profile), (bo, bo_profile), (cy, cy_profile) = [
        await looking_candidate(gql, f"Data engineer {name}") for name in ("one", "two", "three")
    ]
    role = await create_role(gql, lead, title="Staff data engineer", teamIds=[colleague.id])
    assert role["status"] == "OPEN" and {m["id"] for m in role["team"]} == {lead.id, colleague.id}
    async with gql.websocket(token=colleague.token) as ws:
        op = await subscribed(app, ws, PIPELINE_UPDATED, {"roleId": role["id"]})
        # when: both colleagues source from search
        found = {e["node"]["profileId"] for e in (await gql.execute(SEARCH, {"q": "data engineer"}, token=lead.token))["searchCandidates"]["edges"]}
        assert {ada_profile, bo_profile, cy_profile} <= found
        entries = {
            "ada": await add_to_pipeline(gql, lead, role["id"], ada_profile),
            "bo": await add_to_pipeline(gql, lead, role["id"], bo_profile),
            "cy": await add_to_pipeline(gql, colleague, role["id"], cy_profile),
        }
        assert {e["stage"] for e in entries.values()} == {"SOURCED"}
        ids = {name: e["id"] for name, e in entries.items()}
        # the lead contacts all three for the role: its title and range prefill the request
        conversations = {}
        for name, candidate in (("ada", ada), ("bo", bo), ("cy", cy)):
            started = await gql.mutate(START, {"candidateId": candidate.id, "roleId": role["id"], "message": "Hello!"}, token=lead.token)
            assert started["conversation"]["roleTitle"] == "Staff data engineer"
            assert started["conversation"]["salaryRange"]["max"] == 80000
            conversations[name] = started["conversation"]["id"]
        await gql.mutate(RESPOND, {"conversationId": conversations["ada"], "accept": True}, token=ada.token)
        await gql.mutate(RESPOND, {"conversationId": conversations["bo"], "accept": False}, token=bo.token)
        # the colleague interviews Ada for the role; her pick schedules it
        slots = future_slots(2)
        proposed = (await gql.mutate(PROPOSE, {
            "conversationId": conversations["ada"], "roleId": role["id"], "slots": slots, "durationMinutes": 45,
            "kind": "VIDEO", "url": "https://meet.example.org/ada", "interviewerIds": [colleague.id],
        }, token=colleague.token))["interview"]
        picked = (await gql.mutate(PICK, {"interviewId": proposed["id"], "slot": slots[0], "versionNumber": 1}, token=ada.token))["interview"]
        assert picked["status"] == "SCHEDULED"
        offer = (await gql.mutate(EXTEND_OFFER, {
            "conversationId": conversations["ada"], "roleId": role["id"],
            "terms": {"title": "", "salary": {"amount": 78000, "currency": "EUR", "period": "YEAR"}},
        }, token=lead.token))["offer"]
        assert offer["currentVersion"]["title"] == "Staff data engineer"
        await gql.mutate(ACCEPT_OFFER, {"offerId": offer["id"], "versionNumber": 1}, token=ada.token)
        cy_entry = next(e["node"] for e in (await pipeline(gql, colleague, role["id"]))["edges"] if e["node"]["id"] == ids["cy"])
        await gql.mutate(MOVE, {"entryId": ids["cy"], "version": cy_entry["version"], "stage": "REJECTED",
                                "reason": "Role filled by another candidate."}, token=colleague.token)
        # then: the colleague saw every addition and every move, in order
        seen = await moves_seen(ws, op, 3 + 3 + 1 + 1 + 1 + 1 + 1 + 1)
    assert seen == [
        ("ADDED", ids["ada"], "SOURCED"), ("ADDED", ids["bo"], "SOURCED"), ("ADDED", ids["cy"], "SOURCED"),
        ("MOVED", ids["ada"], "CONTACTED"), ("MOVED", ids["bo"], "CONTACTED"), ("MOVED", ids["cy"], "CONTACTED"),
        ("MOVED", ids["ada"], "REPLIED"), ("MOVED", ids["bo"], "WITHDRAWN"), ("MOVED", ids["ada"], "INTERVIEWING"),
        ("MOVED", ids["ada"], "OFFER"),
        ("MOVED", ids["ada"], "HIRED"), ("MOVED", ids["cy"], "REJECTED"),
    ]
    # and: the role is FILLED, the others closed with reasons, every move in the history
    filled = (await gql.execute(ROLE, {"id": role["id"]}, token=colleague.token))["role"]
    assert (filled["status"], filled["filledCount"]) == ("FILLED", 1)
    assert sorted((c["stage"], c["count"]) for c in filled["stageCounts"]) == [("HIRED", 1), ("REJECTED", 1), ("WITHDRAWN", 1)]
    final = {e["node"]["id"]: e["node"] for e in (await pipeline(gql, lead, role["id"]))["edges"]}
    assert final[ids["bo"]]["stageReason"] == "The candidate declined."
    assert final[ids["cy"]]["stageReason"] == "Role filled by another candidate."
    assert [(h["fromStage"], h["toStage"], h["trigger"]) for h in final[ids["ada"]]["history"]] == [
        (None, "SOURCED", None), ("SOURCED", "CONTACTED", "CONTACT_SENT"), ("CONTACTED", "REPLIED", "CONTACT_ACCEPTED"),
        ("REPLIED", "INTERVIEWING", "INTERVIEW_SCHEDULED"), ("INTERVIEWING", "OFFER", "OFFER_EXTENDED"),
        ("OFFER", "HIRED", "OFFER_ACCEPTED"),
    ]
    assert await PipelineMove.filter(entry_id=pk(ids["ada"])).count() == 6
    assert (await PipelineEntry.get(id=pk(ids["ada"]))).stage == "HIRED"
    conversions = {(c["fromStage"], c["toStage"]): c["rate"] for c in filled["numbers"]["conversions"]}
    assert conversions[("SOURCED", "CONTACTED")] == 1.0
    assert conversions[("CONTACTED", "REPLIED")] == 1 / 3
    assert filled["numbers"]["replies"] == 1 and filled["numbers"]["medianHoursToFirstReply"] >= 0
