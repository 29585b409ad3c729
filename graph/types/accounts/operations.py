"""The accounts roots: ``viewer``, ``companyMembers``, ``joinRequests``; ``signUp``,
``logIn``, ``logOut``, ``confirmEmail``, ``resendConfirmation`` and the company
governance mutations (``CompanyMutation``)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated

import strawberry

from graph.context import Context, Info
from graph.types.accounts.inputs import (
    AcceptJoinRequestPayload,
    AuthPayload,
    CompanyPayload,
    ConfirmEmailInput,
    ConfirmEmailPayload,
    JoinRequestInput,
    LeaveCompanyPayload,
    LogInInput,
    LogOutInput,
    LogOutPayload,
    RefuseJoinRequestPayload,
    RemoveMemberInput,
    RemoveMemberPayload,
    ResendConfirmationPayload,
    SetMemberRoleInput,
    SetMemberRolePayload,
    SignUpInput,
    UpdateCompanySettingsInput,
)
from graph.types.accounts.types import JoinRequest, User
from graph.types.common import Connection, pk_of
from graph.types.mutations import done, payload_mutation
from models.accounts import User as UserRow
from resolvers import accounts as accounts_rules
from resolvers.accounts import companies, confirmation, members, queries
from resolvers.accounts.access import Session
from resolvers.ids import to_global_id


@strawberry.type
class AccountsQuery:
    @strawberry.field(
        description="The signed-in user, or null when no token is sent. An expired or revoked token is an UNAUTHENTICATED error."
    )
    def viewer(self, info: Info) -> User | None:
        if info.context.session is None and info.context.token_problem:
            info.context.require_viewer()
        return info.context.viewer  # type: ignore[return-value]  # a models.accounts.User row; the User type resolves from it

    @strawberry.field(
        description="The members of your company (you included), longest-standing first, with their `companyRole`. Any member may list them; UNAUTHENTICATED without a token, FORBIDDEN without a company. `first` at most 100, default 20."
    )
    async def company_members(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description="Page size, 0–100, default 20.")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor of the last member of the previous page.")] = None,
    ) -> Connection[User]:
        page = await queries.company_members_page(info.context.viewer, first=first, after=after)
        return Connection[User].from_page(page)

    @strawberry.field(
        description="Pending requests to join your company, oldest first. Admins only (FORBIDDEN for members). `first` at most 100, default 20."
    )
    async def join_requests(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description="Page size, 0–100, default 20.")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor of the last request of the previous page.")] = None,
    ) -> Connection[JoinRequest]:
        page = await queries.join_requests_page(info.context.viewer, first=first, after=after)
        return Connection[JoinRequest].from_page(page)


async def _signed_in(context: Context, call: Awaitable[tuple[str, Session]]) -> tuple[str, UserRow]:
    """The rest of this request runs as the new session (``viewer`` in the payload)."""
    token, session = await call
    context.session = session
    return token, session.user


async def _confirmed(context: Context, call: Awaitable[UserRow]) -> UserRow:
    """The rest of this request sees the viewer's email confirmed."""
    user = await call
    if context.session is not None:
        context.session = Session(user=user, token=context.session.token)
    return user


async def _user_id(call: Awaitable[int]) -> strawberry.ID:
    return strawberry.ID(to_global_id("User", await call))


