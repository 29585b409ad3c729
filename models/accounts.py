"""Accounts: users, companies, bearer tokens and sign-in throttling."""

from __future__ import annotations

from enum import Enum

from tortoise import fields
from tortoise.models import Model


class Role(str, Enum):
    CANDIDATE = "CANDIDATE"
    EMPLOYER = "EMPLOYER"
    # Created only from the command line (``openforwork create-moderator``), never by signUp.
    MODERATOR = "MODERATOR"


class CompanyRole(str, Enum):
    """A member's rights in their company: admins manage members and settings."""

    ADMIN = "ADMIN"
    MEMBER = "MEMBER"


class VerificationMethod(str, Enum):
    """How a company's identity was established."""

    WORK_EMAIL = "WORK_EMAIL"


class JoinRequestStatus(str, Enum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    REFUSED = "REFUSED"


class Company(Model):
    """An employer organisation. Employers belong to exactly one company."""

    id = fields.BigIntField(primary_key=True)
    name = fields.CharField(max_length=200)
    website = fields.CharField(max_length=500, null=True)
    # The email domain of the company's employers once it is verified (lower case).
    domain = fields.CharField(max_length=253, null=True, db_index=True)
    verified = fields.BooleanField(default=False)
    # Set with ``verified``: how and when (a member confirmed an email at ``domain``).
    verification_method = fields.CharEnumField(VerificationMethod, max_length=16, null=True)
    verified_at = fields.DatetimeField(null=True)
    # One company per verified domain: the unique claim (lower case), set when verified.
    claimed_domain = fields.CharField(max_length=253, null=True, unique=True)
    # Confirmed sign-ups at the domain join at once instead of asking the admins.
    auto_accept_domain_members = fields.BooleanField(default=False)
    # Subdomains (jobs.acme.com) belong to this company unless this is false.
    includes_subdomains = fields.BooleanField(default=True)
    invitation_code = fields.CharField(max_length=64, unique=True)
    # Set while moderators suspend the company (models/safety.py holds the why).
    suspended_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "company"


class User(Model):
    """A person who signs in: a candidate or an employer."""

    id = fields.BigIntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)  # stored lower-cased
    password_hash = fields.CharField(max_length=255)
    role = fields.CharEnumField(Role, max_length=16)
    display_name = fields.CharField(max_length=100)
    # When the user proved they read mail at ``email`` (confirmEmail); null until then.
    email_confirmed_at = fields.DatetimeField(null=True)
    # The member's rights in ``company``; null without a company.
    company_role: fields.Field[CompanyRole | None] = fields.CharEnumField(CompanyRole, max_length=16, null=True)  # type: ignore[assignment]  # Tortoise types a nullable enum field as the enum alone
    company: fields.ForeignKeyNullableRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="employees", null=True, on_delete=fields.SET_NULL,
        db_index=True,
    )
    deleted_at = fields.DatetimeField(null=True)
    # Set while moderators suspend the account or its company (models/safety.py holds the why).
    suspended_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    company_id: int | None

    class Meta:
        table = "user"

    @property
    def is_employer(self) -> bool:
        return self.role == Role.EMPLOYER

    @property
    def is_candidate(self) -> bool:
        return self.role == Role.CANDIDATE

    @property
    def is_moderator(self) -> bool:
        return self.role == Role.MODERATOR


class AuthToken(Model):
    """An opaque bearer token. Only its keyed SHA-256 digest is stored (no semicolons in model docstrings: Tortoise splits SQLite DDL on them)."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="tokens", on_delete=fields.CASCADE, db_index=True
    )
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    user_id: int

    class Meta:
        table = "auth_token"


class LoginAttempt(Model):
    """A failed sign-in, kept for the rate limit per email and per client address."""

    id = fields.BigIntField(primary_key=True)
    email = fields.CharField(max_length=254, db_index=True)
    client_address = fields.CharField(max_length=64, db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "login_attempt"


class EmailConfirmation(Model):
    """A code sent to a user to confirm their email. Only its keyed digest is stored, it expires, and a fixed number of wrong tries spends it."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="email_confirmations", on_delete=fields.CASCADE, db_index=True
    )
    code_hash = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    expires_at = fields.DatetimeField()
    failed_attempts = fields.IntField(default=0)
    # Set when the code was used or replaced by a newer one.
    spent_at = fields.DatetimeField(null=True)

    user_id: int

    class Meta:
        table = "email_confirmation"


class JoinRequest(Model):
    """A confirmed sign-up at a company's verified domain asking to join it, decided by the company's admins."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="join_requests", on_delete=fields.CASCADE, db_index=True
    )
    company: fields.ForeignKeyRelation[Company] = fields.ForeignKeyField(
        "models.Company", related_name="join_requests", on_delete=fields.CASCADE, db_index=True
    )
    status = fields.CharEnumField(JoinRequestStatus, max_length=16, default=JoinRequestStatus.PENDING)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    decided_at = fields.DatetimeField(null=True)
    decided_by_id = fields.BigIntField(null=True)

    user_id: int
    company_id: int

    class Meta:
        table = "join_request"
