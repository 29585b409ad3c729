"""Handing profiles out: the viewer's access, decided by ``access`` and carried on the
instances (the *stamp*).

Privacy is stamped, not re-decided. Every path that hands out a profile — or a part of
one — goes through ``visible_profiles``, which asks ``resolvers.profiles.access`` for the
viewer's ``ProfileAccess`` (batched per request through its DataLoaders) and stamps it on
the model instance; parts inherit their profile's stamp (``stamp_all``). The GraphQL types
read the stamp (``access_of``) and refuse an unstamped or invisible instance, so a path
that forgets the check fails loudly instead of leaking a profile.

Whose *identity* a viewer may see is the same rule reached from a person instead of a
profile: ``identities_visible`` (one person or a whole page of them) and
``stamp_identities`` (the page's answer carried on the user instances, ``IDENTITY_ATTR``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from models.accounts import User
from models.profiles import AccessKind, Profile
from resolvers.loading import Loaders
from resolvers.profiles.access import (
    NO_ACCESS,
    OWNER_ACCESS,
    ProfileAccess,
    ViewerInfo,
    access_event,
    identity_is_plain,
)
from resolvers.profiles.loaders import fetch, profile_access, profiles_by_user_id, viewer_infos
from resolvers.profiles.loaders import record_access as record_access_batch

ACCESS_ATTR = "_ofw_access"
# Set (a bool) on user instances loaded for this request only: may the request's viewer
# see who this candidate is. Read by ``User.displayName`` and ``User.identityHidden``.
IDENTITY_ATTR = "_ofw_identity"

T = TypeVar("T")


def stamp(obj: T, access: ProfileAccess) -> T:
    """Carry ``access`` on ``obj`` (a profile or a part of one)."""
    object.__setattr__(obj, ACCESS_ATTR, access)
    return obj


def stamp_all(rows: list[T], access: ProfileAccess) -> list[T]:
    setter = object.__setattr__
    for row in rows:
        setter(row, ACCESS_ATTR, access)
    return rows


def access_of(obj: Any) -> ProfileAccess:
    """The stamp of ``obj``; ``NO_ACCESS`` when it was never stamped."""
    access: ProfileAccess = obj.__dict__.get(ACCESS_ATTR, NO_ACCESS)
    return access


def own(obj: T) -> T:
    """The owner's own profile or part (what a candidate's writes hand back)."""
    return stamp(obj, OWNER_ACCESS)


async def viewer_of(loaders: Loaders, user: User | None) -> ViewerInfo:
    """The signed-in user (or None) as privacy sees them, once per request."""
    return await loaders(viewer_infos).load(user)


async def visible_profiles(loaders: Loaders, user: User | None, profiles: Sequence[Profile | None]) -> list[Profile | None]:
    """THE way to hand profiles out: stamps each with the viewer's access and returns
    ``None`` where the viewer may not see it (blocked, hidden, missing). For ``node``,
    ``Offer.candidate``, search edges, anything that reaches a profile."""
    viewer = await viewer_of(loaders, user)
    present = [p for p in profiles if p is not None]
    accesses = await loaders(profile_access).load_many([(viewer, p) for p in present])
    for profile, access in zip(present, accesses, strict=True):
        stamp(profile, access)
    return [p if p is not None and access_of(p).visible else None for p in profiles]


async def identities_visible(
    loaders: Loaders, user: User | None, people: Sequence[User], *, whole_batch: bool = False
) -> list[bool]:
    """May the viewer (``user``) see who each of ``people`` is? True where no privacy rule
    applies to the name (``access.identity_is_plain``); else the rule of her profile:
    visible to the viewer, with identity. A candidate without a profile is not
    identified. With ``whole_batch`` the people are a whole page (loaded at once), else
    one among others that the request's DataLoaders batch."""
    answers = [True] * len(people)
    ruled = [i for i, person in enumerate(people) if not identity_is_plain(user, person)]
    if not ruled:
        return answers
    found = await fetch(loaders, profiles_by_user_id, [people[i].pk for i in ruled], whole_batch)
    visible = await visible_profiles(loaders, user, found)
    for i, profile in zip(ruled, visible, strict=True):
        answers[i] = profile is not None and access_of(profile).identity
    return answers


async def identity_visible(loaders: Loaders, user: User | None, person: User) -> bool:
    """``identities_visible`` for one person (batched with the request's others)."""
    [visible] = await identities_visible(loaders, user, [person])
    return visible


async def stamp_identities(loaders: Loaders, user: User | None, people: Sequence[User], *, whole_batch: bool) -> None:
    """Decide ``identities_visible`` for all of ``people`` at once and carry each answer
    on the instance (``IDENTITY_ATTR``), so a page's endorsers answer ``displayName`` and
    ``identityHidden`` without a coroutine each. The users must be this request's
    instances (the stamp lives as long as they do)."""
    ruled = [person for person in people if not identity_is_plain(user, person)]
    if not ruled:
        return
    for person, visible in zip(ruled, await identities_visible(loaders, user, ruled, whole_batch=whole_batch), strict=True):
        stamp_identity(person, visible)


def stamp_identity(person: User, visible: bool) -> None:
    """Carry on ``person`` (this request's instance) whether the request's viewer may see
    who she is, as decided by ``identities_visible``'s rule (``stamp_identities``, or a
    page that decided it from profiles it stamped itself)."""
    object.__setattr__(person, IDENTITY_ATTR, visible)


def prefetched_identity(person: User) -> bool | None:
    """What ``stamp_identities`` decided for ``person`` in this request, if it did."""
    decided: bool | None = person.__dict__.get(IDENTITY_ATTR)
    return decided


async def record_access(loaders: Loaders, user: User | None, profiles: Sequence[Profile], kind: AccessKind) -> None:
    """Log that the viewer's company saw these (stamped) profiles; deduplicated by
    ``access.record_access_many``, batched with the request's other logs."""
    viewer = await viewer_of(loaders, user)
    events = [e for p in profiles if (e := access_event(viewer, p, access_of(p), kind))]
    if events:
        await loaders(record_access_batch).load_many(events)
