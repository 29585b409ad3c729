"""``interviewUpdated`` over graphql-transport-ws and legacy graphql-ws: both parties hear
every change, feedback only the company, nobody else anything; access is re-checked per
event."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from models.interviews import Interview
from models.profiles import Block, Profile
from tests.factories.accounts import make_employer
from tests.factories.chat import start_chat
from tests.factories.interviews import CANCEL, FEEDBACK, PICK, PROPOSE, RESCHEDULE, future_slots, pk, propose_input
from tests.graphql import LEGACY_WS, TRANSPORT_WS, GraphQLClient, WebSocketClient, subscribed

INTERVIEW_UPDATED = """
subscription {
  interviewUpdated { change interview { id status versionNumber viewerSide feedback { rating } } }
}
"""
PROTOCOLS = [TRANSPORT_WS, LEGACY_WS]


async def next_update(ws: WebSocketClient, op: str) -> dict:
    payload = await ws.next(op)
    assert "errors" not in payload, payload
    return payload["data"]["interviewUpdated"]


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_both_parties_hear_every_change_and_only_the_company_hears_feedback(
    gql: GraphQLClient, app: object, protocol: str
) -> None:
    # given
    employer, stranger = await make_employer(gql), await make_employer(gql)
    chat = await start_chat(gql, employer, accept=True)
    candidate = chat.candidate
    async with (
        gql.websocket(token=candidate.token, protocol=protocol) as candidate_ws,
        gql.websocket(token=employer.token, protocol=protocol) as employer_ws,
        gql.websocket(token=stranger.token, protocol=protocol) as stranger_ws,
    ):
        candidate_op = await subscribed(app, candidate_ws, INTERVIEW_UPDATED, live=1)
        employer_op = await subscribed(app, employer_ws, INTERVIEW_UPDATED, live=2)
        await subscribed(app, stranger_ws, INTERVIEW_UPDATED, live=3)
        both = ((candidate_ws, candidate_op, "CANDIDATE"), (employer_ws, employer_op, "COMPANY"))
        # when: proposed, picked, rescheduled, picked
        interview = (await gql.mutate(PROPOSE, propose_input(chat.conversation_id, [employer.id]), token=employer.token))["interview"]
        for ws, op, side in both:
            update = await next_update(ws, op)
            assert (update["change"], update["interview"]["status"], update["interview"]["viewerSide"]) == ("PROPOSED", "PROPOSED", side)
        await gql.mutate(PICK, {"interviewId": interview["id"], "slot": interview["slots"][0]}, token=candidate.token)
        for ws, op, _ in both:
            assert (await next_update(ws, op))["change"] == "SCHEDULED"
        new_slot = future_slots(1, days=15)[0]
        await gql.mutate(RESCHEDULE, {"interviewId": interview["id"], "slots": [new_slot]}, token=employer.token)
        for ws, op, _ in both:
            update = await next_update(ws, op)
            assert (update["change"], update["interview"]["versionNumber"]) == ("RESCHEDULED", 2)
        await gql.mutate(PICK, {"interviewId": interview["id"], "slot": new_slot}, token=candidate.token)
        for ws, op, _ in both:
            assert (await next_update(ws, op))["change"] == "SCHEDULED"
        # when: the interview is held and the interviewer gives feedback
        past = datetime.now(timezone.utc) - timedelta(hours=1)
        await Interview.filter(id=pk(interview["id"])).update(starts_at=past, ends_at=past + timedelta(minutes=45))
        await gql.mutate(FEEDBACK, {"interviewId": interview["id"], "rating": 4, "recommendation": "YES"}, token=employer.token)
        # then: the company hears it with the feedback; the candidate hears nothing
        update = await next_update(employer_ws, employer_op)
        assert update["change"] == "FEEDBACK_SUBMITTED" and update["interview"]["feedback"] == [{"rating": 4}]
        await candidate_ws.expect_silence()
        await gql.mutate(CANCEL, {"interviewId": interview["id"]}, token=candidate.token)
        update = await next_update(candidate_ws, candidate_op)
        assert update["change"] == "CANCELLED" and update["interview"]["feedback"] is None
        assert (await next_update(employer_ws, employer_op))["change"] == "CANCELLED"
        await stranger_ws.expect_silence()


async def test_a_company_the_candidate_blocks_hears_nothing_more(gql: GraphQLClient, app: object) -> None:
    # given
    employer = await make_employer(gql)
    chat = await start_chat(gql, employer, accept=True)
    interview = (await gql.mutate(PROPOSE, propose_input(chat.conversation_id, [employer.id]), token=employer.token))["interview"]
    async with gql.websocket(token=employer.token) as ws:
        await subscribed(app, ws, INTERVIEW_UPDATED, live=1)
        # when: she blocks the company, then cancels
        profile = await Profile.get(user_id=pk(chat.candidate.id))
        await Block.create(profile=profile, company_id=pk(employer.company_id or ""))
        await gql.mutate(CANCEL, {"interviewId": interview["id"]}, token=chat.candidate.token)
        # then: the event is re-checked and dropped
        await ws.expect_silence()


async def test_interview_updated_needs_a_signed_in_viewer(gql: GraphQLClient) -> None:
    async with gql.websocket() as ws:
        op = await ws.subscribe(INTERVIEW_UPDATED)
        message = await ws.receive()
        assert message["id"] == op
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
