"""Factories for interview tests: an accepted conversation with an interview proposed
through the API, and the operations as constants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from tests.factories.accounts import Actor, make_employer
from tests.factories.chat import pk, start_chat
from tests.graphql import GraphQLClient

__all__ = ["pk"]

INTERVIEW_FIELDS = """
id status kind durationMinutes location url slots startsAt endsAt startsAtLocal timeZone
expiresAt cancelReason versionNumber viewerSide ics
interviewers { id displayName } company { id name } conversation { id }
"""
PROPOSE = f"""
mutation Propose($input: ProposeInterviewInput!) {{
  proposeInterview(input: $input) {{ interview {{ {INTERVIEW_FIELDS} }} userErrors {{ code field message }} }}
}}
"""
PICK = f"""
mutation Pick($input: PickInterviewSlotInput!) {{
  pickInterviewSlot(input: $input) {{ interview {{ {INTERVIEW_FIELDS} }} userErrors {{ code field message }} }}
}}
"""
RESCHEDULE = f"""
mutation Reschedule($input: RescheduleInterviewInput!) {{
  rescheduleInterview(input: $input) {{ interview {{ {INTERVIEW_FIELDS} }} userErrors {{ code field message }} }}
}}
"""
CANCEL = f"""
mutation Cancel($input: CancelInterviewInput!) {{
  cancelInterview(input: $input) {{ interview {{ {INTERVIEW_FIELDS} }} userErrors {{ code field message }} }}
}}
"""
FEEDBACK = """
mutation Feedback($input: SubmitInterviewFeedbackInput!) {
  submitInterviewFeedback(input: $input) {
    feedback { rating recommendation notes author { id } } userErrors { code field message }
  }
}
"""
INTERVIEW = f"query($id: ID!) {{ interview(id: $id) {{ {INTERVIEW_FIELDS} feedback {{ rating notes }} }} }}"


def future_slots(count: int = 3, *, days: int = 3, hour: int = 9) -> list[str]:
    """``count`` whole-hour slots, one a day from ``days`` ahead, in UTC ISO 8601."""
    base = (datetime.now(timezone.utc) + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
    return [(base + timedelta(days=i)).isoformat().replace("+00:00", "Z") for i in range(count)]


def propose_input(conversation_id: str, interviewers: list[str], **overrides: Any) -> dict[str, Any]:
    return {
        "conversationId": conversation_id,
        "slots": future_slots(),
        "durationMinutes": 45,
        "kind": "VIDEO",
        "url": "https://meet.example.org/abc",
        "interviewerIds": interviewers,
        **overrides,
    }


@dataclass
class InterviewScene:
    employer: Actor
    candidate: Actor
    conversation_id: str
    interview: dict[str, Any]

    @property
    def interview_id(self) -> str:
        return str(self.interview["id"])


async def make_interview_scene(
    gql: GraphQLClient, employer: Actor | None = None, *, interviewers: list[str] | None = None, **overrides: Any
) -> InterviewScene:
    """An employer and a candidate in an accepted conversation, an interview proposed."""
    employer = employer or await make_employer(gql)
    chat = await start_chat(gql, employer, accept=True)
    payload = await gql.mutate(
        PROPOSE, propose_input(chat.conversation_id, interviewers or [employer.id], **overrides), token=employer.token
    )
    return InterviewScene(employer, chat.candidate, chat.conversation_id, payload["interview"])
