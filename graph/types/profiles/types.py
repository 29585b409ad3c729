"""GraphQL object types of profiles, resolved straight from Tortoise models.

The types map; ``resolvers.profiles`` decides. Every instance that reaches them was
stamped by ``resolvers.profiles.visibility`` with what the viewer may see (parts carry
their profile's stamp): identity fields read the stamp, and a type's ``is_type_of``
refuses an unstamped or invisible instance, so a resolver elsewhere that forgets the
check fails loudly instead of leaking a profile. Nested fields ask
``resolvers.profiles.queries``, which answers from what a page prefetched or loads
through the request's DataLoaders (a plain value when it is at hand, an awaitable
only when it must be loaded); ``graph.types.profiles.selection`` describes for it what
the client selected.

Field resolvers receive the model row as ``self`` (typed ``Any``: strawberry hands the
row, not an instance of the class). The enums are the models' own, registered with a
description per value, so fields are annotated with the model enum.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import strawberry
from tortoise.models import Model

from graph.context import Info
from graph.types.common import Connection, Node, describe_enum, model_type
from graph.types.profiles.selection import asks_for, describe_skills
from models import profiles as m
from resolvers.ids import to_global_id
from resolvers.pagination import MAX_PAGE_SIZE
from resolvers.profiles import queries
from resolvers.profiles import visibility as privacy
from resolvers.profiles.access import ANONYMOUS_NAME as ANONYMOUS_NAME
from resolvers.profiles.access import ViewerInfo
from resolvers.profiles.freshness import is_stale
from resolvers.profiles.prefetch import SkillSelection
from resolvers.profiles.validation import MAX_ENDORSEMENTS_PER_SKILL
from resolvers.rows import row_class

# Kept importable from here for the other features' graph modules (with ``ANONYMOUS_NAME``,
# ``viewer_of``, ``visible_profiles`` and ``identity_visible`` below); new code reads them
# from ``resolvers.profiles``.
access_of = privacy.access_of
stamp = privacy.stamp

# Lazy: graph.types.accounts imports this module's types.
LazyUser = Annotated["User", strawberry.lazy("graph.types.accounts")]  # type: ignore[name-defined]  # noqa: F821  # resolved by strawberry
LazyCompany = Annotated["Company", strawberry.lazy("graph.types.accounts")]  # type: ignore[name-defined]  # noqa: F821  # resolved by strawberry


def guarded(model_cls: type[Model]) -> Any:
    """Like ``model_type``, but only for instances stamped visible (``visible_profiles``):
    model instances, or rows read as them (``resolvers.rows``, what a page prefetches)."""
    classes = (model_cls, row_class(model_cls))

    def decorate(cls: type) -> type:
        def is_type_of(obj: Any, _info: Any) -> bool:
            return isinstance(obj, classes) and privacy.access_of(obj).visible

        cls.is_type_of = staticmethod(is_type_of)  # type: ignore[attr-defined]  # strawberry reads it
        return cls

    return decorate


async def viewer_of(info: Info) -> ViewerInfo:
    """The request's viewer as privacy sees them."""
    return await privacy.viewer_of(info.context.loaders, info.context.viewer)


async def visible_profiles(info: Info, profiles: list[m.Profile | None]) -> list[m.Profile | None]:
    """THE way to hand profiles to GraphQL (``resolvers.profiles.visibility``): stamped
    with the viewer's access, ``None`` where the viewer may not see one."""
    return await privacy.visible_profiles(info.context.loaders, info.context.viewer, profiles)


async def identity_visible(info: Info, user: Any) -> bool:
    """May the viewer see who this person (a ``models.accounts.User``) is?"""
    return await privacy.identity_visible(info.context.loaders, info.context.viewer, user)


# --- enums --------------------------------------------------------------------------

