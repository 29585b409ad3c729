"""Whose name a viewer may see: a candidate follows her profile's privacy rules wherever
she is reached (endorser, conversation, offer, node).

The rule is defined once, by profiles: ``resolvers.profiles.access.identity_is_plain``
(the viewer themself, an employer, a deleted account: no rule applies) and
``resolvers.profiles.visibility.identities_visible`` (otherwise her profile must be
visible to the viewer with its identity; a page decides for all its people at once and
stamps each answer, ``IDENTITY_ATTR``). This module gives accounts' graph types those
names and the one thing accounts adds: the name to show.
"""

from __future__ import annotations

from models.accounts import User
from resolvers.profiles.access import ANONYMOUS_NAME, identity_is_plain
from resolvers.profiles.visibility import IDENTITY_ATTR, identity_visible, prefetched_identity

__all__ = ["ANONYMOUS_NAME", "IDENTITY_ATTR", "identity_is_plain", "identity_visible", "prefetched_identity", "shown_name"]


def shown_name(user: User, identified: bool) -> str:
    """The name to show: the user's own, or the placeholder when they are not identified."""
    return user.display_name if identified else ANONYMOUS_NAME
