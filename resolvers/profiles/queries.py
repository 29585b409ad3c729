"""Every read of the profiles feature: a profile by handle, the employers' list, nodes by
ID, the candidate's own profile, access log and blocks — and the fields a client reads
of a profile (its lists, name, endorsements), answered from what ``prefetch`` left on a
page's instances or else loaded one by one through the request's DataLoaders.

Whatever is handed out is stamped with the viewer's access first (``visibility``); parts
carry their profile's stamp. Field readers return the value when it is at hand and an
awaitable only when it must be loaded (graphql-core completes a plain value far cheaper).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal, Protocol, TypeAlias, TypeVar

from tortoise.models import Model

from models.accounts import Company, User
from models.profiles import AccessKind, AccessLogEntry, Block, Endorsement, Profile, Reference, Skill
from resolvers.accounts.loaders import companies_by_id, users_by_id
from resolvers.errors import BadUserInput, Forbidden
from resolvers.loading import Loaders, by_key
from resolvers.pagination import MAX_PAGE_SIZE, Page, SortKey, encode_cursor, keyset_page
from resolvers.profiles.access import browsable_profiles, reachable_by_handle, require_candidate
from resolvers.profiles.loaders import (
    education_by_id,
    endorsement_counts_by_profile,
    endorsements_by_id,
    experience_by_id,
    first_endorsements_by_profile,
    first_endorsements_by_skill,
    profiles_by_id,
    references_by_id,
    skills_by_id,
    visible_endorsement_counts_by_skill_id,
    work_samples_by_id,
)
from resolvers.profiles.prefetch import (
    COUNT_ATTR,
    ENDORSEMENTS_ATTR,
    ENDORSER_ATTR,
    MISSING,
    PART_LOADERS,
    ProfileSelection,
    SkillSelection,
    prefetch_profiles,
    prefetch_skill_fields,
    prefetched,
)
from resolvers.profiles.validation import HANDLE_MAX, MAX_ENDORSEMENTS_PER_SKILL
from resolvers.profiles.visibility import access_of, own, record_access, stamp, stamp_all, viewer_of, visible_profiles
from resolvers.validation import normalise_handle

T = TypeVar("T")
M = TypeVar("M", bound=Model)
MaybeAwaitable: TypeAlias = T | Awaitable[T]


class _Part(Protocol):
    profile_id: int


P = TypeVar("P", bound=_Part)
Need = Literal["visible", "identity"]  # the ``ProfileAccess`` flag a part's node needs
# A node reader: (the request's DataLoaders, the viewer, primary keys) → objects or None.
NodeReader = Callable[[Loaders, User | None, list[int]], Awaitable[list[Any]]]

RECENTLY_UPDATED = (SortKey("updated_at", descending=True, kind="datetime"), SortKey("id", descending=True))
NEWEST_FIRST = (SortKey("created_at", descending=True, kind="datetime"), SortKey("id", descending=True))
ENDORSEMENT_KEYS = (SortKey("id", descending=True),)

# --- the roots ---------------------------------------------------------------------


async def profile_by_handle(loaders: Loaders, user: User | None, handle: str) -> Profile | None:
    """Only for viewers who may see who the candidate is (``access.reachable_by_handle``);
    an employer's view is logged."""
    if len(handle) > HANDLE_MAX:
        return None
    found = await Profile.get_or_none(handle=normalise_handle(handle))
    if found is None:
        return None
    (profile,) = await visible_profiles(loaders, user, [found])
    if profile is None or not reachable_by_handle(access_of(profile)):
        return None
    await record_access(loaders, user, [profile], AccessKind.VIEW)
    return profile


async def browse_profiles(
    loaders: Loaders, user: User, selection: ProfileSelection, *, first: int | None, after: str | None
) -> Page[Profile]:
    """Employers list the profiles they may see, most recently updated first, with what
    ``selection`` asks of each loaded for the whole page. Browsing is not a view."""
    if not user.is_employer:
        raise Forbidden("Only employers browse profiles.")
    viewer = await viewer_of(loaders, user)
    page = await keyset_page(browsable_profiles(viewer), RECENTLY_UPDATED, first=first, after=after)
    visible = await visible_profiles(loaders, user, list(page.items))
    # The SQL already applied the rules; the per-row check is the fail-safe.
    kept = [(row, cursor) for row, cursor in zip(visible, page.cursors, strict=True) if row is not None]
    page.items = [row for row, _ in kept]
    page.cursors = [cursor for _, cursor in kept]
    await prefetch_profiles(loaders, user, page.items, selection)
    return page


async def my_profile(user: User | None) -> Profile:
    user = require_candidate(user)
    return own(await Profile.get(user_id=user.pk))


