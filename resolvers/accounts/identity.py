"""Whose name a viewer may see: a candidate follows her profile's privacy rules wherever
she is reached (endorser, conversation, offer, node).

The rule is the profile's (``resolvers.profiles.access``: visible, and identity not held
back by anonymity or a block); this module applies it to an account. Nothing applies to
the viewer themself, to employers (they act for their company in their own name) or to
deleted accounts (their name is already erased). A candidate without a profile is not
identified. To a viewer who may not see who she is, her name is ``ANONYMOUS_NAME``.

A page that shows many people decides for all of them at once and stamps the answer on
each ``User`` instance (``IDENTITY_ATTR``, this request's instances only), so each name
then answers without a query of its own.
"""

from __future__ import annotations

from models.accounts import Role, User
from resolvers.loading import Loaders
from resolvers.profiles.loaders import profile_access, profiles_by_user_id, viewer_infos

ANONYMOUS_NAME = "Anonymous candidate"
# A bool set on a user instance by a page's prefetch: may this request's viewer see who
# this candidate is.
IDENTITY_ATTR = "_ofw_identity"


def identity_is_plain(viewer: User | None, user: User) -> bool:
    """No privacy rule applies to the name: the viewer themself, an employer (acting for
    the company in their own name), a deleted account (its name is already erased)."""
    return (viewer is not None and viewer.pk == user.pk) or user.role != Role.CANDIDATE or user.deleted_at is not None


def prefetched_identity(user: User) -> bool | None:
    """The page's answer stamped on ``user`` (``IDENTITY_ATTR``), if any."""
    stamped: bool | None = user.__dict__.get(IDENTITY_ATTR)
    return stamped


async def identity_visible(loaders: Loaders, viewer: User | None, user: User) -> bool:
    """May ``viewer`` see who the candidate ``user`` is? Her profile must be visible to
    the viewer with its identity. Batched through the request's loaders (the same ones
    every profile path uses)."""
    profile = await loaders(profiles_by_user_id).load(user.pk)
    viewer_info = await loaders(viewer_infos).load(viewer)
    if profile is None:
        return False
    access = await loaders(profile_access).load((viewer_info, profile))
    return access.visible and access.identity


def shown_name(user: User, identified: bool) -> str:
    """The name to show: the user's own, or the placeholder when they are not identified."""
    return user.display_name if identified else ANONYMOUS_NAME