@strawberry.type
class AccountsMutation:
    sign_up = payload_mutation(
        description="Create an account and sign in; a 6-digit code is mailed to the email (confirm it with `confirmEmail`). Candidates get an empty, hidden profile with a unique handle; employers join a company as MEMBER (`invitationCode`) or create one as its ADMIN (`companyName`, unverified until the admin confirms an email at the company's own domain). At a domain a verified company already claims no second company is created: the employer starts without a company and confirming the email sends a join request to that company (or joins it at once if it allows).",
        input=(SignUpInput, "The new account."),
        payload=AuthPayload,
        field=("token", "viewer"),
        rule=lambda c, input: _signed_in(c, accounts_rules.sign_up(
            c.settings,
            email=input.email,
            password=input.password,
            display_name=input.display_name,
            role=input.role,
            company_name=input.company_name,
            company_website=input.company_website,
            invitation_code=input.invitation_code,
        )),
    )
    log_in = payload_mutation(
        description="Sign in with email and password. A failure never says whether the email exists; repeated failures are rate limited per email and per client address (RATE_LIMITED error).",
        input=(LogInInput, "Email and password."),
        payload=AuthPayload,
        field=("token", "viewer"),
        rule=lambda c, input: _signed_in(c, accounts_rules.log_in(
            c.settings, email=input.email, password=input.password, client_address=c.client_address
        )),
    )

    @strawberry.mutation(
        description="Revoke the token this request was made with (and, with `everywhere`, all others). Subscriptions opened with a revoked token end."
    )
    async def log_out(
        self,
        info: Info,
        input: Annotated[
            LogOutInput | None, strawberry.argument(description="Options; omit to revoke only this token.")
        ] = None,
    ) -> LogOutPayload:
        info.context.require_viewer()
        revoked = await accounts_rules.log_out(
            info.context.broker, info.context.session, everywhere=input is not None and input.everywhere
        )
        return LogOutPayload(revoked_tokens=len(revoked), user_errors=[])

    confirm_email = payload_mutation(
        description="Confirm your email with the code we mailed you. Wrong codes are WRONG_CONFIRMATION_CODE (5 tries per code), old ones CONFIRMATION_EXPIRED. Confirming an email at your company's own domain verifies the company if you are its admin; at a domain another company claims, it sends that company a join request. Confirming twice changes nothing.",
        input=(ConfirmEmailInput, "The code."),
        payload=ConfirmEmailPayload,
        field="viewer",
        rule=lambda c, input: _confirmed(c, confirmation.confirm_email(c.settings, c.broker, c.require_viewer(), input.code)),
    )
    resend_confirmation = payload_mutation(
        description="Mail a new confirmation code (the old one stops working). At most one a minute and 5 an hour (RATE_LIMITED); ALREADY_CONFIRMED once confirmed.",
        payload=ResendConfirmationPayload,
        field="sent",
        rule=lambda c: done(confirmation.resend_confirmation(c.settings, c.require_viewer())),
    )


@strawberry.type
class CompanyMutation:
    set_member_role = payload_mutation(
        description="Admins: give a member of your company the ADMIN or MEMBER role. The last admin cannot be demoted (LAST_ADMIN); someone outside your company is NOT_FOUND.",
        input=(SetMemberRoleInput, "Member and role."),
        payload=SetMemberRolePayload,
        field="member",
        rule=lambda c, input: members.set_member_role(c.broker, c.require_viewer(), pk_of(input.user_id, "User") or 0, input.role),
    )
    remove_member = payload_mutation(
        description="Admins: remove a member from your company. They lose access at once: every token of theirs is revoked (open subscriptions end), and they no longer reach the company's conversations, searches, saved searches or offers.",
        input=(RemoveMemberInput, "The member."),
        payload=RemoveMemberPayload,
        field="removed_user_id",
        rule=lambda c, input: _user_id(members.remove_member(c.broker, c.require_viewer(), pk_of(input.user_id, "User") or 0)),
    )
    leave_company = payload_mutation(
        description="Leave your company. The last admin cannot leave (LAST_ADMIN). Every token of your account is revoked, this one included: sign in again to continue without the company.",
        payload=LeaveCompanyPayload,
        field="left",
        rule=lambda c: done(members.leave_company(c.broker, c.require_viewer())),
    )
    rotate_invitation_code = payload_mutation(
        description="Admins: replace your company's invitation code; the old one stops working at once.",
        payload=CompanyPayload,
        field="company",
        rule=lambda c: members.rotate_invitation_code(c.require_viewer()),
    )
    update_company_settings = payload_mutation(
        description="Admins: change how your company's domain admits people.",
        input=(UpdateCompanySettingsInput, "The settings to change."),
        payload=CompanyPayload,
        field="company",
        rule=lambda c, input: members.update_company_settings(
            c.require_viewer(),
            auto_accept_domain_members=input.auto_accept_domain_members,
            includes_subdomains=input.includes_subdomains,
        ),
    )
    accept_join_request = payload_mutation(
        description="Admins: accept a pending join request; the person becomes a MEMBER and is notified (JOIN_REQUEST).",
        input=(JoinRequestInput, "The request."),
        payload=AcceptJoinRequestPayload,
        field="join_request",
        rule=lambda c, input: companies.decide_join_request(c.broker, c.require_viewer(), pk_of(input.join_request_id, "JoinRequest"), True),
    )
    refuse_join_request = payload_mutation(
        description="Admins: refuse a pending join request; the person is notified (JOIN_REQUEST).",
        input=(JoinRequestInput, "The request."),
        payload=RefuseJoinRequestPayload,
        field="join_request",
        rule=lambda c, input: companies.decide_join_request(c.broker, c.require_viewer(), pk_of(input.join_request_id, "JoinRequest"), False),
    )
