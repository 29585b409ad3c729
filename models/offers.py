"""Offers: versioned terms from a company to a candidate inside a conversation."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.profiles import RemotePreference, SalaryPeriod

if TYPE_CHECKING:
    from models.accounts import Company, User
    from models.chat import Conversation
    from models.hiring import Role


class OfferStatus(str, Enum):
    SENT = "SENT"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    COUNTERED = "COUNTERED"
    WITHDRAWN = "WITHDRAWN"
    EXPIRED = "EXPIRED"
    CLOSED = "CLOSED"  # the candidate deleted their account while it was open


class OfferSide(str, Enum):
    COMPANY = "COMPANY"
    CANDIDATE = "CANDIDATE"


class Offer(Model):
    id = fields.BigIntField(primary_key=True)
    conversation: fields.ForeignKeyRelation[Conversation] = fields.ForeignKeyField(
        "models.Conversation", related_name="offers", on_delete=fields.CASCADE, db_index=True
    )
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="offers", on_delete=fields.CASCADE, db_index=True
    )
    candidate: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="offers_received", on_delete=fields.CASCADE, db_index=True
    )
    # The role the offer is for, if the company named one (hiring's pipeline moves by it).
    role: fields.ForeignKeyNullableRelation[Role] = fields.ForeignKeyField(
        "models.Role", related_name="offers", null=True, on_delete=fields.SET_NULL, db_index=True
    )
    status = fields.CharEnumField(OfferStatus, max_length=16, default=OfferStatus.SENT,
                                  db_index=True)
    current_version = fields.IntField(default=1)
    expires_at = fields.DatetimeField(null=True)
    decline_reason = fields.CharField(max_length=1000, null=True)
    candidate_hired_elsewhere_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True, db_index=True)

    conversation_id: int
    company_id: int
    candidate_id: int
    role_id: int | None

    class Meta:
        table = "offer"


class OfferVersion(Model):
    id = fields.BigIntField(primary_key=True)
    offer: fields.ForeignKeyRelation[Offer] = fields.ForeignKeyField(
        "models.Offer", related_name="versions", on_delete=fields.CASCADE, db_index=True
    )
    number = fields.IntField()
    author_side = fields.CharEnumField(OfferSide, max_length=16)
    author: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="offer_versions", null=True, on_delete=fields.SET_NULL,
        db_index=True,
    )
    title = fields.CharField(max_length=120)
    description = fields.TextField(default="")
    salary_amount = fields.IntField()
    salary_currency = fields.CharField(max_length=3)
    salary_period = fields.CharEnumField(SalaryPeriod, max_length=8)
    equity = fields.CharField(max_length=200, null=True)
    location = fields.CharField(max_length=200, null=True)
    remote_preference = fields.CharEnumField(RemotePreference, max_length=16, null=True)
    start_date = fields.DateField(null=True)
    expires_at = fields.DatetimeField(null=True)
    changed_fields: fields.JSONField[list[str]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)

    offer_id: int

    class Meta:
        table = "offer_version"
        unique_together = (("offer", "number"),)
