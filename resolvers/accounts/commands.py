"""Writes of accounts: sign up (creating or joining a company), log in, log out.

Each returns what the mutation shows or raises ``UserErrors`` (nothing changed) or an
``ApiError`` (``Unauthenticated``, ``RateLimited``). ``log_out`` announces the revoked
tokens after they are committed (``resolvers.accounts.events``).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from datetime import timedelta
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.accounts import AuthToken, Company, CompanyRole, LoginAttempt, Role, User
from models.profiles import Profile
from resolvers.accounts.access import Session, issue_token, utcnow
from resolvers.accounts.companies import claiming_company, create_company, join
from resolvers.accounts.confirmation import send_code
from resolvers.accounts.domains import domain_of
from resolvers.accounts.events import announce_revoked_tokens
from resolvers.accounts.passwords import (
    PASSWORD_MAX_LENGTH,
    check_password,
    hash_password,
    spend_a_check,
    verify_password,
)
from resolvers.errors import Problems, RateLimited, Unauthenticated, UserErrorCode, UserErrors
from resolvers.validation import name, url

if TYPE_CHECKING:
    from graph.settings import Settings
    from resolvers.events import Publisher

DISPLAY_NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254
COMPANY_NAME_MAX_LENGTH = 200
_EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}$"
)


def normalise_email(email: str) -> str:
    return unicodedata.normalize("NFKC", email).strip().lower()


def _check_email(problems: Problems, email: str) -> str:
    if len(email) > EMAIL_MAX_LENGTH:
        problems.add(UserErrorCode.TOO_LONG, f"Email must be at most {EMAIL_MAX_LENGTH} characters.", "email")
        return email[:EMAIL_MAX_LENGTH]
    normalised = normalise_email(email)
    if not _EMAIL_RE.match(normalised):
        problems.add(UserErrorCode.INVALID_EMAIL, "Enter a valid email address, like ada@example.com.", "email")
    return normalised


async def _unique_handle(display_name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", display_name).encode("ascii", "ignore").decode().lower()).strip("-")[:24] or "candidate"
    for _ in range(20):
        candidate = f"{base}-{secrets.token_hex(3)}"
        if not await Profile.filter(handle=candidate).exists():
            return candidate
    return f"candidate-{secrets.token_hex(8)}"


async def _company_to_join_or_create(
    problems: Problems,
    role: Role,
    company_name: str | None,
    company_website: str | None,
    invitation_code: str | None,
) -> tuple[Company | None, str | None, str | None]:
    """Check the company part of a sign-up: employers create a company (name, website)
    or join one (invitation code); candidates give none. Returns the company to join
    (``None`` to create one) and the cleaned name and website."""
    company: Company | None = None
    if role == Role.EMPLOYER:
        if invitation_code and company_name:
            problems.add(
                UserErrorCode.INVALID,
                "Give either companyName (to create a company) or invitationCode (to join one), not both.",
                "companyName",
            )
        elif invitation_code:
            if len(invitation_code) > 64 or not (
                company := await Company.get_or_none(invitation_code=invitation_code.strip())
            ):
                problems.add(UserErrorCode.INVALID_INVITATION, "This invitation code is not valid.", "invitationCode")
        else:
            company_name = name(
                problems, company_name, "companyName", "Company name", maximum=COMPANY_NAME_MAX_LENGTH, required=True
            )
            company_website = url(problems, company_website, "companyWebsite", "Company website")
    elif role == Role.MODERATOR:
        problems.add(UserErrorCode.INVALID, "Moderators are created from the command line only.", "role")
    elif company_name or invitation_code or company_website:
        problems.add(UserErrorCode.INVALID, "Only employers belong to a company.", "role")
    return company, company_name, company_website


def _email_taken() -> UserErrors:
    return UserErrors.single(UserErrorCode.EMAIL_TAKEN, "An account with this email already exists.", ["email"])


async def sign_up(
    settings: Settings,
    *,
    email: str,
    password: str,
    display_name: str,
    role: Role,
    company_name: str | None = None,
    company_website: str | None = None,
    invitation_code: str | None = None,
) -> tuple[str, Session]:
    """Create an account and mail its confirmation code (same transaction). Candidates
    get an empty hidden profile; employers join a company (``invitation_code``) or create
    one (``company_name``, unverified until its admin confirms a work email), except at a
    domain a verified company claims: then no company is created and confirming the email
    asks to join that company (``resolvers.accounts.companies``). Returns the token and session."""
    problems = Problems()
    email = _check_email(problems, email)
    check_password(problems, password)
    display_name = name(
        problems, display_name, "displayName", "Display name", maximum=DISPLAY_NAME_MAX_LENGTH, required=True
    )
    company, company_name, company_website = await _company_to_join_or_create(
        problems, role, company_name, company_website, invitation_code
    )
    problems.raise_if_any()
    if await User.filter(email=email).exists():
        raise _email_taken()
    password_hash = await hash_password(settings, password)
    try:
        async with in_transaction():
            user = await User.create(email=email, password_hash=password_hash, role=role, display_name=display_name)
            if company is not None:
                await join(user, company, CompanyRole.MEMBER, actor_id=user.pk, how="invitation_code")
            elif role == Role.EMPLOYER and await claiming_company(domain_of(email)) is None:
                await create_company(user, company_name, company_website, secrets.token_urlsafe(18))
            if role == Role.CANDIDATE:
                await Profile.create(user=user, handle=await _unique_handle(display_name))
            await send_code(settings, user)
            issued = await issue_token(settings, user)
    except IntegrityError:
        raise _email_taken() from None
    return issued


async def _reserve_attempt(settings: Settings, email: str, client_address: str) -> LoginAttempt:
    """Count the failures in the window and record this attempt, atomically.

    The attempt is written before the password is checked (and removed again on success):
    counting first and writing after the failure let every parallel guess through. The
    count and the write run in one transaction under a lock per email and per address
    (PostgreSQL advisory locks, taken in that order, so any worker queues there; SQLite
    runs one write transaction at a time), so of N parallel guesses exactly the allowed
    number get checked."""
    since = utcnow() - timedelta(seconds=settings.login_window_seconds)
    limit = settings.login_attempts_per_window
    async with in_transaction() as connection:
        if connection.capabilities.dialect == "postgres":
            for key in (f"login-email:{email}", f"login-address:{client_address}"):
                await connection.execute_query("SELECT pg_advisory_xact_lock($1)", [_lock_key(key)])
        if (
            await LoginAttempt.filter(email=email, created_at__gte=since).count() >= limit
            or await LoginAttempt.filter(client_address=client_address, created_at__gte=since).count() >= limit
        ):
            raise RateLimited(
                f"Too many failed sign-in attempts; wait {settings.login_window_seconds // 60 or 1} minutes and try again.",
                retryAfterSeconds=settings.login_window_seconds,
            )
        return await LoginAttempt.create(email=email, client_address=client_address)


def _lock_key(name: str) -> int:
    """A signed 64-bit advisory-lock key for ``name``."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


