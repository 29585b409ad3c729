"""GraphQL object types of accounts: ``User``, ``Company``, the ``Role`` enum, and their
``node(id:)`` resolvers.

The types resolve straight from ``models.accounts`` rows; every decision (who sees an
email, an invitation code, a candidate's name, which accounts ``node`` reveals) is made
by ``resolvers.accounts``.

Other features' graph types import these, so this module imports none of theirs: the
fields that lead to another feature's objects (``User.profile``, ``Company.responsiveness``)
name their types with ``strawberry.lazy`` and return what the resolver layer hands out
(``resolvers.profiles.visibility.visible_profiles``, privacy-stamped; chat's
``Responsiveness`` figures, which ``CompanyResponsiveness`` maps).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from graph.context import Info
from graph.types.common import Node, describe_enum, model_type
from graph.types.node import register_node
from models import accounts as m
from resolvers.accounts import access, identity, queries
from resolvers.chat import queries as chat_queries
from resolvers.ids import to_global_id
from resolvers.profiles import visibility as profile_visibility

Role = describe_enum(
    m.Role,
    "Role",
    "What a user does on the platform; chosen at sign-up and fixed.",
    {
        "CANDIDATE": "A job seeker with a profile.",
        "EMPLOYER": "A member of a company who searches, contacts candidates and makes offers.",
        "MODERATOR": "Reviews reports and suspends accounts or companies. Created only from the command line (`openforwork create-moderator`); `signUp` refuses it.",
    },
)

CompanyRole = describe_enum(
    m.CompanyRole,
    "CompanyRole",
    "A member's rights in their company.",
    {
        "ADMIN": "Manages the company: members and their roles, join requests, the invitation code and settings. The creator of a company is its first admin; a company always keeps one.",
        "MEMBER": "Acts for the company: searches, contacts candidates, chats and makes offers.",
    },
)
VerificationMethod = describe_enum(
    m.VerificationMethod,
    "VerificationMethod",
    "How a company's identity was established.",
    {"WORK_EMAIL": "An admin confirmed an email at the company's own domain (not a free-mail or disposable provider)."},
)
JoinRequestStatus = describe_enum(
    m.JoinRequestStatus,
    "JoinRequestStatus",
    "Where a join request stands.",
    {
        "PENDING": "Waiting for an admin of the company.",
        "ACCEPTED": "An admin accepted it: the person is a member.",
        "REFUSED": "An admin refused it.",
    },
)


@strawberry.type(description="An employer organisation. Any of its members acts for it.")
@model_type(m.Company)
class Company(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Company", self.pk))  # type: ignore[attr-defined]  # resolved from a models.accounts row, which has pk

    name: str = strawberry.field(description="Company name, at most 200 characters.")
    website: str | None = strawberry.field(description="Company website (http or https), if given.")
    verified: bool = strawberry.field(
        description="True when an admin of the company confirmed an email at the company's own domain (`verificationMethod`), a domain that is not a free-mail or disposable provider and that no other company claims. A name typed at sign-up never verifies a company. Unverified companies do not see EMPLOYERS-only profiles, reach only candidates who accept any company, and have a smaller contact quota."
    )
    domain: str | None = strawberry.field(
        description="The verified email domain of the company's employers (such as `acme.com`); null until verified. One company per verified domain (its subdomains included unless the company says otherwise); candidates can block it."
    )
    verification_method: VerificationMethod | None = strawberry.field(  # type: ignore[valid-type]  # describe_enum returns the strawberry enum as a value
        description="How the company was verified; null while unverified."
    )
    verified_at: datetime | None = strawberry.field(description="When the company was verified; null while unverified.")

    @strawberry.field(
        description="True when confirmed sign-ups at the company's domain join at once instead of sending a join request to the admins. Only members see it; null for everyone else."
    )
    def auto_accept_domain_members(self, info: Info) -> bool | None:
        company: m.Company = self  # type: ignore[assignment]  # resolved from a models.accounts.Company row
        return company.auto_accept_domain_members if access.company_settings_visible(info.context.viewer, company) else None

    @strawberry.field(
        description="True when subdomains of the company's domain (such as `jobs.acme.com` for `acme.com`) belong to the company: sign-ups there ask to join it and cannot verify another company. Only members see it; null for everyone else."
    )
    def includes_subdomains(self, info: Info) -> bool | None:
        company: m.Company = self  # type: ignore[assignment]  # resolved from a models.accounts.Company row
        return company.includes_subdomains if access.company_settings_visible(info.context.viewer, company) else None

    @strawberry.field(
        description="How reliably the company answers candidates' messages (last 90 days): share answered within 7 days and median reply time."
    )
    async def responsiveness(
        self, info: Info
    ) -> Annotated[CompanyResponsiveness, strawberry.lazy("graph.types.chat.types")]:  # type: ignore[name-defined]  # noqa: F821  # a strawberry.lazy reference: chat's types import these
        return await chat_queries.company_responsiveness(info.context.loaders, self.pk)  # type: ignore[attr-defined]  # resolved from a models.accounts row, which has pk

    @strawberry.field(
        description="Code a colleague enters at sign-up to join this company as a MEMBER. Only the company's admins see it (and can replace it with `rotateInvitationCode`); null for everyone else."
    )
    def invitation_code(self, info: Info) -> str | None:
        return access.invitation_code_for(info.context.viewer, self)  # type: ignore[arg-type]  # resolved from a models.accounts.Company row


@strawberry.type(description="A person who signs in: a candidate or an employer.")
@model_type(m.User)
class User(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("User", self.pk))  # type: ignore[attr-defined]  # resolved from a models.accounts row, which has pk

    @strawberry.field(
        description="Name shown to others, at most 100 characters. A candidate follows her own privacy rules wherever she is reached (endorser, conversation, offer, node): to a viewer who may not see who she is (her profile is anonymous to you, hidden, or blocks your company) this is the neutral placeholder `Anonymous candidate`, never her name; `identityHidden` is then true."
    )
    def display_name(self, info: Info) -> str:
        # Synchronous when the answer is known without a query (most names on a page),
        # else a coroutine: graphql-core awaits it.
        user: m.User = self  # type: ignore[assignment]  # resolved from a models.accounts.User row
        viewer = info.context.viewer
        if identity.identity_is_plain(viewer, user):
            return user.display_name
        prefetched = identity.prefetched_identity(user)
        if prefetched is not None:
            return identity.shown_name(user, prefetched)

        async def checked() -> str:
            return identity.shown_name(user, await identity.identity_visible(info.context.loaders, viewer, user))

        return checked()  # type: ignore[return-value]  # graphql-core awaits the coroutine

    @strawberry.field(
        description="True when you may not see who this person is (a candidate whose profile is anonymous to you, hidden, or blocks your company): `displayName` is then a placeholder and `profile` shows no identity."
    )
    async def identity_hidden(self, info: Info) -> bool:
        user: m.User = self  # type: ignore[assignment]  # resolved from a models.accounts.User row
        viewer = info.context.viewer
        if identity.identity_is_plain(viewer, user):
            return False
        prefetched = identity.prefetched_identity(user)
        if prefetched is not None:
            return not prefetched
        return not await identity.identity_visible(info.context.loaders, viewer, user)

    role: Role = strawberry.field(description="Candidate or employer.")  # type: ignore[valid-type]  # describe_enum returns the strawberry enum as a value
    created_at: datetime = strawberry.field(description="When the account was created.")

    @strawberry.field(description="Sign-in email, lower case. Only the user themself sees it; null for others.")
    def email(self, info: Info) -> str | None:
        return access.email_for(info.context.viewer, self)  # type: ignore[arg-type]  # resolved from a models.accounts.User row

    @strawberry.field(
        description="True once the user confirmed their sign-in email (`confirmEmail`). Until then an employer cannot search or contact candidates; a candidate may do everything (her email is never shown to anyone). Only the user themself sees it; null for others."
    )
    def email_confirmed(self, info: Info) -> bool | None:
        return access.email_confirmed_for(info.context.viewer, self)  # type: ignore[arg-type]  # resolved from a models.accounts.User row

    @strawberry.field(description="The member's role in their company; shown to the member and their colleagues, null for everyone else and for people without a company.")
    def company_role(self, info: Info) -> CompanyRole | None:  # type: ignore[valid-type]  # describe_enum returns the strawberry enum as a value
        return access.company_role_for(info.context.viewer, self)  # type: ignore[arg-type]  # resolved from a models.accounts.User row

    @strawberry.field(
        description="Your latest request to join a company (made when you confirmed an email at a domain a verified company claims). Only you see it; null for others and when there is none."
    )
    async def join_request(self, info: Info) -> JoinRequest | None:
        return await queries.own_join_request(info.context.viewer, self)  # type: ignore[arg-type,return-value]  # a models.accounts row in, a JoinRequest row out

    @strawberry.field(description="The company an employer belongs to; null for candidates and for employers without one (a pending join request, or after leaving or being removed).")
    async def company(self, info: Info) -> Company | None:
        return await queries.company_of(info.context.loaders, self)  # type: ignore[arg-type,return-value]  # a models.accounts row in, a Company row out (the type resolves from it)

    @strawberry.field(
        description="A candidate's profile, as you may see it (same rules as `profile(handle:)` and `node`, but anonymous profiles are returned with identity fields null); null for employers and when you may not see it."
    )
    async def profile(
        self, info: Info
    ) -> Annotated[Profile, strawberry.lazy("graph.types.profiles.types")] | None:  # type: ignore[name-defined]  # noqa: F821  # a strawberry.lazy reference: profiles' types import these
        profile = await queries.profile_of(info.context.loaders, self)  # type: ignore[arg-type]  # resolved from a models.accounts.User row
        if profile is None:
            return None
        return (await profile_visibility.visible_profiles(info.context.loaders, info.context.viewer, [profile]))[0]


@strawberry.type(
    description="Someone who confirmed an email at a company's verified domain and asks to join it. The company's admins see it in `joinRequests` and accept or refuse it; the person sees it as `viewer.joinRequest`."
)
@model_type(m.JoinRequest)
class JoinRequest(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("JoinRequest", self.pk))  # type: ignore[attr-defined]  # resolved from a models.accounts row, which has pk

    status: JoinRequestStatus = strawberry.field(description="Pending, accepted or refused.")  # type: ignore[valid-type]  # describe_enum returns the strawberry enum as a value
    created_at: datetime = strawberry.field(description="When the request was made.")
    decided_at: datetime | None = strawberry.field(description="When an admin decided it; null while pending.")

    @strawberry.field(description="Who asks to join (name and role; the email is theirs only).")
    async def user(self, info: Info) -> User:
        return await queries.join_request_user(info.context.loaders, self)  # type: ignore[arg-type,return-value]  # a models.accounts.JoinRequest row in, a User row out

    @strawberry.field(description="The company asked.")
    async def company(self, info: Info) -> Company:
        return await queries.join_request_company(info.context.loaders, self)  # type: ignore[arg-type,return-value]  # a models.accounts.JoinRequest row in, a Company row out


# Re-exported by the package under the names other features' types use today.
IDENTITY_ATTR = identity.IDENTITY_ATTR


def identity_is_plain(info: Info, user: m.User) -> bool:
    """No privacy rule applies to this user's name for the request's viewer
    (``resolvers.accounts.identity.identity_is_plain``)."""
    return identity.identity_is_plain(info.context.viewer, user)


async def _resolve_users(info: Info, ids: list[int]) -> list[m.User | None]:
    return await queries.visible_users(info.context.loaders, info.context.viewer, ids)


async def _resolve_companies(info: Info, ids: list[int]) -> list[m.Company | None]:
    return await queries.visible_companies(info.context.loaders, info.context.viewer, ids)


register_node("User", _resolve_users)
register_node("Company", _resolve_companies)


async def _resolve_join_requests(info: Info, ids: list[int]) -> list[m.JoinRequest | None]:
    return await queries.visible_join_requests(info.context.viewer, ids)


register_node("JoinRequest", _resolve_join_requests)
