"""Look-ahead loading: a page of profiles loads each kind of part once.

The GraphQL layer *describes* what a client selected below a list of profiles (or below
one profile's skills) as a ``ProfileSelection`` / ``SkillSelection``: plain names and
arguments, no GraphQL objects. Here that description becomes a plan — which parts, which
endorsement pages, whose identity — and the plan runs: one statement per kind for the
whole list, each row stamped with its profile's access, the results kept on the
instances. The nested fields then answer synchronously (``prefetched``); graphql-core
completes a plain value far cheaper than an awaitable one, and a page of profiles needs
no await per profile. What was not prefetched is loaded field by field by
``resolvers.profiles.queries`` through the request's DataLoaders.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from models.accounts import User
from models.profiles import Endorsement, Profile, Skill
from resolvers.accounts.loaders import display_names_by_user_id, users_by_id
from resolvers.loading import Loaders
from resolvers.profiles.loaders import (
    education_rows_by_profile_id,
    experience_rows_by_profile_id,
    fetch,
    first_endorsements_by_skill,
    reference_rows_by_profile_id,
    skill_rows_by_profile_id,
    visible_endorsement_counts_by_skill_id,
    work_sample_rows_by_profile_id,
)
from resolvers.profiles.validation import MAX_ENDORSEMENTS_PER_SKILL
from resolvers.profiles.visibility import access_of, stamp_all, stamp_identities

# Where the prefetched values live on the instances.
PARTS_ATTR = "_ofw_parts"  # profile → {part name: rows, "display_name": str | None}
COUNT_ATTR = "_ofw_endorsement_count"  # skill → int
ENDORSEMENTS_ATTR = "_ofw_endorsements"  # skill → {first: rows}
ENDORSER_ATTR = "_ofw_endorser"  # endorsement → User
MISSING: Any = object()

# A profile's lists, by part name, and the batch function that loads each (rows read as
# their models, ``resolvers.rows``: building the models was most of a page's cost).
PART_LOADERS: dict[str, Callable[[list[int]], Awaitable[list[list[Any]]]]] = {
    "skills": skill_rows_by_profile_id,
    "experience": experience_rows_by_profile_id,
    "education": education_rows_by_profile_id,
    "work_samples": work_sample_rows_by_profile_id,
    "references": reference_rows_by_profile_id,
}


@dataclass(frozen=True)
class SkillSelection:
    """What a client selected below skills (every alias and fragment merged)."""

    endorsement_count: bool = False
    # The ``first`` argument of each ``endorsements`` selection that could be read.
    endorsement_firsts: frozenset[int] = frozenset()
    endorsers: bool = False  # ``endorser`` below any of the endorsements
    endorser_identity: bool = False  # ``displayName`` or ``identityHidden`` below an endorser


@dataclass(frozen=True)
class ProfileSelection:
    """What a client selected below each profile of a list: ``display_name`` and the part
    names of ``PART_LOADERS`` it asks for, whether it reads references' contacts, and
    what it asks below skills."""

    fields: frozenset[str] = frozenset()
    reference_contacts: bool = False
    skills: SkillSelection = field(default_factory=SkillSelection)


def prefetched(obj: Any, name: str) -> Any:
    """What the prefetch left on ``obj`` (a profile) under ``name``; ``MISSING`` if nothing."""
    return obj.__dict__.get(PARTS_ATTR, {}).get(name, MISSING)


async def prefetch_profiles(
    loaders: Loaders, user: User | None, profiles: Sequence[Profile | None], selection: ProfileSelection
) -> None:
    """Load what ``selection`` asks of every visible profile in ``profiles`` at once: one
    statement per kind for the whole list, stamped with each profile's access. Profiles
    must already be stamped by ``visible_profiles``; unstamped or invisible ones are left
    alone."""
    visible = [p for p in profiles if p is not None and access_of(p).visible]
    if not visible or not selection.fields:
        return
    parts: dict[int, dict[str, Any]] = {id(p): {} for p in visible}
    if "display_name" in selection.fields:
        named = [p for p in visible if access_of(p).identity]
        names = await fetch(loaders, display_names_by_user_id, [p.user_id for p in named], whole_batch=True)
        for profile, name in zip(named, names, strict=True):
            parts[id(profile)]["display_name"] = name
    for name, batch_fn in PART_LOADERS.items():
        if name not in selection.fields:
            continue
        owners = visible
        if name == "references":
            # Revealing contacts is logged by the field itself; identity is needed.
            if selection.reference_contacts:
                continue
            owners = [p for p in visible if access_of(p).identity]
        lists = await fetch(loaders, batch_fn, [p.pk for p in owners], whole_batch=True)
        for profile, rows in zip(owners, lists, strict=True):
            parts[id(profile)][name] = stamp_all(rows, access_of(profile))
        if name == "skills":
            skills = [skill for rows in lists for skill in rows]
            await prefetch_skill_fields(loaders, user, skills, selection.skills, whole_batch=True)
    setter = object.__setattr__
    for profile in visible:
        setter(profile, PARTS_ATTR, parts[id(profile)])


async def prefetch_skill_fields(
    loaders: Loaders, user: User | None, skills: list[Skill], selection: SkillSelection, *, whole_batch: bool
) -> None:
    """Load what ``selection`` asks below ``skills`` (counts, first endorsements and their
    endorsers, and whether the viewer may see who those are) for all of them at once,
    so the per-skill and per-endorsement fields answer synchronously. Skills must carry
    their profile's stamp; with ``whole_batch`` they are all there is to load (a page),
    else one profile's among others that the DataLoaders batch."""
    if not skills:
        return
    setter = object.__setattr__
    if selection.endorsement_count:
        counts = await fetch(loaders, visible_endorsement_counts_by_skill_id, [s.pk for s in skills], whole_batch)
        for skill, count in zip(skills, counts, strict=True):
            setter(skill, COUNT_ATTR, count)
    for first in sorted(f for f in selection.endorsement_firsts if 0 <= f <= MAX_ENDORSEMENTS_PER_SKILL):
        keys = [(s.pk, first, access_of(s).owner) for s in skills]
        lists = await fetch(loaders, first_endorsements_by_skill, keys, whole_batch)
        endorsers = await _endorsers(loaders, user, lists, selection, whole_batch) if selection.endorsers else {}
        for skill, rows in zip(skills, lists, strict=True):
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


async def _endorsers(
    loaders: Loaders, user: User | None, lists: list[list[Endorsement]], selection: SkillSelection, whole_batch: bool
) -> dict[int, User | None]:
    ids = list({e.endorser_id for rows in lists for e in rows})
    endorsers = dict(zip(ids, await fetch(loaders, users_by_id, ids, whole_batch), strict=True))
    if selection.endorser_identity:
        people = [u for u in endorsers.values() if u is not None]
        await stamp_identities(loaders, user, people, whole_batch=whole_batch)
    return endorsers