async def log_in(
    settings: Settings, *, email: str, password: str, client_address: str
) -> tuple[str, Session]:
    """Exchange email and password for a token. Failures never say whether the email
    exists; repeated failures per email or per client address are rate limited."""
    email = normalise_email(email)[:EMAIL_MAX_LENGTH]
    password = password[:PASSWORD_MAX_LENGTH * 4]
    attempt = await _reserve_attempt(settings, email, client_address[:64])
    user = await User.get_or_none(email=email, deleted_at=None)
    if user is None:
        await spend_a_check(settings, password)
        ok = False
    else:
        ok = await verify_password(settings, user.password_hash, password)
    if not ok or user is None:
        raise UserErrors.single(UserErrorCode.INVALID_CREDENTIALS, "Email or password is wrong.")
    if user.suspended_at is not None:
        raise UserErrors.single(UserErrorCode.ACCOUNT_SUSPENDED, "Moderators suspended this account.")
    await LoginAttempt.filter(id=attempt.pk).delete()
    return await issue_token(settings, user)


async def revoke_all_tokens(user_id: int) -> list[int]:
    """Revoke every live token of the account; returns their ids (to announce)."""
    ids: list[int] = await AuthToken.filter(user_id=user_id, revoked_at=None).values_list("id", flat=True)  # type: ignore[assignment]  # flat=True yields the ids themselves
    await AuthToken.filter(id__in=ids).update(revoked_at=utcnow())
    return list(ids)


async def log_out(publisher: Publisher, session: Session | None, *, everywhere: bool = False) -> list[int]:
    """Revoke the token the request was made with (with ``everywhere``, every token of
    the account), then announce the revoked ids so subscriptions opened with them end.
    Returns the revoked token ids."""
    if session is None:
        raise Unauthenticated()
    if everywhere:
        revoked = await revoke_all_tokens(session.user.pk)
    else:
        await AuthToken.filter(id=session.token.pk, revoked_at=None).update(revoked_at=utcnow())
        revoked = [session.token.pk]
    await announce_revoked_tokens(publisher, session.user.pk, revoked)
    return revoked
