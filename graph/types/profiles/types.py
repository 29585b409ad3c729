"""GraphQL object types of profiles, resolved straight from Tortoise models.

Privacy is stamped, not re-decided: every path that hands out a ``Profile`` (or a part
of one) goes through ``visible_profiles``, which asks ``resolvers.profiles.access`` for the
viewer's ``ProfileAccess`` (batched per request) and stamps it on the model instance;
parts inherit their profile's stamp. Identity fields read the stamp. A type's
``is_type_of`` refuses an unstamped or invisible instance, so a resolver elsewhere that
forgets the check fails loudly instead of leaking a profile.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import strawberry

from graph.context import Info
from graph.types.accounts import IDENTITY_ATTR, Company, User, _identity_is_plain
from graph.types.common import Connection, Node, describe_enum, model_type
from models import profiles as m
from resolvers.accounts.loaders import companies_by_id, users_by_id
from resolvers.errors import BadUserInput
from resolvers.ids import to_global_id
from resolvers.pagination import MAX_PAGE_SIZE, Page, SortKey, encode_cursor, keyset_page
from resolvers.profiles import access as privacy
from resolvers.profiles import loaders as loaders
from resolvers.profiles.freshness import is_stale

ACCESS_ATTR = "_ofw_access"
# Prefetched nested values (see ``prefetch_profiles``): a page of profiles loads each
# kind of part once and the nested resolvers answer synchronously from the instances.
PARTS_ATTR = "_ofw_parts"
COUNT_ATTR = "_ofw_endorsement_count"
ENDORSEMENTS_ATTR = "_ofw_endorsements"
ENDORSER_ATTR = "_ofw_endorser"
_MISSING = object()
MAX_ENDORSEMENTS_PER_SKILL = 20

# --- stamping -----------------------------------------------------------------------


def stamp(obj: Any, access: privacy.ProfileAccess) -> Any:
    object.__setattr__(obj, ACCESS_ATTR, access)
    return obj


def access_of(obj: Any) -> privacy.ProfileAccess:
    return obj.__dict__.get(ACCESS_ATTR, privacy.NO_ACCESS)


def stamp_all(rows: list[Any], access: privacy.ProfileAccess) -> list[Any]:
    setter = object.__setattr__
    for row in rows:
        setter(row, ACCESS_ATTR, access)
    return rows


def guarded(model_cls: type) -> Any:
    """Like ``model_type``, but only for instances stamped visible by ``visible_profiles``."""

    def decorate(cls: type) -> type:
        def is_type_of(obj: Any, _info: Any) -> bool:
            return isinstance(obj, model_cls) and obj.__dict__.get(ACCESS_ATTR, privacy.NO_ACCESS).visible

        cls.is_type_of = staticmethod(is_type_of)  # type: ignore[attr-defined]
        return cls

    return decorate


async def viewer_of(info: Info) -> privacy.ViewerInfo:
    return await info.context.loaders(loaders.viewer_infos).load(info.context.viewer)


async def visible_profiles(info: Info, profiles: list[m.Profile | None]) -> list[m.Profile | None]:
    """THE way to hand profiles to GraphQL: stamps each with the viewer's access and
    returns ``None`` where the viewer may not see it (blocked, hidden, missing). For
    ``Offer.candidate``, search edges, anything that reaches a profile."""
    viewer = await viewer_of(info)
    present = [p for p in profiles if p is not None]
    accesses = await info.context.loaders(loaders.profile_access).load_many([(viewer, p) for p in present])
    for profile, access in zip(present, accesses):
        stamp(profile, access)
    return [p if p is not None and access_of(p).visible else None for p in profiles]


ANONYMOUS_NAME = "Anonymous candidate"


async def identity_visible(info: Info, user: Any) -> bool:
    """May the viewer see who this candidate (a ``models.accounts.User``) is? The rule of
    her profile (``resolvers.profiles.access.profile_access``): visible and identity. A candidate
    without a profile is not identified. Batched through the request's loaders."""
    profile = await info.context.loaders(loaders.profiles_by_user_id).load(user.pk)
    [visible] = await visible_profiles(info, [profile])
    return visible is not None and access_of(visible).identity


