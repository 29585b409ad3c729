"""Accounts: ``User``, ``Company``, ``signUp``, ``logIn``, ``logOut`` and ``viewer``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from graph.context import Info
from graph.types.common import Node, UserError, describe_enum, model_type, user_errors
from graph.types.node import register_node
from models import accounts as m
from resolvers import accounts as accounts_rules
from resolvers.errors import UserErrors
from resolvers.ids import to_global_id
from resolvers.accounts.loaders import companies_by_id, users_by_id
from subscriptions.accounts import announce_revoked_tokens

Role = describe_enum(
    m.Role,
    "Role",
    "What a user does on the platform; chosen at sign-up and fixed.",
    {
        "CANDIDATE": "A job seeker with a profile.",
        "EMPLOYER": "A member of a company who searches, contacts candidates and makes offers.",
    },
)


@strawberry.type(description="An employer organisation. Any of its members acts for it.")
@model_type(m.Company)
class Company(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Company", self.pk))  # type: ignore[attr-defined]

    name: str = strawberry.field(description="Company name, at most 200 characters.")
    website: str | None = strawberry.field(description="Company website (http or https), if given.")
    verified: bool = strawberry.field(
        description="True when the company's email domain is known: its first employer signed up with a company address (not a free mail provider)."
    )
    domain: str | None = strawberry.field(
        description="The verified email domain of the company's employers (such as `acme.com`); candidates can block it."
    )

    @strawberry.field(
        description="How reliably the company answers candidates' messages (last 90 days): share answered within 7 days and median reply time."
    )
    async def responsiveness(
        self, info: Info
    ) -> Annotated["CompanyResponsiveness", strawberry.lazy("graph.types.chat.types")]:  # noqa: F821
        from graph.types.chat.types import company_responsiveness

        return await company_responsiveness(info, self.pk)  # type: ignore[attr-defined]

    @strawberry.field(
        description="Code a colleague enters at sign-up to join this company. Only members of the company see it; null for everyone else."
    )
    def invitation_code(self, info: Info) -> str | None:
        viewer = info.context.viewer
        if viewer is not None and viewer.company_id == self.pk:  # type: ignore[attr-defined]
            return self.invitation_code  # type: ignore[attr-defined]
        return None


@strawberry.type(description="A person who signs in: a candidate or an employer.")
@model_type(m.User)
class User(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("User", self.pk))  # type: ignore[attr-defined]

    @strawberry.field(
        description="Name shown to others, at most 100 characters. A candidate follows her own privacy rules wherever she is reached (endorser, conversation, offer, node): to a viewer who may not see who she is (her profile is anonymous to you, hidden, or blocks your company) this is the neutral placeholder `Anonymous candidate`, never her name; `identityHidden` is then true."
    )
    def display_name(self, info: Info) -> str:
        from graph.types.profiles.types import ANONYMOUS_NAME, identity_visible

        if _identity_is_plain(info, self):  # type: ignore[arg-type]
            return self.display_name  # type: ignore[attr-defined]
        prefetched = self.__dict__.get(IDENTITY_ATTR)
        if prefetched is not None:
            return self.display_name if prefetched else ANONYMOUS_NAME  # type: ignore[attr-defined]

        async def checked() -> str:
            visible = await identity_visible(info, self)  # type: ignore[arg-type]
            return self.display_name if visible else ANONYMOUS_NAME  # type: ignore[attr-defined]

        return checked()  # type: ignore[return-value]

    @strawberry.field(
        description="True when you may not see who this person is (a candidate whose profile is anonymous to you, hidden, or blocks your company): `displayName` is then a placeholder and `profile` shows no identity."
    )
    async def identity_hidden(self, info: Info) -> bool:
        from graph.types.profiles.types import identity_visible

        if _identity_is_plain(info, self):  # type: ignore[arg-type]
            return False
        prefetched = self.__dict__.get(IDENTITY_ATTR)
        if prefetched is not None:
            return not prefetched
        return not await identity_visible(info, self)  # type: ignore[arg-type]

    role: Role = strawberry.field(description="Candidate or employer.")  # type: ignore[valid-type]
    created_at: datetime = strawberry.field(description="When the account was created.")

    @strawberry.field(description="Sign-in email, lower case. Only the user themself sees it; null for others.")
    def email(self, info: Info) -> str | None:
        viewer = info.context.viewer
        return self.email if viewer is not None and viewer.pk == self.pk else None  # type: ignore[attr-defined]

    @strawberry.field(description="The company an employer belongs to; null for candidates.")
    async def company(self, info: Info) -> Company | None:
        company_id = self.company_id  # type: ignore[attr-defined]
        if company_id is None:
            return None
        return await info.context.loaders(companies_by_id).load(company_id)  # type: ignore[return-value]

    @strawberry.field(
        description="A candidate's profile, as you may see it (same rules as `profile(handle:)` and `node`, but anonymous profiles are returned with identity fields null); null for employers and when you may not see it."
    )
    async def profile(
        self, info: Info
    ) -> Annotated[Profile, strawberry.lazy("graph.types.profiles.types")] | None:  # type: ignore[name-defined]  # noqa: F821
        from graph.types.profiles.types import visible_profiles
        from resolvers.profiles.loaders import profiles_by_user_id

        if self.role != m.Role.CANDIDATE:  # type: ignore[attr-defined]
            return None
        profile = await info.context.loaders(profiles_by_user_id).load(self.pk)  # type: ignore[attr-defined]
        return (await visible_profiles(info, [profile]))[0]  # type: ignore[return-value]


# Set (a bool) by a page's prefetch (``graph.types.profiles.types``) on user instances
# loaded for this request only: may the request's viewer see who this candidate is.
IDENTITY_ATTR = "_ofw_identity"


def _identity_is_plain(info: Info, user: m.User) -> bool:
    """No privacy rule applies to the name: the viewer themself, an employer (acting for
    the company in their own name), a deleted account (its name is already erased)."""
    viewer = info.context.viewer
    return (viewer is not None and viewer.pk == user.pk) or user.role != m.Role.CANDIDATE or user.deleted_at is not None


def _can_see_user(viewer: m.User | None, user: m.User) -> bool:
    if viewer is None or user.deleted_at is not None:
        return False
    if viewer.pk == user.pk:
        return True
    return viewer.company_id is not None and viewer.company_id == user.company_id


async def _resolve_users(info: Info, ids: list[int]) -> list[m.User | None]:
    users = await info.context.loaders(users_by_id).load_many(ids)
    viewer = info.context.viewer
    return [user if user is not None and _can_see_user(viewer, user) else None for user in users]


async def _resolve_companies(info: Info, ids: list[int]) -> list[m.Company | None]:
    if info.context.viewer is None:
        return [None] * len(ids)
    return await info.context.loaders(companies_by_id).load_many(ids)


register_node("User", _resolve_users)
register_node("Company", _resolve_companies)


@strawberry.input(description="A new account. Employers either create a company or join one.")
class SignUpInput:
    email: str = strawberry.field(description="Sign-in email, at most 254 characters; stored lower case; unique.")
    password: str = strawberry.field(description="At least 10 and at most 256 characters.")
    display_name: str = strawberry.field(description="Name shown to others, 1–100 characters.")
    role: Role = strawberry.field(description="CANDIDATE or EMPLOYER; cannot be changed later.")  # type: ignore[valid-type]
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


@strawberry.type
class AccountsQuery:
    @strawberry.field(
        description="The signed-in user, or null when no token is sent. An expired or revoked token is an UNAUTHENTICATED error."
    )
    def viewer(self, info: Info) -> User | None:
        if info.context.session is None and info.context.token_problem:
            info.context.require_viewer()
        return info.context.viewer  # type: ignore[return-value]


@strawberry.type
class AccountsMutation:
    @strawberry.mutation(
        description="Create an account and sign in. Candidates get an empty, hidden profile with a unique handle; employers create a company (`companyName`) or join one (`invitationCode`)."
    )
    async def sign_up(
        self, info: Info, input: Annotated[SignUpInput, strawberry.argument(description="The new account.")]
    ) -> AuthPayload:
        try:
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
        except UserErrors as exc:
            return AuthPayload(token=None, viewer=None, user_errors=user_errors(exc))
        info.context.session = session
        return AuthPayload(token=token, viewer=session.user, user_errors=[])  # type: ignore[arg-type]

    @strawberry.mutation(
        description="Sign in with email and password. A failure never says whether the email exists; repeated failures are rate limited per email and per client address (RATE_LIMITED error)."
    )
    async def log_in(
        self, info: Info, input: Annotated[LogInInput, strawberry.argument(description="Email and password.")]
    ) -> AuthPayload:
        try:
            token, session = await accounts_rules.log_in(
                info.context.settings,
                email=input.email,
                password=input.password,
                client_address=info.context.client_address,
            )
        except UserErrors as exc:
            return AuthPayload(token=None, viewer=None, user_errors=user_errors(exc))
        info.context.session = session
        return AuthPayload(token=token, viewer=session.user, user_errors=[])  # type: ignore[arg-type]

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
        session = info.context.session
        assert session is not None
        if input is not None and input.everywhere:
            revoked = await accounts_rules.revoke_all_tokens(session.user.pk)
        else:
            await accounts_rules.log_out(session)
            revoked = [session.token.pk]
        await publish_revocations(info, session.user.pk, revoked)
        return LogOutPayload(revoked_tokens=len(revoked), user_errors=[])


async def publish_revocations(info: Info, user_id: int, token_ids: list[int]) -> None:
    await announce_revoked_tokens(info.context.broker, user_id, token_ids)
