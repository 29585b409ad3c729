"""Hiring: a company's roles, the pipeline of candidates per role, and the team's work on it
(notes, tags, ratings). ``resolvers/hiring/`` holds the rules."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.profiles import RemotePreference, SalaryPeriod

if TYPE_CHECKING:
    from models.accounts import Company, User


class RoleStatus(str, Enum):
    OPEN = "OPEN"
    PAUSED = "PAUSED"
    FILLED = "FILLED"
    ARCHIVED = "ARCHIVED"


class PipelineStage(str, Enum):
    SOURCED = "SOURCED"
    CONTACTED = "CONTACTED"
    REPLIED = "REPLIED"
    INTERVIEWING = "INTERVIEWING"
    CUSTOM = "CUSTOM"  # one of the company's own stages (``PipelineEntry.custom_stage``)
    OFFER = "OFFER"
    HIRED = "HIRED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


class Recommendation(str, Enum):
    STRONG_YES = "STRONG_YES"
    YES = "YES"
    NO = "NO"
    STRONG_NO = "STRONG_NO"


class Role(Model):
    """A position a company hires for."""

    id = fields.BigIntField(primary_key=True)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="roles", on_delete=fields.CASCADE, db_index=True
    )
    owner: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="owned_roles", null=True, on_delete=fields.SET_NULL, db_index=True
    )
    title = fields.CharField(max_length=120)
    description = fields.TextField(default="")
    location = fields.CharField(max_length=200, null=True)
    remote_preference = fields.CharEnumField(RemotePreference, max_length=16, null=True)
    salary_min = fields.IntField()
    salary_max = fields.IntField()
    salary_currency = fields.CharField(max_length=3)
    salary_period = fields.CharEnumField(SalaryPeriod, max_length=8)
    headcount = fields.IntField(default=1)
    filled_count = fields.IntField(default=0)
    status = fields.CharEnumField(RoleStatus, max_length=16, default=RoleStatus.OPEN, db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    company_id: int
    owner_id: int | None

    class Meta:
        table = "hiring_role"


class RoleMember(Model):
    """A colleague on the hiring team of a role (the owner is one too)."""

    id = fields.BigIntField(primary_key=True)
    role: fields.ForeignKeyRelation[Role] = fields.ForeignKeyField(
        "models.Role", related_name="members", on_delete=fields.CASCADE, db_index=True
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="role_memberships", on_delete=fields.CASCADE, db_index=True
    )

    role_id: int
    user_id: int

    class Meta:
        table = "hiring_role_member"
        unique_together = (("role", "user"),)


class CustomStage(Model):
    """A pipeline stage of one company, between INTERVIEWING and OFFER (ordered by position)."""

    id = fields.BigIntField(primary_key=True)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="custom_stages", on_delete=fields.CASCADE, db_index=True
    )
    name = fields.CharField(max_length=60)
    position = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    company_id: int

    class Meta:
        table = "hiring_custom_stage"
        unique_together = (("company", "name"),)


class PipelineEntry(Model):
    """One candidate on one role. ``candidate`` is emptied when she blocks the company,
    is hired elsewhere or deletes her account: the entry stays WITHDRAWN without her."""

    id = fields.BigIntField(primary_key=True)
    role: fields.ForeignKeyRelation[Role] = fields.ForeignKeyField(
        "models.Role", related_name="entries", on_delete=fields.CASCADE, db_index=True
    )
    company_id = fields.BigIntField(db_index=True)
    candidate: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="pipeline_entries", null=True, on_delete=fields.SET_NULL, db_index=True
    )
    stage = fields.CharEnumField(PipelineStage, max_length=16, default=PipelineStage.SOURCED)
    custom_stage: fields.ForeignKeyNullableRelation[CustomStage] = fields.ForeignKeyField(
        "models.CustomStage", related_name="entries", null=True, on_delete=fields.RESTRICT, db_index=True
    )
    stage_reason = fields.CharField(max_length=500, null=True)
    version = fields.IntField(default=1)
    added_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="pipeline_entries_added", null=True, on_delete=fields.SET_NULL, db_index=True
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    stage_changed_at = fields.DatetimeField(auto_now_add=True)

    role_id: int
    candidate_id: int | None
    custom_stage_id: int | None
    added_by_id: int | None

    class Meta:
        table = "hiring_pipeline_entry"
        unique_together = (("role", "candidate"),)
        indexes = (("role_id", "stage", "id"),)


class PipelineMove(Model):
    """One move of an entry (its creation included: ``from_stage`` null)."""

    id = fields.BigIntField(primary_key=True)
    entry: fields.ForeignKeyRelation[PipelineEntry] = fields.ForeignKeyField(
        "models.PipelineEntry", related_name="moves", on_delete=fields.CASCADE, db_index=True
    )
    from_stage = fields.CharEnumField(PipelineStage, max_length=16, null=True)
    from_custom_stage_id = fields.BigIntField(null=True)
    to_stage = fields.CharEnumField(PipelineStage, max_length=16)
    to_custom_stage_id = fields.BigIntField(null=True)
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="pipeline_moves", null=True, on_delete=fields.SET_NULL, db_index=True
    )
    trigger = fields.CharField(max_length=32, null=True)  # None for a manual move
    reason = fields.CharField(max_length=500, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    entry_id: int
    actor_id: int | None

    class Meta:
        table = "hiring_pipeline_move"
        indexes = (("entry_id", "created_at"),)


class PipelineNote(Model):
    """A markdown note of a colleague on an entry. The data of the company, never of the candidate."""

    id = fields.BigIntField(primary_key=True)
    entry: fields.ForeignKeyRelation[PipelineEntry] = fields.ForeignKeyField(
        "models.PipelineEntry", related_name="notes", on_delete=fields.CASCADE, db_index=True
    )
    author: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="pipeline_notes", null=True, on_delete=fields.SET_NULL, db_index=True
    )
    body = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    entry_id: int
    author_id: int | None

    class Meta:
        table = "hiring_pipeline_note"


class PipelineTag(Model):
    """A label a company defines for its pipelines."""

    id = fields.BigIntField(primary_key=True)
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="pipeline_tags", on_delete=fields.CASCADE, db_index=True
    )
    name = fields.CharField(max_length=40)
    created_at = fields.DatetimeField(auto_now_add=True)

    company_id: int

    class Meta:
        table = "hiring_pipeline_tag"
        unique_together = (("company", "name"),)


class PipelineEntryTag(Model):
    id = fields.BigIntField(primary_key=True)
    entry: fields.ForeignKeyRelation[PipelineEntry] = fields.ForeignKeyField(
        "models.PipelineEntry", related_name="entry_tags", on_delete=fields.CASCADE, db_index=True
    )
    tag: fields.ForeignKeyRelation[PipelineTag] = fields.ForeignKeyField(
        "models.PipelineTag", related_name="entry_tags", on_delete=fields.CASCADE, db_index=True
    )

    entry_id: int
    tag_id: int

    class Meta:
        table = "hiring_pipeline_entry_tag"
        unique_together = (("entry", "tag"),)


class PipelineRating(Model):
    """The rating of an entry by one colleague (one each, changed in place)."""

    id = fields.BigIntField(primary_key=True)
    entry: fields.ForeignKeyRelation[PipelineEntry] = fields.ForeignKeyField(
        "models.PipelineEntry", related_name="ratings", on_delete=fields.CASCADE, db_index=True
    )
    author: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="pipeline_ratings", on_delete=fields.CASCADE, db_index=True
    )
    score = fields.SmallIntField()
    recommendation = fields.CharEnumField(Recommendation, max_length=16)
    updated_at = fields.DatetimeField(auto_now=True)

    entry_id: int
    author_id: int

    class Meta:
        table = "hiring_pipeline_rating"
        unique_together = (("entry", "author"),)