async def my_access_log(user: User | None, *, first: int | None, after: str | None) -> Page[AccessLogEntry]:
    user = require_candidate(user)
    return await keyset_page(AccessLogEntry.filter(profile__user_id=user.pk), NEWEST_FIRST, first=first, after=after)


async def my_blocks(user: User | None, *, first: int | None, after: str | None) -> Page[Block]:
    user = require_candidate(user)
    return await keyset_page(Block.filter(profile__user_id=user.pk), NEWEST_FIRST, first=first, after=after)


# --- nodes by ID: each reader takes (loaders, viewer, primary keys) and returns, in key
# order, the visible objects stamped and None for the rest ------------------------------


async def profile_nodes(loaders: Loaders, user: User | None, ids: list[int]) -> list[Profile | None]:
    """An employer's view is logged (deduplicated), as for ``profile_by_handle``."""
    profiles = await visible_profiles(loaders, user, await loaders(profiles_by_id).load_many(ids))
    await record_access(loaders, user, [p for p in profiles if p is not None], AccessKind.VIEW)
    return profiles


async def _with_profile_access(loaders: Loaders, user: User | None, parts: list[P | None], need: Need) -> list[P | None]:
    """Each part stamped with its profile's access, where that access has ``need``."""
    present = [p for p in parts if p is not None]
    owners = await loaders(profiles_by_id).load_many([p.profile_id for p in present])
    profiles = await visible_profiles(loaders, user, owners)
    result: dict[int, P] = {}
    for part, profile in zip(present, profiles, strict=True):
        if profile is None:
            continue
        access = access_of(profile)
        if getattr(access, need):
            result[id(part)] = stamp(part, access)
    return [result.get(id(p)) if p is not None else None for p in parts]


def _part_nodes(batch_fn: Callable[[list[int]], Awaitable[list[P | None]]], need: Need = "visible") -> NodeReader:
    async def read(loaders: Loaders, user: User | None, ids: list[int]) -> list[P | None]:
        return await _with_profile_access(loaders, user, await loaders(batch_fn).load_many(ids), need)

    return read


skill_nodes = _part_nodes(skills_by_id)
experience_nodes = _part_nodes(experience_by_id)
education_nodes = _part_nodes(education_by_id)
work_sample_nodes = _part_nodes(work_samples_by_id)
reference_nodes = _part_nodes(references_by_id, need="identity")  # anonymous: no references


async def endorsement_nodes(loaders: Loaders, user: User | None, ids: list[int]) -> list[Endorsement | None]:
    """Hidden endorsements only to the candidate."""
    endorsements = await loaders(endorsements_by_id).load_many(ids)
    skills = await loaders(skills_by_id).load_many([e.skill_id for e in endorsements if e is not None])
    stamped = iter(await _with_profile_access(loaders, user, skills, "visible"))
    result: list[Endorsement | None] = []
    for endorsement in endorsements:
        skill = next(stamped) if endorsement is not None else None
        if endorsement is None or skill is None:
            result.append(None)
            continue
        access = access_of(skill)
        result.append(stamp(endorsement, access) if access.owner or not endorsement.hidden else None)
    return result


async def _owned_by_ids(model: type[M], user: User | None, ids: list[int]) -> list[M | None]:
    """Blocks and access-log entries: only the candidate whose they are sees them again."""
    if user is None:
        return [None] * len(ids)
    return by_key(await model.filter(id__in=set(ids), profile__user_id=user.pk), ids)


async def block_nodes(_loaders: Loaders, user: User | None, ids: list[int]) -> list[Block | None]:
    return await _owned_by_ids(Block, user, ids)


async def access_log_nodes(_loaders: Loaders, user: User | None, ids: list[int]) -> list[AccessLogEntry | None]:
    return await _owned_by_ids(AccessLogEntry, user, ids)


# --- the fields of a profile --------------------------------------------------------


def display_name(loaders: Loaders, profile: Profile) -> MaybeAwaitable[str | None]:
    """The candidate's name; None when the profile is anonymous to the viewer."""
    if not access_of(profile).identity:
        return None
    found: str | None = prefetched(profile, "display_name")
    return _load_display_name(loaders, profile) if found is MISSING else found


async def _load_display_name(loaders: Loaders, profile: Profile) -> str | None:
    user = await loaders(users_by_id).load(profile.user_id)
    return user.display_name if user is not None else None


def part(loaders: Loaders, profile: Profile, name: str) -> MaybeAwaitable[list[Any]]:
    """One of the lists of ``PART_LOADERS`` (experience, education, work samples)."""
    found: list[Any] = prefetched(profile, name)
    return _load_part(loaders, profile, name) if found is MISSING else found


async def _load_part(loaders: Loaders, profile: Profile, name: str) -> list[Any]:
    rows = await loaders(PART_LOADERS[name]).load(profile.pk)
    return stamp_all(rows, access_of(profile))


