"""Passwords: the length policy, argon2 hashing off the event loop, and a check that
takes as long for an unknown email as for a known one.

Argon2's cost comes from ``ARGON2_TIME_COST`` and ``ARGON2_MEMORY_KIB`` (``Settings.extra``;
tests lower them); hashing and verifying run in a worker thread.
"""

from __future__ import annotations

import asyncio
import secrets
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from resolvers.errors import Problems, UserErrorCode

if TYPE_CHECKING:
    from graph.settings import Settings

PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 256


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


# One throwaway hash per argon2 cost setting, made on first use.
_DUMMY_HASH: dict[tuple[str, str], str] = {}


async def spend_a_check(settings: Settings, password: str) -> None:
    """Verify ``password`` against a throwaway hash of the same cost: signing in with an
    unknown email takes as long as with a known one, so timing does not reveal it."""
    key = (str(settings.extra.get("ARGON2_TIME_COST", 2)), str(settings.extra.get("ARGON2_MEMORY_KIB", 0)))
    if key not in _DUMMY_HASH:
        _DUMMY_HASH[key] = await hash_password(settings, secrets.token_hex(16))
    await verify_password(settings, _DUMMY_HASH[key], password)


def check_password(problems: Problems, password: str) -> None:
    """A new password's length: at least ``PASSWORD_MIN_LENGTH``, at most ``PASSWORD_MAX_LENGTH``."""
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
