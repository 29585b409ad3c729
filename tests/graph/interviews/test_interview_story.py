"""The newcomer's path: from two bare sign-ups to a scheduled, rescheduled and cancelled
interview, with the calendar event read back by the ``icalendar`` library."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from tests.factories.accounts import make_candidate, make_employer
from tests.factories.interviews import CANCEL, PICK, PROPOSE, RESCHEDULE, future_slots
from tests.graphql import GraphQLClient

UPDATE_PROFILE = """
mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { profile { id timeZone } userErrors { code field } } }
"""
START = """
mutation($input: StartConversationInput!) { startConversation(input: $input) { conversation { id } userErrors { code } } }
"""
RESPOND = "mutation($input: RespondToContactInput!) { respondToContact(input: $input) { userErrors { code } } }"
MESSAGES = "query($id: ID!) { conversation(id: $id) { messages(last: 50) { edges { node { body kind } } } } }"


def parse_ics(text: str) -> tuple[Calendar, object]:
    calendar = Calendar.from_ical(text)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


async def test_a_new_employer_and_candidate_schedule_reschedule_and_cancel_an_interview(gql: GraphQLClient) -> None:
    # given: two bare sign-ups; the candidate makes herself findable and sets her time zone
    ada = await make_candidate(gql, name="Ada")
    grace = await make_employer(gql, name="Grace", company_name="Acme")
    profile = await gql.mutate(
        UPDATE_PROFILE, {"visibility": "EMPLOYERS", "openToWork": "OPEN", "timeZone": "Europe/Berlin"}, token=ada.token
    )
    assert profile["profile"]["timeZone"] == "Europe/Berlin"
    started = await gql.mutate(START, {
        "candidateId": ada.id, "roleTitle": "Backend engineer",
        "salaryRange": {"min": 70000, "max": 90000, "currency": "EUR", "period": "YEAR"}, "message": "Hello Ada",
    }, token=grace.token)
    conversation_id = started["conversation"]["id"]
    await gql.mutate(RESPOND, {"conversationId": conversation_id, "accept": True}, token=ada.token)
    # when: the employer proposes three slots with herself as interviewer
    slots = future_slots(3, days=5, hour=8)
    proposed = (await gql.mutate(PROPOSE, {
        "conversationId": conversation_id, "slots": slots, "durationMinutes": 60, "kind": "VIDEO",
        "url": "https://meet.example.org/ada", "interviewerIds": [grace.id],
    }, token=grace.token))["interview"]
    # then
    assert proposed["status"] == "PROPOSED" and proposed["versionNumber"] == 1
    assert [datetime.fromisoformat(s) for s in proposed["slots"]] == [datetime.fromisoformat(s) for s in slots]
    assert proposed["startsAt"] is None and proposed["ics"] is None
    assert proposed["timeZone"] == "Europe/Berlin"
    assert proposed["interviewers"] == [{"id": grace.id, "displayName": "Grace"}]
    # when: the candidate picks the second slot, naming it in her own time zone
    berlin = ZoneInfo("Europe/Berlin")
    chosen = datetime.fromisoformat(slots[1])
    picked = (await gql.mutate(PICK, {
        "interviewId": proposed["id"], "slot": chosen.astimezone(berlin).isoformat(), "versionNumber": 1,
    }, token=ada.token))["interview"]
    # then: stored in UTC, shown in Berlin time, and a calendar event any client reads
    assert picked["status"] == "SCHEDULED"
    assert datetime.fromisoformat(picked["startsAt"]) == chosen
    assert datetime.fromisoformat(picked["endsAt"]) == chosen + timedelta(minutes=60)
    local = datetime.fromisoformat(picked["startsAtLocal"])
    assert local == chosen and local.utcoffset() == chosen.astimezone(berlin).utcoffset()
    calendar, event = parse_ics(picked["ics"])
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    start = event.decoded("DTSTART")
    assert start == chosen and str(start.tzinfo) == "Europe/Berlin"
    assert event.decoded("DTEND") == chosen + timedelta(minutes=60)
    assert str(event["SUMMARY"]) == "Interview with Acme"
    assert str(event["STATUS"]) == "CONFIRMED" and str(event["URL"]) == "https://meet.example.org/ada"
    uid = str(event["UID"])
    # when: the employer reschedules, the candidate picks again, then cancels
    new_slots = future_slots(2, days=9, hour=13)
    rescheduled = (await gql.mutate(RESCHEDULE, {"interviewId": proposed["id"], "slots": new_slots}, token=grace.token))["interview"]
    assert rescheduled["status"] == "PROPOSED" and rescheduled["versionNumber"] == 2
    assert rescheduled["startsAt"] is None and rescheduled["ics"] is None
    stale = await gql.mutate(PICK, {"interviewId": proposed["id"], "slot": slots[1], "versionNumber": 1}, token=ada.token, ok=False)
    assert [e["code"] for e in stale["userErrors"]] == ["INTERVIEW_CHANGED"]
    repicked = (await gql.mutate(PICK, {"interviewId": proposed["id"], "slot": new_slots[0]}, token=ada.token))["interview"]
    _, event = parse_ics(repicked["ics"])
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 2
    cancelled = (await gql.mutate(CANCEL, {"interviewId": proposed["id"], "reason": "Found another role"}, token=ada.token))["interview"]
    # then: cancelled with the reason; the calendar event says so; the chat tells the story
    assert cancelled["status"] == "CANCELLED" and cancelled["cancelReason"] == "Found another role"
    calendar, event = parse_ics(cancelled["ics"])
    assert str(event["STATUS"]) == "CANCELLED" and str(calendar["METHOD"]) == "CANCEL"
    again = await gql.mutate(CANCEL, {"interviewId": proposed["id"]}, token=grace.token, ok=False)
    assert [e["code"] for e in again["userErrors"]] == ["INTERVIEW_NOT_OPEN"]
    data = await gql.execute(MESSAGES, {"id": conversation_id}, token=grace.token)
    system = [e["node"]["body"] for e in data["conversation"]["messages"]["edges"] if e["node"]["kind"] == "SYSTEM"]
    assert system == [
        "The candidate accepted the contact request.",
        "Interview proposed (video, 60 minutes): pick one of 3 slots.",
        f"Interview scheduled: {chosen.strftime('%Y-%m-%d %H:%M')} UTC, 60 minutes.",
        "Interview rescheduled: pick one of 2 new slots.",
        f"Interview scheduled: {datetime.fromisoformat(new_slots[0]).strftime('%Y-%m-%d %H:%M')} UTC, 60 minutes.",
        "Interview cancelled by the candidate. Reason: Found another role",
    ]


async def test_a_time_zone_must_be_an_iana_name(gql: GraphQLClient) -> None:
    # given
    ada = await make_candidate(gql)
    # when
    bad = await gql.mutate(UPDATE_PROFILE, {"timeZone": "Mars/Olympus_Mons"}, token=ada.token, ok=False)
    path = await gql.mutate(UPDATE_PROFILE, {"timeZone": "../../etc/passwd"}, token=ada.token, ok=False)
    cleared = await gql.mutate(UPDATE_PROFILE, {"timeZone": None}, token=ada.token)
    # then
    assert bad["userErrors"] == [{"code": "INVALID", "field": ["input", "timeZone"]}]
    assert path["userErrors"] == [{"code": "INVALID", "field": ["input", "timeZone"]}]
    assert cleared["profile"]["timeZone"] is None