RemotePreference = describe_enum(
    m.RemotePreference, "RemotePreference", "Where a candidate wants to work.",
    {"ONSITE": "At the employer's site.", "HYBRID": "Partly on site, partly remote.", "REMOTE": "Fully remote."},
)
OpenToWork = describe_enum(
    m.OpenToWork, "OpenToWork", "Whether a candidate is looking for a job.",
    {
        "ACTIVELY_LOOKING": "Looking now; shown first in search.",
        "OPEN": "Not searching, but open to good offers.",
        "NOT_LOOKING": "Not interested at the moment; left out of default search.",
        "HIRED": "Accepted an offer; left out of default search.",
    },
)
Visibility = describe_enum(
    m.Visibility, "Visibility", "Who may see a profile (blocks and anonymity apply on top).",
    {
        "PUBLIC": "Anyone, signed in or not.",
        "EMPLOYERS": "Signed-in employers only.",
        "HIDDEN": "Only the candidate.",
    },
)
ContactPolicy = describe_enum(
    m.ContactPolicy, "ContactPolicy", "Which companies may reach a candidate.",
    {
        "VERIFIED_COMPANIES": "Only verified companies (an admin confirmed an email at the company's own domain). The default.",
        "ANY_COMPANY": "Unverified companies too: they may see a PUBLIC profile and send a contact request (EMPLOYERS-only profiles stay hidden from them).",
    },
)
SalaryPeriod = describe_enum(
    m.SalaryPeriod, "SalaryPeriod", "The period a salary amount is paid for.",
    {"HOUR": "Per hour.", "MONTH": "Per month.", "YEAR": "Per year."},
)
WorkSampleKind = describe_enum(
    m.WorkSampleKind, "WorkSampleKind", "What a work sample is.",
    {"CODE": "Source code or a software project.", "DESIGN": "Design work.", "WRITING": "An article or other writing.",
     "VIDEO": "A talk or other video.", "OTHER": "Anything else."},
)
AccessKind = describe_enum(
    m.AccessKind, "AccessKind", "How a company saw a profile.",
    {
        "VIEW": "An employer opened the profile (`profile(handle:)` or `node`). Logged at most once per company per hour.",
        "REFERENCES_REVEALED": "An employer in an accepted conversation read the references' contact details. At most once per company per hour.",
        "SEARCH_ALERT": "The profile was pushed to the company by a saved-search alert.",
    },
)


# --- parts --------------------------------------------------------------------------


@strawberry.type(description="A skill the candidate lists. Names are unique per profile ignoring case and spacing.")
@guarded(m.Skill)
class Skill(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self: Any) -> strawberry.ID:
        return strawberry.ID(to_global_id("Skill", self.pk))

    name: str = strawberry.field(description="Skill name as the candidate wrote it (inner spaces collapsed), 1–60 characters.")
    level: int = strawberry.field(description="Self-assessed level from 1 (beginner) to 5 (expert).")
    years: int | None = strawberry.field(description="Years of practice, 0–70, if given.")

    @strawberry.field(description="Number of endorsements of this skill that the candidate has not hidden.")
    def endorsement_count(self: Any, info: Info) -> int:
        return queries.endorsement_count(info.context.loaders, self)  # type: ignore[return-value]  # or an awaitable, which graphql-core awaits

    @strawberry.field(description="The newest endorsements of this skill. Hidden ones are listed only to the candidate (with `hidden: true`).")
    def endorsements(
        self: Any,
        info: Info,
        first: Annotated[int, strawberry.argument(description=f"How many, 0–{MAX_ENDORSEMENTS_PER_SKILL}.")] = 3,
    ) -> list[Endorsement]:
        return queries.skill_endorsements(info.context.loaders, self, first)  # type: ignore[return-value]  # or an awaitable


@strawberry.type(description="A position held. The company name is identity: null to companies the anonymous candidate has not accepted.")
@guarded(m.Experience)
class Experience(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self: Any) -> strawberry.ID:
        return strawberry.ID(to_global_id("Experience", self.pk))

    title: str = strawberry.field(description="Job title, 1–120 characters.")
    start_date: date = strawberry.field(description="First day (not in the future).")
    end_date: date | None = strawberry.field(description="Last day; null while current.")
    current: bool = strawberry.field(description="True while the candidate still holds the position.")
    description: str = strawberry.field(description="What the candidate did, at most 5,000 characters.")

    @strawberry.field(description="Employer name, 1–120 characters; null when the profile is anonymous to you.")
    def company_name(self: Any) -> str | None:
        return self.company_name if privacy.access_of(self).identity else None


@strawberry.type(description="A school, course or degree.")
@guarded(m.Education)
class Education(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self: Any) -> strawberry.ID:
        return strawberry.ID(to_global_id("Education", self.pk))

    school: str = strawberry.field(description="School or institution, 1–160 characters.")
    degree: str = strawberry.field(description="Degree, at most 120 characters; may be empty.")
    field_of_study: str = strawberry.field(description="Field of study, at most 120 characters; may be empty.")
    start_date: date | None = strawberry.field(description="Start, if given.")
    end_date: date | None = strawberry.field(description="End, if given; never before the start.")


@strawberry.type(description="Something the candidate made. The link is identity: null to companies the anonymous candidate has not accepted.")
@guarded(m.WorkSample)
class WorkSample(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self: Any) -> strawberry.ID:
        return strawberry.ID(to_global_id("WorkSample", self.pk))

    title: str = strawberry.field(description="Title, 1–120 characters.")
    kind: m.WorkSampleKind = strawberry.field(description="What it is.")
    description: str = strawberry.field(description="Description, at most 2,000 characters.")

    @strawberry.field(description="http(s) link, at most 500 characters; null when the profile is anonymous to you.")
    def url(self: Any) -> str | None:
        return self.url if privacy.access_of(self).identity else None


