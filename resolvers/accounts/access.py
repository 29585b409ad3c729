"""Who is signed in, and who may see what of an account.

Tokens are opaque (``ofw_`` and 43 random characters), handed out once and stored only
as a keyed digest; each has an expiry and can be revoked. ``authenticate`` turns a bearer
token into a ``Session`` (the user and the token that proved it), reading the token row
from the database or, for a token seen moments ago, from the per-process session cache
(``resolvers.accounts.sessions``), which every revocation evicts on every worker.

The per-object rules of the ``User`` and ``Company`` types live here too: which accounts
``node(id:)`` reveals, and who sees an email address or an invitation code.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from models.accounts import AuthToken, Company, CompanyRole, JoinRequest, User
from resolvers.accounts.sessions import Session as Session
from resolvers.accounts.sessions import SessionCache, shallow_copy
from resolvers.errors import Forbidden, Unauthenticated

if TYPE_CHECKING:
    from graph.settings import Settings

TOKEN_PREFIX = "ofw_"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@functools.lru_cache(maxsize=4)  # one entry per secret key in use: one per process (tests use a few)
def _keyed_sha256(key: bytes) -> tuple[Any, Any]:
    """HMAC-SHA256's inner and outer hashes after the padded key (RFC 2104), to be copied
    per digest: ``hmac.new`` builds them anew each call, ~1 µs more per request."""
    if len(key) > _SHA256_BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_SHA256_BLOCK, b"\0")
    return hashlib.sha256(key.translate(_IPAD)), hashlib.sha256(key.translate(_OPAD))


_SHA256_BLOCK = 64
_IPAD = bytes(x ^ 0x36 for x in range(256))
_OPAD = bytes(x ^ 0x5C for x in range(256))


def token_digest(settings: Settings, raw_token: str) -> str:
    """Tokens are stored only as a keyed digest: a leaked table reveals no usable token.
    HMAC-SHA256 by the secret key, as ``hmac.new(key, token, sha256).hexdigest()``."""
    inner_start, outer_start = _keyed_sha256(settings.secret_key.encode())
    inner = inner_start.copy()
    inner.update(raw_token.encode())
    outer = outer_start.copy()
    outer.update(inner.digest())
    return str(outer.hexdigest())


async def issue_token(settings: Settings, user: User) -> tuple[str, Session]:
    """A new random token (returned once, in clear) and the session it opens."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = await AuthToken.create(
        user=user,
        token_hash=token_digest(settings, raw),
        expires_at=utcnow() + timedelta(seconds=settings.token_ttl_seconds),
    )
    return raw, Session(user=user, token=token)


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
        # Tortoise types the query's related-model index with ``Table | str`` and its
        # executor's parameter with ``str``; the value goes from one to the other unchanged.
        related_idx: Any = template._select_related_idx
        compiled = _TOKEN_WITH_USER[db.capabilities.dialect] = (sql, related_idx)
    sql, related = compiled
    rows = await db.executor_class(model=AuthToken, db=db, select_related_idx=related).execute_select(
        sql, [token_hash]
    )
    return rows[0] if rows else None


async def authenticate(settings: Settings, raw_token: str, cache: SessionCache | None = None) -> Session | None:
    """The session a bearer token proves, or ``None`` if unknown, expired or revoked.
    With ``cache``, a token read moments ago is answered without the database."""
    if not raw_token.startswith(TOKEN_PREFIX) or len(raw_token) > 200:
        return None
    digest = token_digest(settings, raw_token)
    generation = 0
    if cache is not None:
        cached = cache.get(digest)
        if cached is not None and cached.token.expires_at > utcnow():
            return cached
        generation = cache.generation
    token = await _token_with_user(digest)
    if token is None or token.revoked_at is not None or token.expires_at <= utcnow():
        return None
    if token.user.deleted_at is not None or token.user.suspended_at is not None:
        return None
    session = Session(user=token.user, token=token)
    if cache is not None:
        cache.put(digest, Session(user=shallow_copy(token.user), token=shallow_copy(token)), generation)
    return session


async def is_token_active(token_id: int) -> bool:
    """Is the token still neither revoked nor expired? Read from the database, so a
    revocation on any worker counts (WebSockets check it before every operation)."""
    return await AuthToken.filter(id=token_id, revoked_at=None, expires_at__gt=utcnow()).exists()


def can_see_user(viewer: User | None, user: User) -> bool:
    """``node(id:)`` reveals an account only to the user themself and to colleagues of
    the same company; never a deleted one."""
    if viewer is None or user.deleted_at is not None:
        return False
    if viewer.pk == user.pk:
        return True
    return viewer.company_id is not None and viewer.company_id == user.company_id


def can_see_companies(viewer: User | None) -> bool:
    """``node(id:)`` reveals companies to anyone signed in."""
    return viewer is not None


def email_for(viewer: User | None, user: User) -> str | None:
    """A sign-in email is shown to its owner only."""
    return user.email if viewer is not None and viewer.pk == user.pk else None


def is_admin_of(viewer: User | None, company_id: int | None) -> bool:
    return (
        viewer is not None
        and company_id is not None
        and viewer.company_id == company_id
        and viewer.company_role == CompanyRole.ADMIN
    )


def invitation_code_for(viewer: User | None, company: Company) -> str | None:
    """A company's invitation code is shown to its admins only."""
    return company.invitation_code if is_admin_of(viewer, company.pk) else None


def company_settings_visible(viewer: User | None, company: Company) -> bool:
    """A company's admission settings are shown to its members."""
    return viewer is not None and viewer.company_id == company.pk


def email_confirmed_for(viewer: User | None, user: User) -> bool | None:
    """Whether an account's email is confirmed: its owner only."""
    if viewer is None or viewer.pk != user.pk:
        return None
    return user.email_confirmed_at is not None


def company_role_for(viewer: User | None, user: User) -> CompanyRole | None:
    """A member's role: shown to the member and their colleagues."""
    if viewer is not None and user.company_id is not None and (viewer.pk == user.pk or viewer.company_id == user.company_id):
        return user.company_role
    return None


def can_see_join_request(viewer: User | None, request: JoinRequest) -> bool:
    """A join request is seen by the person who asked and the admins of the company."""
    return viewer is not None and (viewer.pk == request.user_id or is_admin_of(viewer, request.company_id))


def require_member(user: User | None) -> User:
    """The signed-in member of a company (UNAUTHENTICATED / FORBIDDEN otherwise)."""
    if user is None:
        raise Unauthenticated()
    if user.company_id is None:
        raise Forbidden("Only members of a company can do this.")
    return user


def require_admin(user: User | None) -> User:
    """The signed-in admin of a company (UNAUTHENTICATED / FORBIDDEN otherwise)."""
    member = require_member(user)
    if member.company_role != CompanyRole.ADMIN:
        raise Forbidden("Only admins of your company can do this.")
    return member
