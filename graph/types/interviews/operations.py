"""Interviews' root operations: ``interviews``/``interview``, the five interview mutations
and ``interviewUpdated``. Each mutation is its rule call in ``resolvers.interviews``,
declared with ``payload_mutation``."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from graph.context import Info
from graph.types.common import Connection, pk_of
from graph.types.interviews.inputs import (
    CancelInterviewInput,
    CancelInterviewPayload,
    PickInterviewSlotInput,
    PickInterviewSlotPayload,
    ProposeInterviewInput,
    ProposeInterviewPayload,
    RescheduleInterviewInput,
    RescheduleInterviewPayload,
    SubmitInterviewFeedbackInput,
    SubmitInterviewFeedbackPayload,
)
from graph.types.interviews.types import Interview, InterviewStatus, InterviewUpdate
from graph.types.mutations import payload_mutation
from resolvers import interviews as rules
from subscriptions.interviews import interview_updates


@strawberry.type
class InterviewsQuery:
    @strawberry.field(
        description="The viewer's interviews, newest first: a candidate's, or an employer's company's. `first` at most 100, default 20."
    )
    async def interviews(
        self,
        info: Info,
        status: Annotated[InterviewStatus | None, strawberry.argument(description="Only interviews with this status.")] = None,
        first: Annotated[int | None, strawberry.argument(description="Page size, 0–100, default 20.")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor of the last interview of the previous page.")] = None,
    ) -> Connection[Interview]:
        viewer = info.context.require_viewer()
        page = await rules.interviews_page(info.context.broker, viewer, status=status, first=first, after=after)
        return Connection[Interview].from_page(page)

    @strawberry.field(description="One interview; null when it does not exist or the viewer is not party to it.")
    async def interview(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="An `Interview` ID.")]
    ) -> Interview | None:
        pk = pk_of(id, "Interview")
        if pk is None:
            return None
        return await rules.interview_for(info.context.broker, info.context.viewer, pk)  # type: ignore[return-value]  # a models.interviews row resolves as Interview (model_type)


@strawberry.type
class InterviewsMutation:
    propose_interview = payload_mutation(
        description="A member of the company proposes 1–10 slots to the candidate of a conversation the candidate accepted (CONVERSATION_NOT_ACCEPTED otherwise), naming 1–10 interviewers of the company. Posts a system message in the conversation. The proposal expires after `INTERVIEW_PROPOSAL_TTL_DAYS` (default 14) unless a slot is picked.",
        input=(ProposeInterviewInput, "Conversation, slots, kind, place and interviewers."),
        payload=ProposeInterviewPayload,
        field="interview",
        rule=lambda c, input: rules.propose_interview(
            c.settings, c.broker, c.require_viewer(), pk_of(input.conversation_id, "Conversation"), input.proposal()
        ),
    )
    pick_interview_slot = payload_mutation(
        description="The candidate picks one proposed slot: SCHEDULED, the interviewers booked, a system message posted. Exactly one pick wins, also when several arrive at once (the others get INTERVIEW_NOT_OPEN). INTERVIEWER_UNAVAILABLE when an interviewer is booked in another interview at an overlapping time; SLOT_NOT_OFFERED, INTERVIEW_EXPIRED, INTERVIEW_CHANGED.",
        input=(PickInterviewSlotInput, "Interview and slot."),
        payload=PickInterviewSlotPayload,
        field="interview",
        rule=lambda c, input: rules.pick_slot(
            c.broker, c.require_viewer(), pk_of(input.interview_id, "Interview"), input.slot, input.version_number
        ),
    )
    reschedule_interview = payload_mutation(
        description="The company proposes new slots for a PROPOSED or SCHEDULED interview: back to PROPOSED with `versionNumber` + 1, the interviewers' booking released, a new expiry, a system message posted.",
        input=(RescheduleInterviewInput, "Interview and new slots."),
        payload=RescheduleInterviewPayload,
        field="interview",
        rule=lambda c, input: rules.reschedule_interview(
            c.settings, c.broker, c.require_viewer(), pk_of(input.interview_id, "Interview"), input.slots, input.version_number
        ),
    )
    cancel_interview = payload_mutation(
        description="Either side cancels a PROPOSED or SCHEDULED interview (INTERVIEW_NOT_OPEN otherwise), with an optional reason both sides see. Releases the interviewers' booking and posts a system message.",
        input=(CancelInterviewInput, "Interview and reason."),
        payload=CancelInterviewPayload,
        field="interview",
        rule=lambda c, input: rules.cancel_interview(
            c.broker, c.require_viewer(), pk_of(input.interview_id, "Interview"), input.reason, input.version_number
        ),
    )
    submit_interview_feedback = payload_mutation(
        description="An interviewer rates a SCHEDULED interview that has started (INTERVIEW_NOT_STARTED before): 1–4 with a recommendation and notes. Other members of the company get NOT_AN_INTERVIEWER; the candidate is FORBIDDEN and never sees feedback. Submitting again replaces your feedback.",
        input=(SubmitInterviewFeedbackInput, "Interview, rating, recommendation and notes."),
        payload=SubmitInterviewFeedbackPayload,
        field="feedback",
        rule=lambda c, input: rules.submit_feedback(
            c.broker, c.require_viewer(), pk_of(input.interview_id, "Interview"),
            rating=input.rating, recommendation=input.recommendation, notes=input.notes,
        ),
    )


@strawberry.type
class InterviewsSubscription:
    @strawberry.subscription(
        description="Changes of every interview the viewer is party to (a candidate's, an employer's company's): proposed, scheduled, rescheduled, cancelled, expired; feedback submitted (company members only). Sign in first."
    )
    async def interview_updated(self, info: Info) -> AsyncGenerator[InterviewUpdate, None]:
        info.context.require_viewer()
        session = info.context.session
        assert session is not None
        async for change, interview in interview_updates(info.context.broker, session):
            info.context.loaders = info.context.fresh_loaders()
            yield InterviewUpdate(change=change, interview=interview)  # type: ignore[arg-type]  # a models.interviews row resolves as Interview (model_type)