@strawberry.type(description="Someone who vouches for the candidate. Contact details are private (see `contact`).")
@guarded(m.Reference)
class Reference(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self: Any) -> strawberry.ID:
        return strawberry.ID(to_global_id("Reference", self.pk))

    name: str = strawberry.field(description="The referee's name, 1–120 characters.")
    relationship: str = strawberry.field(description="How they know the candidate, 1–120 characters.")

    @strawberry.field(
        description="Email or phone, 1–254 characters. Only the candidate and companies in a conversation the candidate accepted see it (each reveal is in the candidate's access log); null for everyone else."
    )
    def contact(self: Any) -> str | None:
        return self.contact if privacy.access_of(self).references else None


@strawberry.type(description="A user vouches for one of a candidate's skills. At most one per user and skill; never by the candidate.")
@guarded(m.Endorsement)
class Endorsement(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self: Any) -> strawberry.ID:
        return strawberry.ID(to_global_id("Endorsement", self.pk))

    comment: str = strawberry.field(description="Optional comment, at most 500 characters; may be empty.")
    hidden: bool = strawberry.field(description="True when the candidate hid it; only the candidate ever sees hidden endorsements.")
    created_at: datetime = strawberry.field(description="When it was given.")

    @strawberry.field(description="Who endorsed. The endorser's own privacy rules apply: a candidate you may not identify shows the placeholder name (`identityHidden: true`) and no identity on `profile`.")
    def endorser(self: Any, info: Info) -> LazyUser | None:
        return queries.endorser(info.context.loaders, self)

    @strawberry.field(description="The endorsed skill.")
    async def skill(self: Any, info: Info) -> Skill | None:
        return await queries.endorsed_skill(info.context.loaders, self)  # type: ignore[return-value]  # the stamped models row


@strawberry.type(description="Desired pay: a range in one currency per period.")
class DesiredSalary:
    min: int | None = strawberry.field(description="Lowest acceptable amount, 0–1,000,000,000.")
    max: int | None = strawberry.field(description="Highest expected amount, never below `min`.")
    currency: str = strawberry.field(description="ISO 4217 code such as EUR.")
    period: m.SalaryPeriod = strawberry.field(description="What the amounts are paid for.")


@strawberry.type(description="One entry of a candidate's access log: a company saw the profile.")
@model_type(m.AccessLogEntry)
class AccessLogEntry(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self: Any) -> strawberry.ID:
        return strawberry.ID(to_global_id("AccessLogEntry", self.pk))

    kind: m.AccessKind = strawberry.field(description="What the company did.")
    created_at: datetime = strawberry.field(description="When.")

    @strawberry.field(description="The company that saw the profile.")
    async def company(self: Any, info: Info) -> LazyCompany | None:
        return await queries.company(info.context.loaders, self.company_id)


@strawberry.type(description="A company or email domain a candidate blocked: it sees nothing of the candidate.")
@model_type(m.Block)
class Block(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self: Any) -> strawberry.ID:
        return strawberry.ID(to_global_id("Block", self.pk))

    domain: str | None = strawberry.field(description="The blocked email domain (such as `acme.com`): every company whose verified domain matches; null for a company block.")
    created_at: datetime = strawberry.field(description="When the block was made.")

    @strawberry.field(description="The blocked company; null for a domain block.")
    async def company(self: Any, info: Info) -> LazyCompany | None:
        return await queries.company(info.context.loaders, self.company_id)


# --- the profile --------------------------------------------------------------------


