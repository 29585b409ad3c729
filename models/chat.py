"""Chat: conversations between one company and one candidate, and their messages."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.profiles import SalaryPeriod

if TYPE_CHECKING:
    from models.accounts import Company, User


class ConversationStatus(str, Enum):
    REQUESTED = "REQUESTED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    # Unanswered for CONTACT_REQUEST_EXPIRY_DAYS: the scheduler closed it (resolvers/chat/expiry.py).
    EXPIRED = "EXPIRED"


class MessageKind(str, Enum):
    USER = "USER"
    SYSTEM = "SYSTEM"


class Conversation(Model):
    id = fields.BigIntField(primary_key=True)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="conversations", on_delete=fields.CASCADE, db_index=True
    )
    candidate: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="candidate_conversations", on_delete=fields.CASCADE,
        db_index=True,
    )
    started_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="started_conversations", null=True,
        on_delete=fields.SET_NULL, db_index=True,
    )
    status = fields.CharEnumField(
        ConversationStatus, max_length=16, default=ConversationStatus.REQUESTED
    )
    role_title = fields.CharField(max_length=120)
    salary_min = fields.IntField()
    salary_max = fields.IntField()
    salary_currency = fields.CharField(max_length=3)
    salary_period = fields.CharEnumField(SalaryPeriod, max_length=8)
    # Highest message sequence number in this conversation (messages are 1, 2, 3 …).
    last_seq = fields.IntField(default=0)
    candidate_read_seq = fields.IntField(default=0)
    company_read_seq = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_activity_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    responded_at = fields.DatetimeField(null=True)

    company_id: int
    candidate_id: int
    started_by_id: int | None

    class Meta:
        table = "conversation"
        unique_together = (("company", "candidate"),)


class Message(Model):
    id = fields.BigIntField(primary_key=True)
    conversation: fields.ForeignKeyRelation[Conversation] = fields.ForeignKeyField(
        "models.Conversation", related_name="messages", on_delete=fields.CASCADE, db_index=True
    )
    seq = fields.IntField()
    sender: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="messages", null=True, on_delete=fields.SET_NULL,
        db_index=True,
    )
    kind = fields.CharEnumField(MessageKind, max_length=8, default=MessageKind.USER)
    body = fields.TextField()
    client_message_id = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    conversation_id: int
    sender_id: int | None

    class Meta:
        table = "message"
        unique_together = (("conversation", "seq"), ("sender", "client_message_id"))
        # The per-sender rate limit counts a sender's messages of the last minute.
        indexes = (("sender_id", "created_at"),)