def skills(
    loaders: Loaders, user: User | None, profile: Profile, below: Callable[[], SkillSelection]
) -> MaybeAwaitable[list[Skill]]:
    """The skills, and what ``below()`` (asked only when they must be loaded) selects of them."""
    found: list[Skill] = prefetched(profile, "skills")
    return _load_skills(loaders, user, profile, below()) if found is MISSING else found


async def _load_skills(loaders: Loaders, user: User | None, profile: Profile, below: SkillSelection) -> list[Skill]:
    rows: list[Skill] = await _load_part(loaders, profile, "skills")
    await prefetch_skill_fields(loaders, user, rows, below, whole_batch=False)
    return rows


def references(
    loaders: Loaders, user: User | None, profile: Profile, asks_contact: Callable[[], bool]
) -> MaybeAwaitable[list[Reference] | None]:
    """None when the profile is anonymous to the viewer. Reading contacts (``asks_contact()``)
    is logged as a reveal for a company that may read them."""
    if not access_of(profile).identity:
        return None
    found: list[Reference] = prefetched(profile, "references")
    return _load_references(loaders, user, profile, asks_contact) if found is MISSING else found


async def _load_references(
    loaders: Loaders, user: User | None, profile: Profile, asks_contact: Callable[[], bool]
) -> list[Reference]:
    rows: list[Reference] = await _load_part(loaders, profile, "references")
    access = access_of(profile)
    if rows and access.references and not access.owner and asks_contact():
        await record_access(loaders, user, [profile], AccessKind.REFERENCES_REVEALED)
    return rows


def endorsement_count(loaders: Loaders, skill: Skill) -> MaybeAwaitable[int]:
    """Endorsements of the skill the candidate has not hidden."""
    count: int | None = skill.__dict__.get(COUNT_ATTR)
    return loaders(visible_endorsement_counts_by_skill_id).load(skill.pk) if count is None else count


def skill_endorsements(loaders: Loaders, skill: Skill, first: int) -> MaybeAwaitable[list[Endorsement]]:
    """The newest ``first`` endorsements of the skill; hidden ones only to the candidate."""
    if not 0 <= first <= MAX_ENDORSEMENTS_PER_SKILL:
        raise BadUserInput(f"'first' must be between 0 and {MAX_ENDORSEMENTS_PER_SKILL}.")
    found: list[Endorsement] | None = skill.__dict__.get(ENDORSEMENTS_ATTR, {}).get(first)
    return _load_endorsements(loaders, skill, first) if found is None else found


async def _load_endorsements(loaders: Loaders, skill: Skill, first: int) -> list[Endorsement]:
    access = access_of(skill)
    rows = await loaders(first_endorsements_by_skill).load((skill.pk, first, access.owner))
    return stamp_all(rows, access)


def endorser(loaders: Loaders, endorsement: Endorsement) -> MaybeAwaitable[User | None]:
    found: User | None = endorsement.__dict__.get(ENDORSER_ATTR)
    return loaders(users_by_id).load(endorsement.endorser_id) if found is None else found


async def endorsed_skill(loaders: Loaders, endorsement: Endorsement) -> Skill | None:
    skill = await loaders(skills_by_id).load(endorsement.skill_id)
    return stamp(skill, access_of(endorsement)) if skill is not None else None


async def profile_endorsements(
    loaders: Loaders, profile: Profile, *, first: int | None, after: str | None
) -> Page[Endorsement]:
    """Endorsements of all the profile's skills, newest first; hidden ones only to the
    candidate. The first page is batched with the page's other profiles."""
    access = access_of(profile)
    include_hidden = access.owner
    pk = profile.pk

    async def count() -> int:
        return await loaders(endorsement_counts_by_profile).load((pk, include_hidden))

    if after is None:
        size = 20 if first is None else first
        if not 0 <= size <= MAX_PAGE_SIZE:
            raise BadUserInput(f"'first' must be between 0 and {MAX_PAGE_SIZE}, got {size}.")
        rows = await loaders(first_endorsements_by_profile).load((pk, size + 1, include_hidden))
        items = rows[:size]
        page = Page(
            items=items,
            cursors=[encode_cursor([row.pk]) for row in items],
            has_next_page=len(rows) > size,
            has_previous_page=False,
            count=count,
        )
    else:
        query = Endorsement.filter(skill__profile_id=pk)
        if not include_hidden:
            query = query.filter(hidden=False)
        page = await keyset_page(query, ENDORSEMENT_KEYS, first=first, after=after)
        page.count = count
    stamp_all(page.items, access)
    return page


async def company(loaders: Loaders, company_id: int | None) -> Company | None:
    """A company of the profile's world (a block's, an access-log entry's); None for none."""
    if company_id is None:
        return None
    return await loaders(companies_by_id).load(company_id)
