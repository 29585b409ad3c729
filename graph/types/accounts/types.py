"""GraphQL object types of accounts: ``User``, ``Company``, the ``Role`` enum, and their
``node(id:)`` resolvers.

The types resolve straight from ``models.accounts`` rows; every decision (who sees an
email, an invitation code, a candidate's name, which accounts ``node`` reveals) is made
by ``resolvers.accounts``.

Other features' graph types import these, so this module imports none of theirs: the
fields that lead to another feature's objects (``User.profile``, ``Company.responsiveness``)
name their types with ``strawberry.lazy``, and the functions that hand those objects
out (profiles' privacy stamping, chat's responsiveness figures) are linked in by the
composition root (``graph.app.create_app`` calls ``link_features``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

import strawberry

from graph.context import Info
from graph.types.common import Node, describe_enum, model_type
from graph.types.node import register_node
from models import accounts as m
from resolvers.accounts import access, identity, queries
from resolvers.ids import to_global_id

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


@dataclass(frozen=True)
class FeatureLinks:
    """What other features' graph layers hand out from an account.

    ``visible_profiles(info, profiles)``: the profiles (or ``None``) as the viewer may
    see them, privacy-stamped (``graph.types.profiles.visible_profiles``).
    ``company_responsiveness(info, company_id)``: a ``CompanyResponsiveness``
    (``graph.types.chat.company_responsiveness``).
    """

    visible_profiles: Callable[[Info, list[Any]], Awaitable[list[Any]]]
    company_responsiveness: Callable[[Info, int], Awaitable[Any]]


_links: list[FeatureLinks] = []


def link_features(links: FeatureLinks) -> None:
    """Called by the composition root before the schema serves requests."""
    _links[:] = [links]


def _linked() -> FeatureLinks:
    if not _links:
        raise RuntimeError("accounts' types are not linked to profiles and chat: build the app with graph.app.create_app")
    return _links[0]


@strawberry.type(description="An employer organisation. Any of its members acts for it.")
@model_type(m.Company)
class Company(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Company", self.pk))  # type: ignore[attr-defined]  # resolved from a models.accounts row, which has pk

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
    ) -> Annotated[CompanyResponsiveness, strawberry.lazy("graph.types.chat.types")]:  # type: ignore[name-defined]  # noqa: F821  # a strawberry.lazy reference: chat's types import these
        return await _linked().company_responsiveness(info, self.pk)  # type: ignore[attr-defined]  # resolved from a models.accounts row, which has pk

    @strawberry.field(
        description="Code a colleague enters at sign-up to join this company. Only members of the company see it; null for everyone else."
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

    @strawberry.field(description="The company an employer belongs to; null for candidates.")
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
        return (await _linked().visible_profiles(info, [profile]))[0]


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
