"""Profiles: the candidate's profile, its parts, endorsements, blocks and access log."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.accounts import Company, User


class RemotePreference(str, Enum):
    ONSITE = "ONSITE"
    HYBRID = "HYBRID"
    REMOTE = "REMOTE"


class OpenToWork(str, Enum):
    ACTIVELY_LOOKING = "ACTIVELY_LOOKING"
    OPEN = "OPEN"
    NOT_LOOKING = "NOT_LOOKING"
    HIRED = "HIRED"


class Visibility(str, Enum):
    PUBLIC = "PUBLIC"
    EMPLOYERS = "EMPLOYERS"
    HIDDEN = "HIDDEN"


class ContactPolicy(str, Enum):
    """Which companies may reach a candidate (see her, for EMPLOYERS-only profiles, and contact her)."""

    VERIFIED_COMPANIES = "VERIFIED_COMPANIES"
    ANY_COMPANY = "ANY_COMPANY"


class SalaryPeriod(str, Enum):
    HOUR = "HOUR"
    MONTH = "MONTH"
    YEAR = "YEAR"


class WorkSampleKind(str, Enum):
    CODE = "CODE"
    DESIGN = "DESIGN"
    WRITING = "WRITING"
    VIDEO = "VIDEO"
    OTHER = "OTHER"


class AccessKind(str, Enum):
    VIEW = "VIEW"
    REFERENCES_REVEALED = "REFERENCES_REVEALED"
    SEARCH_ALERT = "SEARCH_ALERT"


class Profile(Model):
    """One per candidate."""

    id = fields.BigIntField(primary_key=True)
    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="profile", on_delete=fields.CASCADE
    )
    handle = fields.CharField(max_length=40, unique=True)
    headline = fields.CharField(max_length=160, default="")
    summary = fields.TextField(default="")
    photo_url = fields.CharField(max_length=500, null=True)
    city = fields.CharField(max_length=100, null=True)
    country_code = fields.CharField(max_length=2, null=True, db_index=True)
    remote_preference = fields.CharEnumField(RemotePreference, max_length=16, null=True)
    open_to_work = fields.CharEnumField(
        OpenToWork, max_length=20, default=OpenToWork.NOT_LOOKING, db_index=True
    )
    visibility = fields.CharEnumField(Visibility, max_length=16, default=Visibility.HIDDEN)
    anonymous = fields.BooleanField(default=False)
    accept_contact_from = fields.CharEnumField(
        ContactPolicy, max_length=20, default=ContactPolicy.VERIFIED_COMPANIES
    )
    desired_roles: fields.JSONField[list[str]] = fields.JSONField(default=list)
    salary_min = fields.IntField(null=True)
    salary_max = fields.IntField(null=True)
    salary_currency = fields.CharField(max_length=3, null=True)
    salary_period = fields.CharEnumField(SalaryPeriod, max_length=8, null=True)
    available_from = fields.DateField(null=True)
    work_authorization: fields.JSONField[list[str]] = fields.JSONField(default=list)
    career_goals = fields.TextField(default="")
    stated_years_of_experience = fields.IntField(null=True)
    # Stated years, or derived from experience periods (overlaps merged) on every write.
    years_of_experience = fields.IntField(default=0)
    availability_confirmed_at = fields.DatetimeField(null=True)
    # IANA zone name (such as Europe/Berlin); interviews are shown in it.
    time_zone = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True, db_index=True)

    user_id: int

    class Meta:
        table = "profile"


class Skill(Model):
    id = fields.BigIntField(primary_key=True)
    profile: fields.ForeignKeyRelation[Profile] = fields.ForeignKeyField(
        "models.Profile", related_name="skills", on_delete=fields.CASCADE, db_index=True
    )
    name = fields.CharField(max_length=60)
    # Lower case, inner whitespace collapsed: "Machine  Learning" == "machine learning".
    normalized_name = fields.CharField(max_length=60, db_index=True)
    level = fields.SmallIntField()
    years = fields.SmallIntField(null=True)
    position = fields.IntField(default=0)

    profile_id: int

    class Meta:
        table = "skill"
        unique_together = (("profile", "normalized_name"),)


class Experience(Model):
    id = fields.BigIntField(primary_key=True)
    profile: fields.ForeignKeyRelation[Profile] = fields.ForeignKeyField(
        "models.Profile", related_name="experience", on_delete=fields.CASCADE, db_index=True
    )
    title = fields.CharField(max_length=120)
    company_name = fields.CharField(max_length=120)
    start_date = fields.DateField()
    end_date = fields.DateField(null=True)
    current = fields.BooleanField(default=False)
    description = fields.TextField(default="")
    position = fields.IntField(default=0)

    profile_id: int

    class Meta:
        table = "experience"


class Education(Model):
    id = fields.BigIntField(primary_key=True)
    profile: fields.ForeignKeyRelation[Profile] = fields.ForeignKeyField(
        "models.Profile", related_name="education", on_delete=fields.CASCADE, db_index=True
    )
    school = fields.CharField(max_length=160)
    degree = fields.CharField(max_length=120, default="")
    field_of_study = fields.CharField(max_length=120, default="")
    start_date = fields.DateField(null=True)
    end_date = fields.DateField(null=True)
    position = fields.IntField(default=0)

    profile_id: int

    class Meta:
        table = "education"


class WorkSample(Model):
    id = fields.BigIntField(primary_key=True)
    profile: fields.ForeignKeyRelation[Profile] = fields.ForeignKeyField(
        "models.Profile", related_name="work_samples", on_delete=fields.CASCADE, db_index=True
    )
    title = fields.CharField(max_length=120)
    url = fields.CharField(max_length=500)
    kind = fields.CharEnumField(WorkSampleKind, max_length=16, default=WorkSampleKind.OTHER)
    description = fields.TextField(default="")
    position = fields.IntField(default=0)

    profile_id: int

    class Meta:
        table = "work_sample"


class Reference(Model):
    """Private: contact details only for the owner and companies in an accepted conversation."""

    id = fields.BigIntField(primary_key=True)
    profile: fields.ForeignKeyRelation[Profile] = fields.ForeignKeyField(
        "models.Profile", related_name="references", on_delete=fields.CASCADE, db_index=True
    )
    name = fields.CharField(max_length=120)
    relationship = fields.CharField(max_length=120)
    contact = fields.CharField(max_length=254)
    position = fields.IntField(default=0)

    profile_id: int

    class Meta:
        table = "reference"


class Endorsement(Model):
    id = fields.BigIntField(primary_key=True)
    skill: fields.ForeignKeyRelation[Skill] = fields.ForeignKeyField(
        "models.Skill", related_name="endorsements", on_delete=fields.CASCADE, db_index=True
    )
    endorser: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="endorsements_given", on_delete=fields.CASCADE, db_index=True
    )
    comment = fields.CharField(max_length=500, default="")
    hidden = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    skill_id: int
    endorser_id: int

    class Meta:
        table = "endorsement"
        unique_together = (("skill", "endorser"),)


class Block(Model):
    """A candidate blocks one company, or every company whose verified domain matches."""

    id = fields.BigIntField(primary_key=True)
    profile: fields.ForeignKeyRelation[Profile] = fields.ForeignKeyField(
        "models.Profile", related_name="blocks", on_delete=fields.CASCADE, db_index=True
    )
    company: fields.ForeignKeyNullableRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="blocked_by", null=True, on_delete=fields.CASCADE,
        db_index=True,
    )
    domain = fields.CharField(max_length=253, null=True, db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    profile_id: int
    company_id: int | None

    class Meta:
        table = "block"


class AccessLogEntry(Model):
    """A company viewed the profile, revealed references, or received it in an alert."""

    id = fields.BigIntField(primary_key=True)
    profile: fields.ForeignKeyRelation[Profile] = fields.ForeignKeyField(
        "models.Profile", related_name="access_log", on_delete=fields.CASCADE, db_index=True
    )
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="access_log", on_delete=fields.CASCADE, db_index=True
    )
    viewer: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="access_log", null=True, on_delete=fields.SET_NULL,
        db_index=True,
    )
    kind = fields.CharEnumField(AccessKind, max_length=24)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    profile_id: int
    company_id: int
    viewer_id: int | None

    class Meta:
        table = "access_log_entry"
