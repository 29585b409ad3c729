"""Accounts: sign-up, sign-in, opaque bearer tokens, companies and invitations."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.accounts import AuthToken, Company, LoginAttempt, Role, User
from models.profiles import Profile
from resolvers.errors import (
    Problems,
    RateLimited,
    Unauthenticated,
    UserErrorCode,
    UserErrors,
)
from resolvers.validation import name, url

if TYPE_CHECKING:
    from graph.settings import Settings

TOKEN_PREFIX = "ofw_"
PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 256
DISPLAY_NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254
COMPANY_NAME_MAX_LENGTH = 200
# Mail providers whose domain says nothing about an employer.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com",
        "icloud.com", "me.com", "proton.me", "protonmail.com", "gmx.de", "gmx.net", "web.de",
        "aol.com", "mail.com", "yandex.ru", "example.com", "example.org", "example.net",
    }
)
_EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}$"
)


def password_hasher(settings: Settings) -> PasswordHasher:
    return PasswordHasher(
        time_cost=int(settings.extra.get("ARGON2_TIME_COST", 2)),
        memory_cost=int(settings.extra.get("ARGON2_MEMORY_KIB", 19 * 1024)),
        parallelism=1,
    )


async def hash_password(settings: Settings, password: str) -> str:
    return await asyncio.to_thread(password_hasher(settings).hash, password)


async def verify_password(settings: Settings, password_hash: str, password: str) -> bool:
    def verify() -> bool:
        try:
            return password_hasher(settings).verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(verify)


def normalise_email(email: str) -> str:
    return unicodedata.normalize("NFKC", email).strip().lower()


def token_digest(settings: Settings, raw_token: str) -> str:
    """Tokens are stored only as a keyed digest: a leaked table reveals no usable token."""
    return hmac.new(settings.secret_key.encode(), raw_token.encode(), hashlib.sha256).hexdigest()


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Session:
    """A signed-in viewer and the token that proved it."""

    user: User
    token: AuthToken


def _check_email(problems: Problems, email: str) -> str:
    if len(email) > EMAIL_MAX_LENGTH:
        problems.add(UserErrorCode.TOO_LONG, f"Email must be at most {EMAIL_MAX_LENGTH} characters.", "email")
        return email[:EMAIL_MAX_LENGTH]
    normalised = normalise_email(email)
    if not _EMAIL_RE.match(normalised):
        problems.add(UserErrorCode.INVALID_EMAIL, "Enter a valid email address, like ada@example.com.", "email")
    return normalised


def _check_password(problems: Problems, password: str) -> None:
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.add(
            UserErrorCode.WEAK_PASSWORD,
            f"Password must be at least {PASSWORD_MIN_LENGTH} characters.",
            "password",
        )
    elif len(password) > PASSWORD_MAX_LENGTH:
        problems.add(
            UserErrorCode.TOO_LONG, f"Password must be at most {PASSWORD_MAX_LENGTH} characters.", "password"
        )






async def _unique_handle(display_name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", display_name).encode("ascii", "ignore").decode().lower()).strip("-")[:24] or "candidate"
    for _ in range(20):
        candidate = f"{base}-{secrets.token_hex(3)}"
        if not await Profile.filter(handle=candidate).exists():
            return candidate
    return f"candidate-{secrets.token_hex(8)}"


async def issue_token(settings: Settings, user: User) -> tuple[str, Session]:
    """A new random token (returned once, in clear) and the session it opens."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = await AuthToken.create(
        user=user,
        token_hash=token_digest(settings, raw),
        expires_at=_utcnow() + timedelta(seconds=settings.token_ttl_seconds),
    )
    return raw, Session(user=user, token=token)


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
    """Create an account. Candidates get an empty hidden profile; employers create a
    company (``company_name``) or join one (``invitation_code``). Returns the token and session."""
    problems = Problems()
    email = _check_email(problems, email)
    _check_password(problems, password)
    display_name = name(
        problems, display_name, "displayName", "Display name", maximum=DISPLAY_NAME_MAX_LENGTH, required=True
    )
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
    elif company_name or invitation_code or company_website:
        problems.add(UserErrorCode.INVALID, "Only employers belong to a company.", "role")
    problems.raise_if_any()
    if await User.filter(email=email).exists():
        raise UserErrors.single(UserErrorCode.EMAIL_TAKEN, "An account with this email already exists.", ["email"])
    password_hash = await hash_password(settings, password)
    try:
        async with in_transaction():
            if role == Role.EMPLOYER and company is None:
                domain = email.rsplit("@", 1)[1]
                is_company_domain = domain not in FREE_MAIL_DOMAINS
                company = await Company.create(
                    name=company_name,
                    website=company_website,
                    domain=domain if is_company_domain else None,
                    verified=is_company_domain,
                    invitation_code=secrets.token_urlsafe(18),
                )
            user = await User.create(
                email=email,
                password_hash=password_hash,
                role=role,
                display_name=display_name,
                company=company,
            )
            if role == Role.CANDIDATE:
                await Profile.create(user=user, handle=await _unique_handle(display_name))
            issued = await issue_token(settings, user)
    except IntegrityError:
        raise UserErrors.single(
            UserErrorCode.EMAIL_TAKEN, "An account with this email already exists.", ["email"]
        ) from None
    return issued


