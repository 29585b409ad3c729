"""Interviews' object types and enums: ``Interview``, ``InterviewFeedback``,
``InterviewUpdate``, and ``node(id:)`` for interviews.

Objects resolve straight from ``models.interviews`` rows (the row is ``root``). What a
field reads, and whether the viewer may see it, is decided in ``resolvers.interviews``;
this module only maps. The enums are the model and resolver enums, described in place.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph.context import Info
from graph.types.accounts import Company, User
from graph.types.chat import Conversation
from graph.types.common import Node, describe_enum, model_type
from graph.types.node import register_node
from models import interviews as m
from resolvers import interviews as rules
from resolvers.chat.access import (
    Side as ConversationSide,  # registered as the GraphQL enum ConversationSide by graph.types.chat.types
)
from resolvers.ids import to_global_id

InterviewKind = m.InterviewKind
describe_enum(
    InterviewKind, "InterviewKind", "How an interview is held.",
    {
        "VIDEO": "A video call; `url` is the meeting link.",
        "PHONE": "A phone call; `location` may say who calls whom.",
        "ONSITE": "In person; `location` is the address.",
    },
)
InterviewStatus = m.InterviewStatus
describe_enum(
    InterviewStatus, "InterviewStatus",
    "Where an interview is: PROPOSED → SCHEDULED (the candidate picked a slot) | CANCELLED | EXPIRED; SCHEDULED → PROPOSED (rescheduled) | CANCELLED.",
    {
        "PROPOSED": "Slots are proposed; the candidate picks one (`pickInterviewSlot`) before `expiresAt`.",
        "SCHEDULED": "The candidate picked a slot: `startsAt`/`endsAt` are set and the interviewers are booked.",
        "CANCELLED": "Cancelled by either side (`cancelReason`), or because the candidate deleted their account. Final.",
        "EXPIRED": "Nobody picked a slot before `expiresAt`. Final: propose again.",
    },
)
Recommendation = m.Recommendation
describe_enum(
    Recommendation, "InterviewRecommendation", "An interviewer's hiring recommendation.",
    {
        "STRONG_NO": "Definitely do not hire.",
        "NO": "Do not hire.",
        "YES": "Hire.",
        "STRONG_YES": "Definitely hire.",
    },
)
InterviewChange = rules.InterviewChange
describe_enum(
    InterviewChange, "InterviewChange", "What happened to an interview (`interviewUpdated`).",
    {
        "PROPOSED": "The company proposed a new interview.",
        "SCHEDULED": "The candidate picked a slot.",
        "RESCHEDULED": "The company proposed new slots: back to PROPOSED, with a new `versionNumber`.",
        "CANCELLED": "Either side cancelled (or the candidate deleted their account).",
        "EXPIRED": "No slot was picked before `expiresAt`.",
        "FEEDBACK_SUBMITTED": "An interviewer submitted feedback. Sent to the company's members only.",
    },
)


@strawberry.type(description="One interviewer's assessment of an interview. The company's data: only its members read it, never the candidate.")
@model_type(m.InterviewFeedback)
class InterviewFeedback:
    rating: int = strawberry.field(description="1 (poor) to 4 (excellent).")
    recommendation: Recommendation = strawberry.field(description="Whether to hire.")
    notes: str = strawberry.field(description="Free text, at most 10,000 characters; may be empty.")
    created_at: datetime = strawberry.field(description="When the interviewer first submitted feedback.")
    updated_at: datetime = strawberry.field(description="When the interviewer last changed it.")

    @strawberry.field(description="The interviewer who wrote it; null when that account was deleted.")
    async def author(self, root: m.InterviewFeedback, info: Info) -> User | None:
        return await rules.author_of(info.context.loaders, root)  # type: ignore[return-value]  # a models.accounts row resolves as User (model_type)


@strawberry.type(description="An interview between a company and the candidate of a conversation they both take part in. Only the two parties read it. Times are UTC; `startsAtLocal` and `ics` use the candidate's time zone.")
@model_type(m.Interview)
class Interview(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self, root: m.Interview) -> strawberry.ID:
        return strawberry.ID(to_global_id("Interview", root.pk))

    status: InterviewStatus = strawberry.field(description="Lifecycle status; a proposal past `expiresAt` reads as EXPIRED.")
    kind: InterviewKind = strawberry.field(description="Video, phone or on site.")
    duration_minutes: int = strawberry.field(description="Length, 15–480 minutes.")
    location: str | None = strawberry.field(description="Address or instructions, at most 200 characters; set for ONSITE.")
    url: str | None = strawberry.field(description="Meeting link (http or https); set for VIDEO.")
    starts_at: datetime | None = strawberry.field(description="Start of the picked slot in UTC; null until the candidate picks one (and after a reschedule).")
    ends_at: datetime | None = strawberry.field(description="`startsAt` plus `durationMinutes`, in UTC.")
    expires_at: datetime = strawberry.field(description="While PROPOSED: the deadline to pick a slot (`INTERVIEW_PROPOSAL_TTL_DAYS` after the proposal or the last reschedule, default 14 days).")
    cancel_reason: str | None = strawberry.field(description="Why it was cancelled, at most 1,000 characters, if a reason was given.")
    created_at: datetime = strawberry.field(description="When it was first proposed.")
    updated_at: datetime = strawberry.field(description="When it last changed.")

    @strawberry.field(description="Number of the current proposal: 1, then one more per reschedule. Name it in `pickInterviewSlot` to be sure you answer the slots you saw.")
    def version_number(self, root: m.Interview) -> int:
        return root.version

    @strawberry.field(description="The proposed start times (UTC), earliest first, at most 10. Kept once a slot is picked.")
    def slots(self, root: m.Interview) -> list[datetime]:
        return rules.slots_of(root)

    @strawberry.field(description="The candidate's time zone (IANA name such as Europe/Berlin, from her profile's `timeZone`), or UTC when she set none.")
    async def time_zone(self, root: m.Interview, info: Info) -> str:
        return await rules.time_zone_of(info.context.loaders, root)

    @strawberry.field(description="`startsAt` in the candidate's time zone (ISO 8601 with its offset); null until a slot is picked.")
    async def starts_at_local(self, root: m.Interview, info: Info) -> datetime | None:
        return await rules.starts_at_local(info.context.loaders, root)

    @strawberry.field(
        description="The interview as an iCalendar (RFC 5545) document with one VEVENT in the candidate's time zone (with its VTIMEZONE), a stable UID and SEQUENCE = `versionNumber`; STATUS:CANCELLED once cancelled. Null until a slot is picked."
    )
    async def ics(self, root: m.Interview, info: Info) -> str | None:
        return await rules.ics_of(info.context.loaders, root)

    @strawberry.field(description="The viewer's side of the interview.")
    def viewer_side(self, root: m.Interview, info: Info) -> ConversationSide:
        side = rules.side_of_interview(info.context.viewer, root)
        assert side is not None  # only parties ever reach an Interview
        return side

    @strawberry.field(description="The conversation the interview was proposed in; its system messages tell the interview's story.")
    async def conversation(self, root: m.Interview, info: Info) -> Conversation:
        return await rules.conversation_of(info.context.loaders, root)  # type: ignore[return-value]  # a models.chat row resolves as Conversation (model_type)

    @strawberry.field(description="The company interviewing.")
    async def company(self, root: m.Interview, info: Info) -> Company:
        return await rules.company_of(info.context.loaders, root)  # type: ignore[return-value]  # a models.accounts row resolves as Company (model_type)

    @strawberry.field(description="The candidate. Passes the same visibility, block and anonymity rules as every path to a profile: null when the viewer may not see who it is.")
    async def candidate(self, root: m.Interview, info: Info) -> User | None:
        return await rules.candidate_of(info.context.loaders, info.context.viewer, root)  # type: ignore[return-value]  # a models.accounts row resolves as User (model_type)

    @strawberry.field(description="The interviewers, members of the company, 1–10, in the order they were named.")
    async def interviewers(self, root: m.Interview, info: Info) -> list[User]:
        return await rules.interviewers_of(info.context.loaders, root)  # type: ignore[return-value]  # models.accounts rows resolve as User (model_type)

    @strawberry.field(description="Every interviewer's feedback, oldest first. The company's data: null for the candidate.")
    async def feedback(self, root: m.Interview, info: Info) -> list[InterviewFeedback] | None:
        return await rules.feedback_of(info.context.loaders, info.context.viewer, root)  # type: ignore[return-value]  # models.interviews rows resolve as InterviewFeedback (model_type)


@strawberry.type(description="What happened to an interview, and the interview as it is now.")
class InterviewUpdate:
    change: InterviewChange = strawberry.field(description="What happened.")
    interview: Interview = strawberry.field(description="The interview after the change, read afresh.")


async def _interviews_by_node_id(info: Info, ids: list[int]) -> list[m.Interview | None]:
    return await rules.interviews_for(info.context.loaders, info.context.broker, info.context.viewer, ids)


register_node("Interview", _interviews_by_node_id)
