"""Inputs and payloads of the accounts mutations. ``signUp`` and ``logIn`` share one
payload shape (``AuthPayload``); ``logOut`` has its own."""

from __future__ import annotations

import strawberry

from graph.types.accounts.types import Company, CompanyRole, JoinRequest, Role, User
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


@strawberry.input(description="The code from the confirmation mail.")
class ConfirmEmailInput:
    code: str = strawberry.field(
        description="The 6-digit code mailed at sign-up or by `resendConfirmation`. It expires after 60 minutes and after 5 wrong tries; only the newest code counts."
    )


@strawberry.type(description="Result of `confirmEmail`.")
class ConfirmEmailPayload:
    viewer: User | None = strawberry.field(
        description="You, with `emailConfirmed` true, your company (now verified if you are its admin and confirmed an email at its own domain) or your `joinRequest`; null on failure."
    )
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of `resendConfirmation`.")
class ResendConfirmationPayload:
    sent: bool | None = strawberry.field(description="True when a new code was mailed; null on failure.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.input(description="A member of your company and the role to give them.")
class SetMemberRoleInput:
    user_id: strawberry.ID = strawberry.field(description="The member's `User` ID.")
    role: CompanyRole = strawberry.field(description="ADMIN or MEMBER.")  # type: ignore[valid-type]  # describe_enum returns the strawberry enum as a value


@strawberry.input(description="A member of your company to remove.")
class RemoveMemberInput:
    user_id: strawberry.ID = strawberry.field(description="The member's `User` ID (not your own: use `leaveCompany`).")


@strawberry.input(description="A join request to your company.")
class JoinRequestInput:
    join_request_id: strawberry.ID = strawberry.field(description="The `JoinRequest` ID from `joinRequests`.")


@strawberry.input(description="How your company's domain admits people; omitted fields stay as they are.")
class UpdateCompanySettingsInput:
    auto_accept_domain_members: bool | None = strawberry.field(
        default=None, description="Let confirmed sign-ups at the company's domain join at once (true) or ask the admins (false, the default)."
    )
    includes_subdomains: bool | None = strawberry.field(
        default=None, description="Whether subdomains of the company's domain belong to the company (true, the default)."
    )


@strawberry.type(description="Result of `setMemberRole`.")
class SetMemberRolePayload:
    member: User | None = strawberry.field(description="The member with their new role; null on failure.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of `removeMember`.")
class RemoveMemberPayload:
    removed_user_id: strawberry.ID | None = strawberry.field(description="The `User` ID of the removed member; null on failure.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of `leaveCompany`.")
class LeaveCompanyPayload:
    left: bool | None = strawberry.field(
        description="True when you left. Every token of your account was revoked (open subscriptions end): sign in again to continue without the company. Null on failure."
    )
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of the company mutations (`rotateInvitationCode`, `updateCompanySettings`).")
class CompanyPayload:
    company: Company | None = strawberry.field(description="The company as it is now; null on failure.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of a join request decision. Not in the schema itself: each mutation has its named subclass.")
class JoinRequestPayload:
    join_request: JoinRequest | None = strawberry.field(description="The decided join request; null on failure.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


@strawberry.type(description="Result of `acceptJoinRequest`: the person is now a MEMBER of your company.")
class AcceptJoinRequestPayload(JoinRequestPayload): ...


@strawberry.type(description="Result of `refuseJoinRequest`.")
class RefuseJoinRequestPayload(JoinRequestPayload): ...
