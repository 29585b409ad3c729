"""Interviews' input types and payloads. Each input maps itself to what
``resolvers.interviews`` takes; the rules decide from there."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph.types.common import UserError, pk_of
from graph.types.interviews.types import Interview, InterviewFeedback, InterviewKind, Recommendation
from resolvers import interviews as rules


@strawberry.input(description="An interview proposal in a conversation the candidate accepted.")
class ProposeInterviewInput:
    conversation_id: strawberry.ID = strawberry.field(description="The conversation (a `Conversation` ID).")
    slots: list[datetime] = strawberry.field(
        description="1–10 start times to choose from, each with a time zone (stored in UTC), in the future and at most 366 days ahead; duplicates count once."
    )
    duration_minutes: int = strawberry.field(description="Length in minutes, 15–480.")
    kind: InterviewKind = strawberry.field(description="Video, phone or on site.")
    interviewer_ids: list[strawberry.ID] = strawberry.field(
        description="1–10 interviewers (`User` IDs), each a member of your company; anyone else is NOT_FOUND. A picked slot books them: no interviewer is in two interviews at once."
    )
    location: str | None = strawberry.field(default=None, description="Address or instructions, at most 200 characters; required for ONSITE.")
    url: str | None = strawberry.field(default=None, description="Meeting link (http or https), at most 500 characters; required for VIDEO.")
    role_id: strawberry.ID | None = strawberry.field(default=None, description="The role this interview is for (a `HiringRole` ID of your company), if any; once a slot is picked the candidate's entry on that role moves to INTERVIEWING. Another type's ID or another company's role is NOT_FOUND.")

    def proposal(self) -> rules.Proposal:
        role_id = pk_of(self.role_id, "HiringRole") if self.role_id is not None else None
        return rules.Proposal(
            slots=self.slots, duration_minutes=self.duration_minutes, kind=self.kind,
            interviewer_ids=[pk_of(i, "User") for i in self.interviewer_ids],
            location=self.location, url=self.url, role_id=role_id,
            unknown_role=self.role_id is not None and role_id is None,
        )


@strawberry.input(description="The candidate picks one proposed slot.")
class PickInterviewSlotInput:
    interview_id: strawberry.ID = strawberry.field(description="The interview.")
    slot: datetime = strawberry.field(description="One of the interview's `slots` (any time zone: the same instant counts), not yet passed.")
    version_number: int | None = strawberry.field(
        default=None, description="If given, the `versionNumber` whose slots you saw; INTERVIEW_CHANGED when the company rescheduled since."
    )


@strawberry.input(description="The company proposes new slots for an interview.")
class RescheduleInterviewInput:
    interview_id: strawberry.ID = strawberry.field(description="The interview (PROPOSED or SCHEDULED).")
    slots: list[datetime] = strawberry.field(description="1–10 new start times, each with a time zone, in the future.")
    version_number: int | None = strawberry.field(default=None, description="If given, the version you reschedule; INTERVIEW_CHANGED when it is not the current one.")


@strawberry.input(description="Cancel an interview (either side).")
class CancelInterviewInput:
    interview_id: strawberry.ID = strawberry.field(description="The interview (PROPOSED or SCHEDULED).")
    reason: str | None = strawberry.field(default=None, description="Why, at most 1,000 characters; both sides see it.")
    version_number: int | None = strawberry.field(default=None, description="If given, the version you cancel; INTERVIEW_CHANGED when it is not the current one.")


@strawberry.input(description="An interviewer's feedback on an interview that has started. Submitting again replaces your earlier feedback.")
class SubmitInterviewFeedbackInput:
    interview_id: strawberry.ID = strawberry.field(description="The interview (SCHEDULED, started).")
    rating: int = strawberry.field(description="1 (poor) to 4 (excellent).")
    recommendation: Recommendation = strawberry.field(description="Whether to hire.")
    notes: str | None = strawberry.field(default=None, description="At most 10,000 characters. Never shown to the candidate.")


# --- Payloads: one shape, four names; feedback has its own -------------------------

@strawberry.type(description="Result of an interview mutation. Not in the schema itself: each mutation has its named subclass.")
class InterviewPayload:
    interview: Interview | None = strawberry.field(description="The interview as it is now; null when `userErrors` is not empty.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of `proposeInterview`.")
class ProposeInterviewPayload(InterviewPayload): ...


@strawberry.type(description="Result of `pickInterviewSlot`.")
class PickInterviewSlotPayload(InterviewPayload): ...


@strawberry.type(description="Result of `rescheduleInterview`.")
class RescheduleInterviewPayload(InterviewPayload): ...


@strawberry.type(description="Result of `cancelInterview`.")
class CancelInterviewPayload(InterviewPayload): ...


@strawberry.type(description="Result of `submitInterviewFeedback`.")
class SubmitInterviewFeedbackPayload:
    feedback: InterviewFeedback | None = strawberry.field(description="Your feedback as stored; null when `userErrors` is not empty.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")
