"""Interviews in GraphQL: ``types`` (Interview, InterviewFeedback, InterviewUpdate, the
enums, ``node(id:)`` for interviews), ``inputs`` (the inputs and payloads) and
``operations`` (InterviewsQuery, InterviewsMutation, InterviewsSubscription). Rules live
in ``resolvers.interviews``."""

from graph.types.interviews.inputs import (
    CancelInterviewInput,
    CancelInterviewPayload,
    InterviewPayload,
    PickInterviewSlotInput,
    PickInterviewSlotPayload,
    ProposeInterviewInput,
    ProposeInterviewPayload,
    RescheduleInterviewInput,
    RescheduleInterviewPayload,
    SubmitInterviewFeedbackInput,
    SubmitInterviewFeedbackPayload,
)
from graph.types.interviews.operations import InterviewsMutation, InterviewsQuery, InterviewsSubscription
from graph.types.interviews.types import (
    Interview,
    InterviewChange,
    InterviewFeedback,
    InterviewKind,
    InterviewStatus,
    InterviewUpdate,
    Recommendation,
)

__all__ = [
    "CancelInterviewInput",
    "CancelInterviewPayload",
    "Interview",
    "InterviewChange",
    "InterviewFeedback",
    "InterviewKind",
    "InterviewPayload",
    "InterviewStatus",
    "InterviewUpdate",
    "InterviewsMutation",
    "InterviewsQuery",
    "InterviewsSubscription",
    "PickInterviewSlotInput",
    "PickInterviewSlotPayload",
    "ProposeInterviewInput",
    "ProposeInterviewPayload",
    "Recommendation",
    "RescheduleInterviewInput",
    "RescheduleInterviewPayload",
    "SubmitInterviewFeedbackInput",
    "SubmitInterviewFeedbackPayload",
]
