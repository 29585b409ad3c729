"""Interviews: a company proposes time slots in a conversation, the candidate picks one.

Times are stored in UTC. ``Interview.version`` counts reschedules: a pick names the
version it answers, so a pick and a reschedule racing each other leave one winner.
``InterviewAssignment`` rows are the interviewers of an interview and, once a slot is
picked, their bookings (``starts_at``/``ends_at``): the double-booking check reads them.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.accounts import Company, User
    from models.chat import Conversation


class InterviewKind(str, Enum):
    VIDEO = "VIDEO"
    PHONE = "PHONE"
    ONSITE = "ONSITE"


class InterviewStatus(str, Enum):
    PROPOSED = "PROPOSED"
    SCHEDULED = "SCHEDULED"
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"


class Recommendation(str, Enum):
    STRONG_NO = "STRONG_NO"
    NO = "NO"
    YES = "YES"
    STRONG_YES = "STRONG_YES"


class Interview(Model):
    """One interview between a company and the candidate of a conversation."""

    id = fields.BigIntField(primary_key=True)
    conversation: fields.ForeignKeyRelation[Conversation] = fields.ForeignKeyField(
        "models.Conversation", related_name="interviews", on_delete=fields.CASCADE, db_index=True
    )
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="interviews", on_delete=fields.CASCADE, db_index=True
    )
    candidate: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="interviews", on_delete=fields.CASCADE, db_index=True
    )
    proposed_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="interviews_proposed", null=True, on_delete=fields.SET_NULL, db_index=True
    )
    # The role hired for (hiring's Role); a plain id until roles exist on this branch.
    role_id = fields.BigIntField(null=True, db_index=True)
    kind = fields.CharEnumField(InterviewKind, max_length=8)
    duration_minutes = fields.IntField()
    location = fields.CharField(max_length=200, null=True)
    url = fields.CharField(max_length=500, null=True)
    status = fields.CharEnumField(InterviewStatus, max_length=16, default=InterviewStatus.PROPOSED, db_index=True)
    version = fields.IntField(default=1)
    # Proposed start times (UTC, ISO 8601), earliest first.
    slots: fields.JSONField[list[str]] = fields.JSONField(default=list)
    starts_at = fields.DatetimeField(null=True)
    ends_at = fields.DatetimeField(null=True)
    # An unpicked proposal expires then (settings.interview_proposal_ttl_days).
    expires_at = fields.DatetimeField()
    cancel_reason = fields.CharField(max_length=1000, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    conversation_id: int
    company_id: int
    candidate_id: int
    proposed_by_id: int | None

    class Meta:
        table = "interview"


class InterviewAssignment(Model):
    """An interviewer of an interview, booked from starts_at to ends_at once it is scheduled."""

    id = fields.BigIntField(primary_key=True)
    interview: fields.ForeignKeyRelation[Interview] = fields.ForeignKeyField(
        "models.Interview", related_name="assignments", on_delete=fields.CASCADE, db_index=True
    )
    interviewer: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="interview_assignments", on_delete=fields.CASCADE, db_index=True
    )
    starts_at = fields.DatetimeField(null=True)
    ends_at = fields.DatetimeField(null=True)

    interview_id: int
    interviewer_id: int

    class Meta:
        table = "interview_assignment"
        unique_together = (("interview", "interviewer"),)


class InterviewFeedback(Model):
    """One interviewer's assessment: the company's data, never shown to the candidate."""

    id = fields.BigIntField(primary_key=True)
    interview: fields.ForeignKeyRelation[Interview] = fields.ForeignKeyField(
        "models.Interview", related_name="feedback", on_delete=fields.CASCADE, db_index=True
    )
    author: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="interview_feedback", on_delete=fields.CASCADE, db_index=True
    )
    rating = fields.SmallIntField()
    recommendation = fields.CharEnumField(Recommendation, max_length=16)
    notes = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    interview_id: int
    author_id: int

    class Meta:
        table = "interview_feedback"
        unique_together = (("interview", "author"),)
