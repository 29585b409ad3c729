"""Inputs and payloads of the accounts mutations. ``signUp`` and ``logIn`` share one
payload shape (``AuthPayload``); ``logOut`` has its own."""

from __future__ import annotations

import strawberry

from graph.types.accounts.types import Role, User
from graph.types.common import UserError


@strawberry.input(description="A new account. Employers either create a company or join one.")
class SignUpInput:
    email: str = strawberry.field(description="Sign-in email, at most 254 characters; stored lower case; unique.")
    password: str = strawberry.field(description="At least 10 and at most 256 characters.")
    display_name: str = strawberry.field(description="Name shown to others, 1–100 characters.")
    role: Role = strawberry.field(description="CANDIDATE or EMPLOYER; cannot be changed later.")  # type: ignore[valid-type]  # describe_enum returns the strawberry enum as a value
    company_name: str | None = strawberry.field(
        default=None, description="Employers creating a company: its name, 1–200 characters."
    )
    company_website: str | None = strawberry.field(
        default=None, description="Employers creating a company: its website, http(s), at most 500 characters."
    )
    invitation_code: str | None = strawberry.field(
        default=None, description="Employers joining an existing company: the code a member shared."
    )


@strawberry.input(description="Credentials to sign in with.")
class LogInInput:
    email: str = strawberry.field(description="The account's email (any case).")
    password: str = strawberry.field(description="The account's password.")


@strawberry.input(description="Options for signing out.")
class LogOutInput:
    everywhere: bool = strawberry.field(
        default=False, description="Also revoke every other token of this account (all devices)."
    )


@strawberry.type(description="Result of `signUp` and `logIn`.")
class AuthPayload:
    token: str | None = strawberry.field(
        description="Bearer token: send `Authorization: Bearer <token>` on HTTP, or `{\"authorization\": \"Bearer <token>\"}` as the WebSocket connection_init payload. Null when `userErrors` is not empty."
    )
    viewer: User | None = strawberry.field(description="The signed-in user; null on failure.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of `logOut`.")
class LogOutPayload:
    revoked_tokens: int = strawberry.field(description="How many tokens were revoked (1, or more with `everywhere`).")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")
