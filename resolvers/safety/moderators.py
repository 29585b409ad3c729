"""Moderators are made only from the command line (``openforwork create-moderator``):
no API operation creates one or turns an account into one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from models.accounts import Role, User
from resolvers.accounts.commands import EMAIL_MAX_LENGTH, normalise_email
from resolvers.accounts.passwords import check_password, hash_password
from resolvers.audit import record
from resolvers.errors import Problems, UserErrorCode, UserErrors

if TYPE_CHECKING:
    from graph.settings import Settings


async def create_moderator(settings: Settings, *, email: str, password: str, display_name: str) -> User:
    """A new MODERATOR account (no company, no profile), recorded in the audit log."""
    problems = Problems()
    email = normalise_email(email)
    if not email or "@" not in email or len(email) > EMAIL_MAX_LENGTH:
        problems.add(UserErrorCode.INVALID_EMAIL, "Enter a valid email address.", "email")
    check_password(problems, password)
    display_name = display_name.strip()[:100] or "Moderator"
    problems.raise_if_any()
    if await User.filter(email=email).exists():
        raise UserErrors.single(UserErrorCode.EMAIL_TAKEN, "An account with this email already exists.", ["email"])
    password_hash = await hash_password(settings, password)
    async with in_transaction():
        user = await User.create(email=email, password_hash=password_hash, role=Role.MODERATOR, display_name=display_name)
        await record("moderator.created", actor_id=None, target_type="User", target_id=user.pk)
    return user
