"""Races: truly concurrent HTTP requests. Exactly one pick of an interview wins, and two
interviews sharing an interviewer never both book overlapping slots.

Runs on SQLite and, with TEST_POSTGRES_URL, on PostgreSQL (the ``backend`` fixture).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from models.chat import Message
from models.interviews import Interview, InterviewAssignment, InterviewStatus
from tests.factories.accounts import make_employer
from tests.factories.interviews import PICK, RESCHEDULE, future_slots, make_interview_scene, pk
from tests.graphql import GraphQLClient

ROUNDS = 3


def outcome(result) -> str:  # type: ignore[no-untyped-def]
    assert result.errors == [], result.errors
    payload = next(iter(result.data.values()))
    return payload["userErrors"][0]["code"] if payload["userErrors"] else "WON"


@pytest.mark.parametrize("round_", range(ROUNDS))
async def test_concurrent_picks_of_one_interview_leave_exactly_one_winner(gql: GraphQLClient, round_: int) -> None:
    # given
    scene = await make_interview_scene(gql)
    slots = scene.interview["slots"]
    # when: the candidate picks three different slots at once (two tabs, a retry)
    results = await asyncio.gather(*(
        gql.post(PICK, {"input": {"interviewId": scene.interview_id, "slot": slot}}, token=scene.candidate.token)
        for slot in slots
    ))
    # then
    assert sorted(outcome(r) for r in results) == ["INTERVIEW_NOT_OPEN", "INTERVIEW_NOT_OPEN", "WON"]
    row = await Interview.get(id=pk(scene.interview_id))
    winner = next(r for r in results if outcome(r) == "WON").data["pickInterviewSlot"]["interview"]
    assert row.status == InterviewStatus.SCHEDULED and row.starts_at == datetime.fromisoformat(winner["startsAt"])
    assert await Message.filter(body__startswith="Interview scheduled").count() == 1


async def test_a_pick_racing_a_reschedule_leaves_one_consistent_state(gql: GraphQLClient) -> None:
    # given
    scene = await make_interview_scene(gql)
    # when
    picked, rescheduled = await asyncio.gather(
        gql.post(PICK, {"input": {"interviewId": scene.interview_id, "slot": scene.interview["slots"][0], "versionNumber": 1}},
                 token=scene.candidate.token),
        gql.post(RESCHEDULE, {"input": {"interviewId": scene.interview_id, "slots": future_slots(1, days=12), "versionNumber": 1}},
                 token=scene.employer.token),
    )
    # then: both may succeed only in the order pick → reschedule; never a booked PROPOSED interview
    row = await Interview.get(id=pk(scene.interview_id))
    booked = await InterviewAssignment.filter(interview_id=row.pk).exclude(starts_at=None).count()
    if outcome(rescheduled) == "WON" and row.version == 2:
        assert row.status == InterviewStatus.PROPOSED and row.starts_at is None and booked == 0
        assert outcome(picked) in {"WON", "INTERVIEW_CHANGED"}
    else:
        assert outcome(picked) == "WON" and row.status == InterviewStatus.SCHEDULED and booked == 1


@pytest.mark.parametrize("round_", range(ROUNDS))
async def test_concurrent_picks_that_share_an_interviewer_never_double_book(gql: GraphQLClient, round_: int) -> None:
    # given: four interviews by four candidates, one interviewer, overlapping slots
    employer = await make_employer(gql)
    start = datetime.fromisoformat(future_slots(1, days=6)[0])
    starts = [start + timedelta(minutes=10 * i) for i in range(4)]  # 45-minute interviews: each pair overlaps
    scenes = [await make_interview_scene(gql, employer, slots=[s.isoformat()]) for s in starts]
    # when: every candidate picks at once
    results = await asyncio.gather(*(
        gql.post(PICK, {"input": {"interviewId": scene.interview_id, "slot": s.isoformat()}}, token=scene.candidate.token)
        for scene, s in zip(scenes, starts, strict=True)
    ))
    # then: exactly one booking; the others were told the interviewer is busy
    assert sorted(outcome(r) for r in results) == ["INTERVIEWER_UNAVAILABLE"] * 3 + ["WON"]
    scheduled = await Interview.filter(status=InterviewStatus.SCHEDULED).count()
    booked = await InterviewAssignment.exclude(starts_at=None).count()
    assert scheduled == 1 and booked == 1