_DUMMY_HASH: dict[tuple[int, int], str] = {}


async def _reserve_attempt(settings: Settings, email: str, client_address: str) -> LoginAttempt:
    """Count the failures in the window and record this attempt, atomically.

    The attempt is written before the password is checked (and removed again on success):
    counting first and writing after the failure let every parallel guess through. The
    count and the write run in one transaction under a lock per email and per address
    (PostgreSQL advisory locks, taken in that order, so any worker queues there; SQLite
    runs one write transaction at a time), so of N parallel guesses exactly the allowed
    number get checked."""
    since = _utcnow() - timedelta(seconds=settings.login_window_seconds)
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
        # Spend the same time as a real check so timing does not reveal the email.
        key = (settings.extra.get("ARGON2_TIME_COST", 2), settings.extra.get("ARGON2_MEMORY_KIB", 0))
        if key not in _DUMMY_HASH:
            _DUMMY_HASH[key] = await hash_password(settings, secrets.token_hex(16))
        await verify_password(settings, _DUMMY_HASH[key], password)
        ok = False
    else:
        ok = await verify_password(settings, user.password_hash, password)
    if not ok or user is None:
        raise UserErrors.single(UserErrorCode.INVALID_CREDENTIALS, "Email or password is wrong.")
    await LoginAttempt.filter(id=attempt.pk).delete()
    return await issue_token(settings, user)


# ``authenticate`` runs on every request that carries a token. Tortoise rebuilds a
# QuerySet's SQL each time it is awaited: for this one (a join) that was ~40% of a
# trivial request's CPU. The statement never changes, only the digest does, so it is
# built once per SQL dialect by Tortoise itself and then executed by Tortoise's own
# executor: the same single indexed SELECT, the same model instances, read fresh from
# the database every time (a revoked token stops working at once).
_TOKEN_WITH_USER: dict[str, tuple[str, Any]] = {}


async def _token_with_user(token_hash: str) -> AuthToken | None:
    """``AuthToken.get_or_none(token_hash=…).select_related("user")``, precompiled."""
    db = AuthToken._meta.db
    compiled = _TOKEN_WITH_USER.get(db.capabilities.dialect)
    if compiled is None:
        template = AuthToken.filter(token_hash="").select_related("user").using_db(db)
        template._make_query()
        sql, params = template.query.get_parameterized_sql()
        assert params == [""], params  # the digest is the statement's only parameter
        compiled = _TOKEN_WITH_USER[db.capabilities.dialect] = (sql, template._select_related_idx)
    sql, related = compiled
    rows = await db.executor_class(model=AuthToken, db=db, select_related_idx=related).execute_select(
        sql, [token_hash]
    )
    return rows[0] if rows else None


async def authenticate(settings: Settings, raw_token: str) -> Session | None:
    """The session a bearer token proves, or ``None`` if unknown, expired or revoked."""
    if not raw_token.startswith(TOKEN_PREFIX) or len(raw_token) > 200:
        return None
    token = await _token_with_user(token_digest(settings, raw_token))
    if token is None or token.revoked_at is not None or token.expires_at <= _utcnow():
        return None
    if token.user.deleted_at is not None:
        return None
    return Session(user=token.user, token=token)


async def is_token_active(token_id: int) -> bool:
    return await AuthToken.filter(
        id=token_id, revoked_at=None, expires_at__gt=_utcnow()
    ).exists()


async def log_out(session: Session | None) -> AuthToken:
    """Revoke the token the request was made with."""
    if session is None:
        raise Unauthenticated()
    await AuthToken.filter(id=session.token.pk, revoked_at=None).update(revoked_at=_utcnow())
    return session.token


async def revoke_all_tokens(user_id: int) -> list[int]:
    ids = await AuthToken.filter(user_id=user_id, revoked_at=None).values_list("id", flat=True)
    await AuthToken.filter(id__in=ids).update(revoked_at=_utcnow())
    return list(ids)


def require_user(session: Session | None) -> User:
    if session is None:
        raise Unauthenticated()
    return session.user