def own(profile: m.Profile) -> m.Profile:
    """The owner's own profile (mutation payloads)."""
    return stamp(profile, privacy.OWNER_ACCESS)


async def record_access(info: Info, profiles: list[m.Profile], kind: m.AccessKind) -> None:
    """Log that the viewer's company saw these profiles (deduplicated in privacy)."""
    viewer = await viewer_of(info)
    events = [e for p in profiles if (e := privacy.access_event(viewer, p, access_of(p), kind))]
    if events:
        await info.context.loaders(loaders.record_access).load_many(events)


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
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Skill", self.pk))  # type: ignore[attr-defined]

    name: str = strawberry.field(description="Skill name as the candidate wrote it (inner spaces collapsed), 1–60 characters.")
    level: int = strawberry.field(description="Self-assessed level from 1 (beginner) to 5 (expert).")
    years: int | None = strawberry.field(description="Years of practice, 0–70, if given.")

    @strawberry.field(description="Number of endorsements of this skill that the candidate has not hidden.")
    def endorsement_count(self, info: Info) -> int:
        prefetched = self.__dict__.get(COUNT_ATTR)
        if prefetched is not None:
            return prefetched  # type: ignore[no-any-return]
        return info.context.loaders(loaders.visible_endorsement_counts_by_skill_id).load(self.pk)  # type: ignore[attr-defined,return-value]

    @strawberry.field(description="The newest endorsements of this skill. Hidden ones are listed only to the candidate (with `hidden: true`).")
    def endorsements(
        self,
        info: Info,
        first: Annotated[int, strawberry.argument(description=f"How many, 0–{MAX_ENDORSEMENTS_PER_SKILL}.")] = 3,
    ) -> list[Endorsement]:
        if not 0 <= first <= MAX_ENDORSEMENTS_PER_SKILL:
            raise BadUserInput(f"'first' must be between 0 and {MAX_ENDORSEMENTS_PER_SKILL}.")
        prefetched = self.__dict__.get(ENDORSEMENTS_ATTR, {}).get(first)
        if prefetched is not None:
            return prefetched  # type: ignore[no-any-return]
        return _load_endorsements(info, self, first)  # type: ignore[return-value]


async def _load_endorsements(info: Info, skill: Any, first: int) -> list[Any]:
    access = access_of(skill)
    rows = await info.context.loaders(loaders.first_endorsements_by_skill).load((skill.pk, first, access.owner))
    return stamp_all(rows, access)


