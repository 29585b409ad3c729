"""Trust and safety: reports on content, the filings that make them, suspensions, and
red flags raised on first-contact messages. Written by ``resolvers/safety``."""

from __future__ import annotations

from enum import Enum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.accounts import Company, User
from models.chat import Message


class ReportReason(str, Enum):
    SCAM = "SCAM"
    SPAM = "SPAM"
    HARASSMENT = "HARASSMENT"
    DISCRIMINATION = "DISCRIMINATION"
    FAKE_IDENTITY = "FAKE_IDENTITY"
    OTHER = "OTHER"


class ReportTargetKind(str, Enum):
    PROFILE = "PROFILE"
    COMPANY = "COMPANY"
    CONVERSATION = "CONVERSATION"
    MESSAGE = "MESSAGE"
    OFFER = "OFFER"


class ReportStatus(str, Enum):
    OPEN = "OPEN"
    DISMISSED = "DISMISSED"
    ACTION_TAKEN = "ACTION_TAKEN"


class ModerationAction(str, Enum):
    DISMISS = "DISMISS"
    WARN = "WARN"
    REMOVE_MESSAGE = "REMOVE_MESSAGE"
    SUSPEND_USER = "SUSPEND_USER"
    SUSPEND_COMPANY = "SUSPEND_COMPANY"


class Report(Model):
    """One case about one piece of content: every filing on the same target merges into the open case (``open_key`` is unique while the case is open and null once resolved)."""

    id = fields.BigIntField(primary_key=True)
    target_kind = fields.CharEnumField(ReportTargetKind, max_length=16)
    target_id = fields.BigIntField()
    # "<KIND>:<id>" while open: at most one open case per target, on every database.
    open_key = fields.CharField(max_length=40, null=True, unique=True)
    # Who is answerable for the content: the account and/or the company behind it.
    subject_user_id = fields.BigIntField(null=True, db_index=True)
    subject_company_id = fields.BigIntField(null=True, db_index=True)
    # What the content said when it was first reported (kept if the sender deletes it).
    snapshot: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    status = fields.CharEnumField(ReportStatus, max_length=16, default=ReportStatus.OPEN, db_index=True)
    filing_count = fields.IntField(default=1)
    first_reported_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    last_reported_at = fields.DatetimeField(auto_now_add=True)
    resolved_at = fields.DatetimeField(null=True)
    resolved_by_id = fields.BigIntField(null=True)
    action = fields.CharEnumField(ModerationAction, max_length=20, null=True)
    note = fields.CharField(max_length=1000, null=True)

    class Meta:
        table = "report"


class ReportFiling(Model):
    """One user's report of a case's target: the reason and comment they gave. The reporter is never shown to the reported party."""

    id = fields.BigIntField(primary_key=True)
    report: fields.ForeignKeyRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="filings", on_delete=fields.CASCADE, db_index=True
    )
    # Null once the reporter deleted their account (the filing still counts).
    reporter: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="report_filings", null=True, on_delete=fields.SET_NULL, db_index=True
    )
    reason = fields.CharEnumField(ReportReason, max_length=20, db_index=True)
    comment = fields.CharField(max_length=1000, null=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    updated_at = fields.DatetimeField(auto_now=True)

    report_id: int
    reporter_id: int | None

    class Meta:
        table = "report_filing"
        unique_together = (("report", "reporter"),)


class Suspension(Model):
    """A moderator suspended an account or a company. While ``lifted_at`` is null the suspension holds, and it remembers what it hid so lifting restores it."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="suspensions", null=True, on_delete=fields.CASCADE, db_index=True
    )
    company: fields.ForeignKeyNullableRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="suspensions", null=True, on_delete=fields.CASCADE, db_index=True
    )
    report: fields.ForeignKeyNullableRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="suspensions", null=True, on_delete=fields.SET_NULL, db_index=True
    )
    moderator_id = fields.BigIntField(null=True)
    note = fields.CharField(max_length=1000, null=True)
    # Accounts this suspension suspended (a company's members), and the visibility each
    # suspended candidate's profile had: {"userIds": [...], "profileVisibility": {"<profile id>": "PUBLIC"}}.
    hidden: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    lifted_at = fields.DatetimeField(null=True)
    lifted_by_id = fields.BigIntField(null=True)

    user_id: int | None
    company_id: int | None

    class Meta:
        table = "suspension"


class MessageRedFlag(Model):
    """Red flags found in a company's message to a candidate who had not replied yet (resolvers/data/red_flags.json): shown to the candidate with the message."""

    id = fields.BigIntField(primary_key=True)
    message: fields.OneToOneRelation[Message] = fields.OneToOneField(
        "models.Message", related_name="red_flag", on_delete=fields.CASCADE
    )
    kinds: fields.Field[list[str]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)

    message_id: int

    class Meta:
        table = "message_red_flag"
