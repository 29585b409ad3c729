"""Interview rules through the API: proposing, picking, double booking, expiry, reads,
company scoping, feedback privacy, data rights."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from models.chat import Message, MessageKind
from models.interviews import Interview, InterviewAssignment, InterviewFeedback, InterviewStatus
from tests.factories.accounts import make_candidate, make_employer
from tests.factories.chat import start_chat
from tests.factories.interviews import (
    CANCEL,
    FEEDBACK,
    INTERVIEW,
    PICK,
    PROPOSE,
    RESCHEDULE,
    future_slots,
    make_interview_scene,
    pk,
    propose_input,
)
from tests.graphql import GraphQLClient

INTERVIEWS = "query($status: InterviewStatus) { interviews(status: $status) { totalCount edges { node { id status } } } }"
NODE = "query($id: ID!) { node(id: $id) { __typename id } }"
EXPORT = "{ exportMyData }"
DELETE = "mutation($input: DeleteMyAccountInput!) { deleteMyAccount(input: $input) { userErrors { code } } }"


def codes(payload: dict[str, Any]) -> list[tuple[str, list[str] | None]]:
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


async def colleague_of(gql: GraphQLClient, employer: Any) -> Any:
    return await make_employer(gql, invitation_code=employer.invitation_code)


async def started_interview(scene: Any) -> None:
    """Move a scheduled interview's start into the past (feedback is given afterwards)."""
    past = datetime.now(timezone.utc) - timedelta(hours=2)
    await Interview.filter(id=pk(scene.interview_id)).update(starts_at=past, ends_at=past + timedelta(minutes=45))


# --- proposeInterview ----------------------------------------------------------------

async def test_a_proposal_is_checked_field_by_field(gql: GraphQLClient) -> None:
    # given
    employer, stranger = await make_employer(gql), await make_employer(gql)
    chat = await start_chat(gql, employer, accept=True)
    past = (datetime.now(timezone.utc) - timedelta(hours=1)).isoformat()
    # when
    payload = await gql.mutate(PROPOSE, propose_input(
        chat.conversation_id, [stranger.id], slots=[past, "2031-01-01T10:00:00"], durationMinutes=5, kind="ONSITE", url=None,
        roleId=chat.conversation_id,
    ), token=employer.token, ok=False)
    # then: every problem at once, nothing stored
    assert sorted(codes(payload)) == sorted([
        ("INVALID", ["input", "slots"]), ("INVALID", ["input", "slots"]),
        ("OUT_OF_RANGE", ["input", "durationMinutes"]), ("REQUIRED", ["input", "location"]),
        ("NOT_FOUND", ["input", "interviewerIds"]), ("NOT_FOUND", ["input", "roleId"]),
    ])
    assert await Interview.all().count() == 0


async def test_only_a_company_in_an_accepted_conversation_proposes(gql: GraphQLClient) -> None:
    # given
    employer, other = await make_employer(gql), await make_employer(gql)
    requested = await start_chat(gql, employer)
    accepted = await start_chat(gql, employer, accept=True)
    # when
    not_yet = await gql.mutate(PROPOSE, propose_input(requested.conversation_id, [employer.id]), token=employer.token, ok=False)
    foreign = await gql.mutate(PROPOSE, propose_input(accepted.conversation_id, [other.id]), token=other.token, ok=False)
    # then
    assert codes(not_yet) == [("CONVERSATION_NOT_ACCEPTED", ["input", "conversationId"])]
    assert codes(foreign) == [("NOT_FOUND", ["input", "conversationId"])]
    result = await gql.post(PROPOSE, {"input": propose_input(accepted.conversation_id, [employer.id])}, token=accepted.candidate.token)
    assert result.codes == ["FORBIDDEN"]