@strawberry.type(description="A position held. The company name is identity: null to companies the anonymous candidate has not accepted.")
@guarded(m.Experience)
class Experience(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Experience", self.pk))  # type: ignore[attr-defined]

    title: str = strawberry.field(description="Job title, 1–120 characters.")
    start_date: date = strawberry.field(description="First day (not in the future).")
    end_date: date | None = strawberry.field(description="Last day; null while current.")
    current: bool = strawberry.field(description="True while the candidate still holds the position.")
    description: str = strawberry.field(description="What the candidate did, at most 5,000 characters.")

    @strawberry.field(description="Employer name, 1–120 characters; null when the profile is anonymous to you.")
    def company_name(self) -> str | None:
        return self.company_name if access_of(self).identity else None  # type: ignore[attr-defined]


@strawberry.type(description="A school, course or degree.")
@guarded(m.Education)
class Education(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Education", self.pk))  # type: ignore[attr-defined]

    school: str = strawberry.field(description="School or institution, 1–160 characters.")
    degree: str = strawberry.field(description="Degree, at most 120 characters; may be empty.")
    field_of_study: str = strawberry.field(description="Field of study, at most 120 characters; may be empty.")
    start_date: date | None = strawberry.field(description="Start, if given.")
    end_date: date | None = strawberry.field(description="End, if given; never before the start.")


@strawberry.type(description="Something the candidate made. The link is identity: null to companies the anonymous candidate has not accepted.")
@guarded(m.WorkSample)
class WorkSample(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("WorkSample", self.pk))  # type: ignore[attr-defined]

    title: str = strawberry.field(description="Title, 1–120 characters.")
    kind: WorkSampleKind = strawberry.field(description="What it is.")  # type: ignore[valid-type]
    description: str = strawberry.field(description="Description, at most 2,000 characters.")

    @strawberry.field(description="http(s) link, at most 500 characters; null when the profile is anonymous to you.")
    def url(self) -> str | None:
        return self.url if access_of(self).identity else None  # type: ignore[attr-defined]


@strawberry.type(description="Someone who vouches for the candidate. Contact details are private (see `contact`).")
@guarded(m.Reference)
class Reference(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Reference", self.pk))  # type: ignore[attr-defined]

    name: str = strawberry.field(description="The referee's name, 1–120 characters.")
    relationship: str = strawberry.field(description="How they know the candidate, 1–120 characters.")

    @strawberry.field(
        description="Email or phone, 1–254 characters. Only the candidate and companies in a conversation the candidate accepted see it (each reveal is in the candidate's access log); null for everyone else."
    )
    def contact(self) -> str | None:
        return self.contact if access_of(self).references else None  # type: ignore[attr-defined]


@strawberry.type(description="A user vouches for one of a candidate's skills. At most one per user and skill; never by the candidate.")
@guarded(m.Endorsement)
class Endorsement(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Endorsement", self.pk))  # type: ignore[attr-defined]

    comment: str = strawberry.field(description="Optional comment, at most 500 characters; may be empty.")
    hidden: bool = strawberry.field(description="True when the candidate hid it; only the candidate ever sees hidden endorsements.")
    created_at: datetime = strawberry.field(description="When it was given.")

    @strawberry.field(description="Who endorsed. The endorser's own privacy rules apply: a candidate you may not identify shows the placeholder name (`identityHidden: true`) and no identity on `profile`.")
    def endorser(self, info: Info) -> User | None:
        prefetched = self.__dict__.get(ENDORSER_ATTR)
        if prefetched is not None:
            return prefetched  # type: ignore[no-any-return]
        return info.context.loaders(users_by_id).load(self.endorser_id)  # type: ignore[attr-defined,return-value]

    @strawberry.field(description="The endorsed skill.")
    async def skill(self, info: Info) -> Skill | None:
        skill = await info.context.loaders(loaders.skills_by_id).load(self.skill_id)  # type: ignore[attr-defined]
        return stamp(skill, access_of(self)) if skill is not None else None


@strawberry.type(description="Desired pay: a range in one currency per period.")
class DesiredSalary:
    min: int | None = strawberry.field(description="Lowest acceptable amount, 0–1,000,000,000.")
    max: int | None = strawberry.field(description="Highest expected amount, never below `min`.")
    currency: str = strawberry.field(description="ISO 4217 code such as EUR.")
    period: SalaryPeriod = strawberry.field(description="What the amounts are paid for.")  # type: ignore[valid-type]


@strawberry.type(description="One entry of a candidate's access log: a company saw the profile.")
@model_type(m.AccessLogEntry)
class AccessLogEntry(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("AccessLogEntry", self.pk))  # type: ignore[attr-defined]

    kind: AccessKind = strawberry.field(description="What the company did.")  # type: ignore[valid-type]
    created_at: datetime = strawberry.field(description="When.")

    @strawberry.field(description="The company that saw the profile.")
    async def company(self, info: Info) -> Company | None:
        return await info.context.loaders(companies_by_id).load(self.company_id)  # type: ignore[attr-defined,return-value]


@strawberry.type(description="A company or email domain a candidate blocked: it sees nothing of the candidate.")
@model_type(m.Block)
class Block(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Block", self.pk))  # type: ignore[attr-defined]

    domain: str | None = strawberry.field(description="The blocked email domain (such as `acme.com`): every company whose verified domain matches; null for a company block.")
    created_at: datetime = strawberry.field(description="When the block was made.")

    @strawberry.field(description="The blocked company; null for a domain block.")
    async def company(self, info: Info) -> Company | None:
        if self.company_id is None:  # type: ignore[attr-defined]
            return None
        return await info.context.loaders(companies_by_id).load(self.company_id)  # type: ignore[attr-defined,return-value]


# --- the profile --------------------------------------------------------------------

ENDORSEMENT_KEYS = (SortKey("id", descending=True),)


@strawberry.type(
    description="A candidate's profile. What you see depends on who you are: the candidate sees everything; others see it only as its visibility allows, never when the candidate blocked their company; identity fields (handle, displayName, photoUrl, employer names, links, references) are null to companies an anonymous candidate has not accepted. `id` is stable and opaque, so anonymous profiles can still be referenced."
)
@guarded(m.Profile)
class Profile(Node):
    @strawberry.field(description="Globally unique, opaque ID; stable, reveals nothing.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Profile", self.pk))  # type: ignore[attr-defined]

    headline: str = strawberry.field(description="One line, at most 160 characters.")
    summary: str = strawberry.field(description="About the candidate, at most 5,000 characters.")
    city: str | None = strawberry.field(description="City, at most 100 characters.")
    country_code: str | None = strawberry.field(description="ISO 3166-1 alpha-2 country code such as DE.")
    remote_preference: RemotePreference | None = strawberry.field(description="Where the candidate wants to work.")  # type: ignore[valid-type]
    open_to_work: OpenToWork = strawberry.field(description="Whether the candidate is looking.")  # type: ignore[valid-type]
    visibility: Visibility = strawberry.field(description="Who may see the profile.")  # type: ignore[valid-type]
    anonymous: bool = strawberry.field(description="True when identity is hidden from companies until the candidate accepts their contact.")
    desired_roles: list[str] = strawberry.field(description="Roles sought, at most 10, each at most 80 characters.")
    available_from: date | None = strawberry.field(description="Earliest start date.")
    work_authorization: list[str] = strawberry.field(description="ISO 3166-1 alpha-2 codes of countries the candidate may work in, at most 30.")
    career_goals: str = strawberry.field(description="Career goals, at most 2,000 characters.")
    years_of_experience: int = strawberry.field(description="Years the candidate stated, or else derived from experience (overlapping periods counted once).")
    availability_confirmed_at: datetime | None = strawberry.field(description="When the candidate last confirmed being available (`confirmAvailability`).")
    updated_at: datetime = strawberry.field(description="Last change of the profile or one of its parts.")

    @strawberry.field(description="Unique handle (3–40 characters); null when the profile is anonymous to you.")
    def handle(self) -> str | None:
        return self.handle if access_of(self).identity else None  # type: ignore[attr-defined]

    @strawberry.field(description="Photo link (http or https); null when the profile is anonymous to you.")
    def photo_url(self) -> str | None:
        return self.photo_url if access_of(self).identity else None  # type: ignore[attr-defined]

    @strawberry.field(description="The candidate's name; null when the profile is anonymous to you.")
    def display_name(self, info: Info) -> str | None:
        if not access_of(self).identity:
            return None
        prefetched = _prefetched(self, "displayName")
        return _load_display_name(info, self) if prefetched is _MISSING else prefetched  # type: ignore[return-value]

    @strawberry.field(description="Desired pay; null when not given.")
    def desired_salary(self) -> DesiredSalary | None:
        if self.salary_currency is None or self.salary_period is None:  # type: ignore[attr-defined]
            return None
        return DesiredSalary(min=self.salary_min, max=self.salary_max, currency=self.salary_currency, period=self.salary_period)  # type: ignore[attr-defined]

    @strawberry.field(description="True when availability was not confirmed within the configured number of days (60 by default; never confirmed counts from sign-up). Stale profiles drop out of default search.")
    def stale(self, info: Info) -> bool:
        return is_stale(self, info.context.settings.availability_ttl_days)  # type: ignore[arg-type]

    @strawberry.field(description="Skills in the candidate's order, at most 50.")
    def skills(self, info: Info) -> list[Skill]:
        prefetched = _prefetched(self, "skills")
        return _load_skills(info, self) if prefetched is _MISSING else prefetched  # type: ignore[return-value]

    @strawberry.field(description="Positions in the candidate's order, at most 30.")
    def experience(self, info: Info) -> list[Experience]:
        return _part(info, self, "experience")

    @strawberry.field(description="Education in the candidate's order, at most 20.")
    def education(self, info: Info) -> list[Education]:
        return _part(info, self, "education")

    @strawberry.field(description="Work samples in the candidate's order, at most 20.")
    def work_samples(self, info: Info) -> list[WorkSample]:
        return _part(info, self, "workSamples")

    @strawberry.field(
        description="References in the candidate's order, at most 10; null when the profile is anonymous to you. Their `contact` is private."
    )
    def references(self, info: Info) -> list[Reference] | None:
        if not access_of(self).identity:
            return None
        prefetched = _prefetched(self, "references")
        return _load_references(info, self) if prefetched is _MISSING else prefetched  # type: ignore[return-value]

    @strawberry.field(
        description="Endorsements of all the candidate's skills, newest first. Hidden ones are listed only to the candidate."
    )
    async def endorsements(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=f"Page size, 0–{MAX_PAGE_SIZE}, default 20.")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor of the last edge of the previous page.")] = None,
    ) -> Connection[Endorsement]:
        access = access_of(self)
        include_hidden = access.owner
        pk = self.pk  # type: ignore[attr-defined]
        loaders_ = info.context.loaders

        async def count() -> int:
            return await loaders_(loaders.endorsement_counts_by_profile).load((pk, include_hidden))

        if after is None:
            size = 20 if first is None else first
            if not 0 <= size <= MAX_PAGE_SIZE:
                raise BadUserInput(f"'first' must be between 0 and {MAX_PAGE_SIZE}, got {size}.")
            rows = await loaders_(loaders.first_endorsements_by_profile).load((pk, size + 1, include_hidden))
            items = rows[:size]
            page: Page[Any] = Page(
                items=items,
                cursors=[encode_cursor([row.pk]) for row in items],
                has_next_page=len(rows) > size,
                has_previous_page=False,
                count=count,
            )
        else:
            query = m.Endorsement.filter(skill__profile_id=pk)
            if not include_hidden:
                query = query.filter(hidden=False)
            page = await keyset_page(query, ENDORSEMENT_KEYS, first=first, after=after)
            page.count = count
        stamp_all(page.items, access)
        return Connection.from_page(page)  # type: ignore[return-value]


# --- loading the parts --------------------------------------------------------------
#
# A profile's part fields are plain (sync) resolvers: they read what ``prefetch_profiles``
# stamped on the instance, and only when nothing was prefetched (a single profile reached
# by ``profile(handle:)``, ``node`` or a payload) return a coroutine that loads it through
# the request's DataLoaders. graphql-core completes a sync field far cheaper than an
# awaitable one, and a page of profiles then needs no await per profile.

PART_LOADERS: dict[str, Any] = {
    "skills": loaders.skills_by_profile_id,
    "experience": loaders.experience_by_profile_id,
    "education": loaders.education_by_profile_id,
    "workSamples": loaders.work_samples_by_profile_id,
    "references": loaders.references_by_profile_id,
}


def _prefetched(profile: Any, name: str) -> Any:
    return profile.__dict__.get(PARTS_ATTR, {}).get(name, _MISSING)


def _part(info: Info, profile: Any, name: str) -> Any:
    prefetched = _prefetched(profile, name)
    return _load_part(info, profile, name) if prefetched is _MISSING else prefetched


async def _load_part(info: Info, profile: Any, name: str) -> list[Any]:
    rows = await info.context.loaders(PART_LOADERS[name]).load(profile.pk)
    return stamp_all(rows, access_of(profile))


async def _load_display_name(info: Info, profile: Any) -> str | None:
    user = await info.context.loaders(users_by_id).load(profile.user_id)
    return user.display_name if user is not None else None


async def _load_skills(info: Info, profile: Any) -> list[Any]:
    rows = await _load_part(info, profile, "skills")
    await _prefetch_skill_fields(info, rows, _children(_fields(info.selected_fields)))
    return rows


async def _load_references(info: Info, profile: Any) -> list[Any]:
    rows = await _load_part(info, profile, "references")
    access = access_of(profile)
    if rows and access.references and not access.owner and _asks_for(info.selected_fields, "contact"):
        await record_access(info, [profile], m.AccessKind.REFERENCES_REVEALED)
    return rows


def _fields(selections: list[Any]) -> list[Any]:
    """The selected fields, fragments (named or inline) flattened."""
    found: list[Any] = []
    for selection in selections:
        if hasattr(selection, "arguments"):
            found.append(selection)
        else:
            found.extend(_fields(selection.selections))
    return found


def _children(fields: list[Any]) -> list[Any]:
    return _fields([child for field in fields for child in field.selections])


def _named(fields: list[Any], name: str) -> list[Any]:
    return [field for field in fields if field.name == name]


def selected_below(info: Info, *path: str) -> list[Any]:
    """The fields selected under ``path`` below the current field, such as
    ``selected_below(info, "edges", "node")`` in a connection resolver."""
    fields = _fields(info.selected_fields)
    for name in path:
        fields = _named(_children(fields), name)
    return _children(fields)


def _asks_for(selections: list[Any], name: str) -> bool:
    """Is ``name`` selected directly under these fields (fragments included)?"""
    return bool(_named(_children(_fields(selections)), name))


def _int_argument(field: Any, name: str, default: int) -> int | None:
    """An Int argument as strawberry's selection gives it (a literal arrives as its
    source text, a variable as its value); None when it cannot be read."""
    value = field.arguments.get(name, default)
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return value if isinstance(value, int) else None


async def _fetch(info: Info, batch_fn: Any, keys: list[Any], whole_batch: bool) -> list[Any]:
    """``batch_fn``'s values for ``keys``. When ``keys`` already are the whole batch (a
    page), one direct call: ``DataLoader.load_many`` would add a future per key and a
    gather over them (~2-3 ms on a page); else through the request's DataLoader, which
    batches the calls of many resolvers."""
    if not whole_batch:
        return await info.context.loaders(batch_fn).load_many(keys)  # type: ignore[no-any-return]
    return list(await batch_fn(keys)) if keys else []


async def prefetch_profiles(info: Info, profiles: list[Any], fields: list[Any]) -> None:
    """Load what ``fields`` (the selection below a list of profiles) asks of every
    visible profile in ``profiles`` at once: one statement per kind for the whole list
    (through the request's DataLoaders), stamped with each profile's access, so the
    nested resolvers answer synchronously. Profiles must already be stamped by
    ``visible_profiles``; unstamped or invisible ones are left alone."""
    visible = [p for p in profiles if p is not None and access_of(p).visible]
    if not visible or not fields:
        return
    names = {field.name for field in fields}
    parts: dict[int, dict[str, Any]] = {id(p): {} for p in visible}
    if "displayName" in names:
        named = [p for p in visible if access_of(p).identity]
        users = await _fetch(info, users_by_id, [p.user_id for p in named], whole_batch=True)
        for profile, user in zip(named, users):
            parts[id(profile)]["displayName"] = user.display_name if user is not None else None
    for name in ("skills", "experience", "education", "workSamples", "references"):
        if name not in names:
            continue
        owners = visible
        if name == "references":
            # Revealing contacts is logged by the resolver itself; identity is needed.
            if _asks_for(_named(fields, name), "contact"):
                continue
            owners = [p for p in visible if access_of(p).identity]
        lists = await _fetch(info, PART_LOADERS[name], [p.pk for p in owners], whole_batch=True)
        for profile, rows in zip(owners, lists):
            parts[id(profile)][name] = stamp_all(rows, access_of(profile))
        if name == "skills":
            skills = [skill for rows in lists for skill in rows]
            await _prefetch_skill_fields(info, skills, _children(_named(fields, name)), whole_batch=True)
    setter = object.__setattr__
    for profile in visible:
        setter(profile, PARTS_ATTR, parts[id(profile)])


async def _prefetch_identities(info: Info, users: list[Any], whole_batch: bool) -> None:
    """Stamp on each candidate in ``users`` whether the viewer may see who she is (the
    rule of ``identity_visible``, decided for all of them at once), so ``displayName``
    and ``identityHidden`` of a page's endorsers answer without a coroutine each. The
    users must be this request's instances (the stamp lives as long as they do)."""
    candidates = [u for u in users if not _identity_is_plain(info, u)]
    if not candidates:
        return
    found = await _fetch(info, loaders.profiles_by_user_id, [u.pk for u in candidates], whole_batch)
    visible = await visible_profiles(info, found)
    setter = object.__setattr__
    for user, profile in zip(candidates, visible):
        setter(user, IDENTITY_ATTR, profile is not None and access_of(profile).identity)


async def _prefetch_skill_fields(info: Info, skills: list[Any], fields: list[Any], whole_batch: bool = False) -> None:
    """Load what ``fields`` asks below skills (counts, first endorsements and their
    endorsers) for all ``skills`` at once, so the per-skill and per-endorsement
    resolvers answer synchronously. Skills must carry their profile's stamp; with
    ``whole_batch`` they are all there is to load (a page), else one profile's among
    others that the DataLoaders batch."""
    if not skills or not fields:
        return
    setter = object.__setattr__
    if _named(fields, "endorsementCount"):
        counts = await _fetch(info, loaders.visible_endorsement_counts_by_skill_id, [s.pk for s in skills], whole_batch)
        for skill, count in zip(skills, counts):
            setter(skill, COUNT_ATTR, count)
    endorsement_fields = _named(fields, "endorsements")
    firsts = {_int_argument(field, "first", 3) for field in endorsement_fields}
    for first in sorted(f for f in firsts if f is not None and 0 <= f <= MAX_ENDORSEMENTS_PER_SKILL):
        lists = await _fetch(
            info, loaders.first_endorsements_by_skill, [(s.pk, first, access_of(s).owner) for s in skills], whole_batch
        )
        endorsers: dict[int, Any] = {}
        endorser_fields = _named(_children(endorsement_fields), "endorser")
        if endorser_fields:
            ids = list({e.endorser_id for rows in lists for e in rows})
            endorsers = dict(zip(ids, await _fetch(info, users_by_id, ids, whole_batch)))
            if _named(_children(endorser_fields), "displayName") or _named(_children(endorser_fields), "identityHidden"):
                await _prefetch_identities(info, [u for u in endorsers.values() if u is not None], whole_batch)
        for skill, rows in zip(skills, lists):
            stamp_all(rows, access_of(skill))
            for endorsement in rows:
                endorser = endorsers.get(endorsement.endorser_id)
                if endorser is not None:
                    setter(endorsement, ENDORSER_ATTR, endorser)
            cache = skill.__dict__.get(ENDORSEMENTS_ATTR)
            if cache is None:
                cache = {}
                setter(skill, ENDORSEMENTS_ATTR, cache)
            cache[first] = rows