@strawberry.type(
    description="A candidate's profile. What you see depends on who you are: the candidate sees everything; others see it only as its visibility allows, never when the candidate blocked their company; identity fields (handle, displayName, photoUrl, employer names, links, references) are null to companies an anonymous candidate has not accepted. `id` is stable and opaque, so anonymous profiles can still be referenced."
)
@guarded(m.Profile)
class Profile(Node):
    @strawberry.field(description="Globally unique, opaque ID; stable, reveals nothing.")
    def id(self: Any) -> strawberry.ID:
        return strawberry.ID(to_global_id("Profile", self.pk))

    headline: str = strawberry.field(description="One line, at most 160 characters.")
    summary: str = strawberry.field(description="About the candidate, at most 5,000 characters.")
    city: str | None = strawberry.field(description="City, at most 100 characters.")
    country_code: str | None = strawberry.field(description="ISO 3166-1 alpha-2 country code such as DE.")
    remote_preference: m.RemotePreference | None = strawberry.field(description="Where the candidate wants to work.")
    open_to_work: m.OpenToWork = strawberry.field(description="Whether the candidate is looking.")
    visibility: m.Visibility = strawberry.field(description="Who may see the profile.")
    anonymous: bool = strawberry.field(description="True when identity is hidden from companies until the candidate accepts their contact.")
    accept_contact_from: m.ContactPolicy = strawberry.field(description="Which companies may send the candidate a contact request: verified companies only (the default) or any company.")
    desired_roles: list[str] = strawberry.field(description="Roles sought, at most 10, each at most 80 characters.")
    available_from: date | None = strawberry.field(description="Earliest start date.")
    work_authorization: list[str] = strawberry.field(description="ISO 3166-1 alpha-2 codes of countries the candidate may work in, at most 30.")
    career_goals: str = strawberry.field(description="Career goals, at most 2,000 characters.")
    years_of_experience: int = strawberry.field(description="Years the candidate stated, or else derived from experience (overlapping periods counted once).")
    availability_confirmed_at: datetime | None = strawberry.field(description="When the candidate last confirmed being available (`confirmAvailability`).")
    updated_at: datetime = strawberry.field(description="Last change of the profile or one of its parts.")

    @strawberry.field(description="Unique handle (3–40 characters); null when the profile is anonymous to you.")
    def handle(self: Any) -> str | None:
        return self.handle if privacy.access_of(self).identity else None

    @strawberry.field(description="The candidate's IANA time zone (such as Europe/Berlin) used for interview times; only the candidate reads it (null for everyone else, and when not set).")
    def time_zone(self: Any) -> str | None:
        return self.time_zone if privacy.access_of(self).owner else None

    @strawberry.field(description="Photo link (http or https); null when the profile is anonymous to you.")
    def photo_url(self: Any) -> str | None:
        return self.photo_url if privacy.access_of(self).identity else None

    @strawberry.field(description="The candidate's name; null when the profile is anonymous to you.")
    def display_name(self: Any, info: Info) -> str | None:
        return queries.display_name(info.context.loaders, self)  # type: ignore[return-value]  # or an awaitable

    @strawberry.field(description="Desired pay; null when not given.")
    def desired_salary(self: Any) -> DesiredSalary | None:
        if self.salary_currency is None or self.salary_period is None:
            return None
        return DesiredSalary(min=self.salary_min, max=self.salary_max, currency=self.salary_currency, period=self.salary_period)

    @strawberry.field(description="True when availability was not confirmed within the configured number of days (60 by default; never confirmed counts from sign-up). Stale profiles drop out of default search.")
    def stale(self: Any, info: Info) -> bool:
        return is_stale(self, info.context.settings.availability_ttl_days)

    @strawberry.field(description="Skills in the candidate's order, at most 50.")
    def skills(self: Any, info: Info) -> list[Skill]:
        def below() -> SkillSelection:  # asked only when the skills must be loaded
            return describe_skills(info.selected_fields)

        return queries.skills(info.context.loaders, info.context.viewer, self, below)  # type: ignore[return-value]  # or an awaitable

    @strawberry.field(description="Positions in the candidate's order, at most 30.")
    def experience(self: Any, info: Info) -> list[Experience]:
        return queries.part(info.context.loaders, self, "experience")  # type: ignore[return-value]  # or an awaitable

    @strawberry.field(description="Education in the candidate's order, at most 20.")
    def education(self: Any, info: Info) -> list[Education]:
        return queries.part(info.context.loaders, self, "education")  # type: ignore[return-value]  # or an awaitable

    @strawberry.field(description="Work samples in the candidate's order, at most 20.")
    def work_samples(self: Any, info: Info) -> list[WorkSample]:
        return queries.part(info.context.loaders, self, "work_samples")  # type: ignore[return-value]  # or an awaitable

    @strawberry.field(
        description="References in the candidate's order, at most 10; null when the profile is anonymous to you. Their `contact` is private."
    )
    def references(self: Any, info: Info) -> list[Reference] | None:
        def asks_contact() -> bool:  # asked only when the references must be loaded
            return asks_for(info.selected_fields, "contact")

        return queries.references(info.context.loaders, info.context.viewer, self, asks_contact)  # type: ignore[return-value]  # or an awaitable

    @strawberry.field(
        description="Endorsements of all the candidate's skills, newest first. Hidden ones are listed only to the candidate."
    )
    async def endorsements(
        self: Any,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=f"Page size, 0–{MAX_PAGE_SIZE}, default 20.")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor of the last edge of the previous page.")] = None,
    ) -> Connection[Endorsement]:
        page = await queries.profile_endorsements(info.context.loaders, self, first=first, after=after)
        return Connection.from_page(page)