async def test_colleagues_are_interviewers_and_the_proposal_posts_a_system_message(gql: GraphQLClient) -> None:
    # given
    employer = await make_employer(gql)
    colleague = await colleague_of(gql, employer)
    # when: the interview is for one of the company's roles
    from tests.factories.hiring import create_role

    role = await create_role(gql, employer, title="Platform engineer")
    scene = await make_interview_scene(gql, employer, interviewers=[colleague.id, employer.id, colleague.id], roleId=role["id"])
    # then
    assert (await Interview.get(id=pk(scene.interview_id))).role_id == pk(role["id"])
    assert [i["id"] for i in scene.interview["interviewers"]] == [colleague.id, employer.id]
    assert scene.interview["viewerSide"] == "COMPANY"
    bodies = await Message.filter(
        conversation_id=pk(scene.conversation_id), kind=MessageKind.SYSTEM, body__startswith="Interview"
    ).values_list("body", flat=True)
    assert bodies == ["Interview proposed (video, 45 minutes): pick one of 3 slots."]
    seen = await gql.execute(INTERVIEW, {"id": scene.interview_id}, token=scene.candidate.token)
    assert seen["interview"]["viewerSide"] == "CANDIDATE" and seen["interview"]["timeZone"] == "UTC"


# --- pickInterviewSlot ---------------------------------------------------------------

async def test_the_candidate_picks_only_a_proposed_slot(gql: GraphQLClient) -> None:
    # given
    scene = await make_interview_scene(gql)
    other_time = future_slots(1, days=20)[0]
    # when
    wrong = await gql.mutate(PICK, {"interviewId": scene.interview_id, "slot": other_time}, token=scene.candidate.token, ok=False)
    employer = await gql.post(PICK, {"input": {"interviewId": scene.interview_id, "slot": scene.interview["slots"][0]}}, token=scene.employer.token)
    # then
    assert codes(wrong) == [("SLOT_NOT_OFFERED", ["input", "slot"])]
    assert employer.codes == ["FORBIDDEN"]
    assert (await Interview.get(id=pk(scene.interview_id))).status == InterviewStatus.PROPOSED


async def test_an_interviewer_is_never_booked_twice(gql: GraphQLClient) -> None:
    # given: one interviewer in two interviews that share a slot, and one an hour later
    employer = await make_employer(gql)
    slots = future_slots(2, days=4)
    overlapping = (datetime.fromisoformat(slots[0]) + timedelta(minutes=30)).isoformat()
    first = await make_interview_scene(gql, employer, slots=slots)
    second = await make_interview_scene(gql, employer, slots=[overlapping, slots[1]])
    # when
    await gql.mutate(PICK, {"interviewId": first.interview_id, "slot": slots[0]}, token=first.candidate.token)
    clash = await gql.mutate(PICK, {"interviewId": second.interview_id, "slot": overlapping}, token=second.candidate.token, ok=False)
    fine = await gql.mutate(PICK, {"interviewId": second.interview_id, "slot": slots[1]}, token=second.candidate.token)
    # then
    assert codes(clash) == [("INTERVIEWER_UNAVAILABLE", ["input", "slot"])]
    assert fine["interview"]["status"] == "SCHEDULED"
    # and: cancelling frees the interviewer's time
    await gql.mutate(CANCEL, {"interviewId": first.interview_id}, token=employer.token)
    await gql.mutate(RESCHEDULE, {"interviewId": second.interview_id, "slots": [overlapping]}, token=employer.token)
    again = await gql.mutate(PICK, {"interviewId": second.interview_id, "slot": overlapping}, token=second.candidate.token)
    assert again["interview"]["status"] == "SCHEDULED"
    booked = await InterviewAssignment.filter(interview_id=pk(first.interview_id)).values_list("starts_at", flat=True)
    assert booked == [None]


# --- expiry --------------------------------------------------------------------------

