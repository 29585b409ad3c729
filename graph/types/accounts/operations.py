"""The accounts roots: ``viewer``, ``companyMembers``, ``joinRequests``; ``signUp``,
``logIn``, ``logOut``, ``confirmEmail``, ``resendConfirmation`` and the company
governance mutations (``CompanyMutation``)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from graph.context import Info
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
from graph.types.common import Connection, mutation_payload
from resolvers import accounts as accounts_rules
from resolvers.accounts import companies, confirmation, members, queries
from resolvers.accounts.access import Session
from resolvers.ids import parse_global_id, to_global_id


def _pk_of(value: strawberry.ID, type_name: str) -> int | None:
    """Primary key of a ``type_name`` ID; ``None`` for another type's ID (the same as
    not found). A malformed ID is a BAD_USER_INPUT error."""
    found, pk = parse_global_id(str(value))
    return pk if found == type_name else None


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


def _signed_in(info: Info, token: str, session: Session) -> dict[str, Any]:
    """The rest of this request runs as the new session (``viewer`` in the payload)."""
    info.context.session = session
    return {"token": token, "viewer": session.user}


@strawberry.type
class AccountsMutation:
    @strawberry.mutation(
        description="Create an account and sign in; a 6-digit code is mailed to the email (confirm it with `confirmEmail`). Candidates get an empty, hidden profile with a unique handle; employers join a company as MEMBER (`invitationCode`) or create one as its ADMIN (`companyName`, unverified until the admin confirms an email at the company's own domain). At a domain a verified company already claims no second company is created: the employer starts without a company and confirming the email sends a join request to that company (or joins it at once if it allows)."
    )
    async def sign_up(
        self, info: Info, input: Annotated[SignUpInput, strawberry.argument(description="The new account.")]
    ) -> AuthPayload:
        async def run() -> dict[str, Any]:
            token, session = await accounts_rules.sign_up(
                info.context.settings,
                email=input.email,
                password=input.password,
                display_name=input.display_name,
                role=input.role,
                company_name=input.company_name,
                company_website=input.company_website,
                invitation_code=input.invitation_code,
            )
            return _signed_in(info, token, session)

        return await mutation_payload(AuthPayload, run, field=None)

    @strawberry.mutation(
        description="Sign in with email and password. A failure never says whether the email exists; repeated failures are rate limited per email and per client address (RATE_LIMITED error)."
    )
    async def log_in(
        self, info: Info, input: Annotated[LogInInput, strawberry.argument(description="Email and password.")]
    ) -> AuthPayload:
        async def run() -> dict[str, Any]:
            token, session = await accounts_rules.log_in(
                info.context.settings,
                email=input.email,
                password=input.password,
                client_address=info.context.client_address,
            )
            return _signed_in(info, token, session)

        return await mutation_payload(AuthPayload, run, field=None)

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

    @strawberry.mutation(
        description="Confirm your email with the code we mailed you. Wrong codes are WRONG_CONFIRMATION_CODE (5 tries per code), old ones CONFIRMATION_EXPIRED. Confirming an email at your company's own domain verifies the company if you are its admin; at a domain another company claims, it sends that company a join request. Confirming twice changes nothing."
    )
    async def confirm_email(
        self, info: Info, input: Annotated[ConfirmEmailInput, strawberry.argument(description="The code.")]
    ) -> ConfirmEmailPayload:
        viewer = info.context.require_viewer()

        async def run() -> dict[str, Any]:
            user = await confirmation.confirm_email(info.context.settings, info.context.broker, viewer, input.code)
            if info.context.session is not None:
                info.context.session = Session(user=user, token=info.context.session.token)
            return {"viewer": user}

        return await mutation_payload(ConfirmEmailPayload, run, field=None)

    @strawberry.mutation(
        description="Mail a new confirmation code (the old one stops working). At most one a minute and 5 an hour (RATE_LIMITED); ALREADY_CONFIRMED once confirmed."
    )
    async def resend_confirmation(self, info: Info) -> ResendConfirmationPayload:
        viewer = info.context.require_viewer()

        async def run() -> bool:
            await confirmation.resend_confirmation(info.context.settings, viewer)
            return True

        return await mutation_payload(ResendConfirmationPayload, run, field="sent")


@strawberry.type
class CompanyMutation:
    @strawberry.mutation(
        description="Admins: give a member of your company the ADMIN or MEMBER role. The last admin cannot be demoted (LAST_ADMIN); someone outside your company is NOT_FOUND."
    )
    async def set_member_role(
        self, info: Info, input: Annotated[SetMemberRoleInput, strawberry.argument(description="Member and role.")]
    ) -> SetMemberRolePayload:
        viewer = info.context.require_viewer()
        pk = _pk_of(input.user_id, "User") or 0
        return await mutation_payload(
            SetMemberRolePayload, lambda: members.set_member_role(info.context.broker, viewer, pk, input.role), field="member"
        )

    @strawberry.mutation(
        description="Admins: remove a member from your company. They lose access at once: every token of theirs is revoked (open subscriptions end), and they no longer reach the company's conversations, searches, saved searches or offers."
    )
    async def remove_member(
        self, info: Info, input: Annotated[RemoveMemberInput, strawberry.argument(description="The member.")]
    ) -> RemoveMemberPayload:
        viewer = info.context.require_viewer()
        pk = _pk_of(input.user_id, "User") or 0

        async def run() -> strawberry.ID:
            removed = await members.remove_member(info.context.broker, viewer, pk)
            return strawberry.ID(to_global_id("User", removed))

        return await mutation_payload(RemoveMemberPayload, run, field="removed_user_id")

    @strawberry.mutation(
        description="Leave your company. The last admin cannot leave (LAST_ADMIN). Every token of your account is revoked, this one included: sign in again to continue without the company."
    )
    async def leave_company(self, info: Info) -> LeaveCompanyPayload:
        viewer = info.context.require_viewer()

        async def run() -> bool:
            await members.leave_company(info.context.broker, viewer)
            return True

        return await mutation_payload(LeaveCompanyPayload, run, field="left")

    @strawberry.mutation(
        description="Admins: replace your company's invitation code; the old one stops working at once."
    )
    async def rotate_invitation_code(self, info: Info) -> CompanyPayload:
        viewer = info.context.require_viewer()
        return await mutation_payload(CompanyPayload, lambda: members.rotate_invitation_code(viewer), field="company")

    @strawberry.mutation(description="Admins: change how your company's domain admits people.")
    async def update_company_settings(
        self,
        info: Info,
        input: Annotated[UpdateCompanySettingsInput, strawberry.argument(description="The settings to change.")],
    ) -> CompanyPayload:
        viewer = info.context.require_viewer()
        return await mutation_payload(
            CompanyPayload,
            lambda: members.update_company_settings(
                viewer,
                auto_accept_domain_members=input.auto_accept_domain_members,
                includes_subdomains=input.includes_subdomains,
            ),
            field="company",
        )

    @strawberry.mutation(description="Admins: accept a pending join request; the person becomes a MEMBER and is mailed.")
    async def accept_join_request(
        self, info: Info, input: Annotated[JoinRequestInput, strawberry.argument(description="The request.")]
    ) -> AcceptJoinRequestPayload:
        viewer = info.context.require_viewer()
        pk = _pk_of(input.join_request_id, "JoinRequest")
        return await mutation_payload(
            AcceptJoinRequestPayload, lambda: companies.decide_join_request(info.context.broker, viewer, pk, True), field="join_request"
        )

    @strawberry.mutation(description="Admins: refuse a pending join request; the person is mailed.")
    async def refuse_join_request(
        self, info: Info, input: Annotated[JoinRequestInput, strawberry.argument(description="The request.")]
    ) -> RefuseJoinRequestPayload:
        viewer = info.context.require_viewer()
        pk = _pk_of(input.join_request_id, "JoinRequest")
        return await mutation_payload(
            RefuseJoinRequestPayload, lambda: companies.decide_join_request(info.context.broker, viewer, pk, False), field="join_request"
        )