async def test_an_unpicked_proposal_expires_when_read(gql: GraphQLClient) -> None:
    # given: a proposal past its deadline
    scene = await make_interview_scene(gql)
    await Interview.filter(id=pk(scene.interview_id)).update(expires_at=datetime.now(timezone.utc) - timedelta(minutes=1))
    # when
    listed = await gql.execute(INTERVIEWS, {"status": "PROPOSED"}, token=scene.employer.token)
    read = await gql.execute(INTERVIEW, {"id": scene.interview_id}, token=scene.candidate.token)
    pick = await gql.mutate(PICK, {"interviewId": scene.interview_id, "slot": scene.interview["slots"][0]}, token=scene.candidate.token, ok=False)
    # then
    assert listed["interviews"]["totalCount"] == 0
    assert read["interview"]["status"] == "EXPIRED"
    assert codes(pick) == [("INTERVIEW_EXPIRED", ["input", "interviewId"])]
    notices = await Message.filter(body__startswith="Interview proposal expired").count()
    assert notices == 1


async def test_the_expiry_is_a_setting(gql: GraphQLClient, settings: Any) -> None:
    # given / when
    scene = await make_interview_scene(gql)
    # then
    expires = datetime.fromisoformat(scene.interview["expiresAt"])
    expected = datetime.now(timezone.utc) + timedelta(days=settings.interview_proposal_ttl_days)
    assert abs((expires - expected).total_seconds()) < 60


# --- company scope -------------------------------------------------------------------

async def test_another_company_reads_nothing(gql: GraphQLClient) -> None:
    # given
    scene = await make_interview_scene(gql)
    other, candidate = await make_employer(gql), await make_candidate(gql)
    # when / then
    for token in (other.token, candidate.token, None):
        assert (await gql.execute(INTERVIEW, {"id": scene.interview_id}, token=token))["interview"] is None
        assert (await gql.execute(NODE, {"id": scene.interview_id}, token=token))["node"] is None
    for token in (other.token, candidate.token):
        assert (await gql.execute(INTERVIEWS, token=token))["interviews"]["totalCount"] == 0
        cancel = await gql.mutate(CANCEL, {"interviewId": scene.interview_id}, token=token, ok=False)
        assert codes(cancel) == [("NOT_FOUND", ["input", "interviewId"])]
    assert (await gql.execute(NODE, {"id": scene.interview_id}, token=scene.candidate.token))["node"]["__typename"] == "Interview"


# --- feedback ------------------------------------------------------------------------

async def test_feedback_is_the_companys_and_never_reaches_the_candidate(gql: GraphQLClient) -> None:
    # given: a held interview with two interviewers
    employer = await make_employer(gql)
    colleague, bystander = await colleague_of(gql, employer), await colleague_of(gql, employer)
    scene = await make_interview_scene(gql, employer, interviewers=[employer.id, colleague.id])
    early = await gql.mutate(FEEDBACK, {"interviewId": scene.interview_id, "rating": 3, "recommendation": "YES"}, token=employer.token, ok=False)
    await gql.mutate(PICK, {"interviewId": scene.interview_id, "slot": scene.interview["slots"][0]}, token=scene.candidate.token)
    not_started = await gql.mutate(FEEDBACK, {"interviewId": scene.interview_id, "rating": 3, "recommendation": "YES"}, token=employer.token, ok=False)
    await started_interview(scene)
    # when
    await gql.mutate(FEEDBACK, {"interviewId": scene.interview_id, "rating": 2, "recommendation": "NO", "notes": "first take"}, token=employer.token)
    mine = await gql.mutate(FEEDBACK, {"interviewId": scene.interview_id, "rating": 4, "recommendation": "STRONG_YES", "notes": "Sharp on SQL"}, token=employer.token)
    await gql.mutate(FEEDBACK, {"interviewId": scene.interview_id, "rating": 3, "recommendation": "YES"}, token=colleague.token)
    outsider = await gql.mutate(FEEDBACK, {"interviewId": scene.interview_id, "rating": 1, "recommendation": "NO"}, token=bystander.token, ok=False)
    range_ = await gql.mutate(FEEDBACK, {"interviewId": scene.interview_id, "rating": 5, "recommendation": "NO"}, token=colleague.token, ok=False)
    candidate = await gql.post(FEEDBACK, {"input": {"interviewId": scene.interview_id, "rating": 4, "recommendation": "YES"}}, token=scene.candidate.token)
    # then
    assert codes(early) == [("INTERVIEW_NOT_OPEN", ["input", "interviewId"])]
    assert codes(not_started) == [("INTERVIEW_NOT_STARTED", ["input", "interviewId"])]
    assert mine["feedback"] == {"rating": 4, "recommendation": "STRONG_YES", "notes": "Sharp on SQL", "author": {"id": employer.id}}
    assert codes(outsider) == [("NOT_AN_INTERVIEWER", ["input", "interviewId"])]
    assert codes(range_) == [("OUT_OF_RANGE", ["input", "rating"])]
    assert candidate.codes == ["FORBIDDEN"]
    assert await InterviewFeedback.filter(interview_id=pk(scene.interview_id)).count() == 2
    company_view = await gql.execute(INTERVIEW, {"id": scene.interview_id}, token=bystander.token)
    assert sorted(f["rating"] for f in company_view["interview"]["feedback"]) == [3, 4]
    candidate_view = await gql.execute(INTERVIEW, {"id": scene.interview_id}, token=scene.candidate.token)
    assert candidate_view["interview"]["feedback"] is None
    export = (await gql.execute(EXPORT, token=scene.candidate.token))["exportMyData"]
    assert "Sharp on SQL" not in str(export) and [i["id"] for i in export["interviews"]] == [pk(scene.interview_id)]
    bodies = await Message.filter(conversation_id=pk(scene.conversation_id)).values_list("body", flat=True)
    assert not any("Sharp" in body or "feedback" in body.lower() for body in bodies)


# --- deleteMyAccount -----------------------------------------------------------------

async def test_deleting_the_candidate_cancels_her_interviews_and_erases_feedback(gql: GraphQLClient) -> None:
    # given: one held interview with feedback, one scheduled in the future
    employer = await make_employer(gql)
    held = await make_interview_scene(gql, employer)
    await gql.mutate(PICK, {"interviewId": held.interview_id, "slot": held.interview["slots"][0]}, token=held.candidate.token)
    await started_interview(held)
    await gql.mutate(FEEDBACK, {"interviewId": held.interview_id, "rating": 4, "recommendation": "YES", "notes": "About her"}, token=employer.token)
    upcoming = (await gql.mutate(PROPOSE, propose_input(held.conversation_id, [employer.id], slots=future_slots(1, days=30)), token=employer.token))["interview"]
    await gql.mutate(PICK, {"interviewId": upcoming["id"], "slot": upcoming["slots"][0]}, token=held.candidate.token)
    # when
    await gql.mutate(DELETE, {"confirm": True}, token=held.candidate.token)
    # then
    rows = {row.pk: row for row in await Interview.filter(candidate_id=pk(held.candidate.id))}
    assert {row.status for row in rows.values()} == {InterviewStatus.CANCELLED}
    assert await InterviewFeedback.all().count() == 0
    assert await InterviewAssignment.exclude(starts_at=None).count() == 0
    assert await Message.filter(body="Interview cancelled: the candidate deleted their account.").count() == 2


async def test_an_interview_is_for_one_of_the_company_s_own_roles(gql: GraphQLClient) -> None:
    # given: an employer in an accepted conversation, and a role of another company
    from tests.factories.chat import start_chat
    from tests.factories.hiring import create_role
    from tests.factories.interviews import PROPOSE, propose_input

    employer = await make_employer(gql)
    chat = await start_chat(gql, employer, accept=True)
    own_role = await create_role(gql, employer, title="Platform engineer")
    other_role = await create_role(gql, await make_employer(gql), title="Someone else's role")
    # when: proposing for the other company's role, then for their own
    refused = await gql.mutate(
        PROPOSE, propose_input(chat.conversation_id, [employer.id], roleId=other_role["id"]), token=employer.token, ok=False
    )
    accepted = await gql.mutate(
        PROPOSE, propose_input(chat.conversation_id, [employer.id], roleId=own_role["id"]), token=employer.token
    )
    # then: another company's role reads as not found; their own is taken
    assert refused["interview"] is None
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("NOT_FOUND", ["input", "roleId"])]
    assert accepted["userErrors"] == [] and accepted["interview"]["status"] == "PROPOSED"
