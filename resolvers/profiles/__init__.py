"""Profiles: who may see a candidate and how much, and everything candidates write.

- ``access`` — the rules: who may see a profile and its identity, blocks, the access
  log (every path that reaches a profile asks here).
- ``visibility`` — the rules applied to one request: profiles handed out stamped with
  the viewer's access (``visible_profiles``), whose identity shows, views logged.
- ``queries`` — every read; ``prefetch`` — a page's look-ahead loading, planned from
  the plain ``ProfileSelection`` the GraphQL layer describes.
- ``commands`` — every write (profile, lists, endorsements, blocks); ``data_rights`` —
  export and erasure; ``events`` — what writes announce after they commit.
- ``parts``, ``validation``, ``years``, ``freshness`` — the input rules and derived values;
  ``loaders`` — the batch functions.

The names below are what other features use: the rules and their application to a
request (``access``, ``visibility``, which import only models and ``loaders``). Other
modules are imported by their module name, never from here: ``commands``, ``data_rights``
and ``events`` import chat, offers and search, which import ``access``, and importing
this package (which any ``resolvers.profiles.*`` import does first) must not need them.
"""

from resolvers.profiles.access import (
    ANONYMOUS_NAME,
    NO_ACCESS,
    OWNER_ACCESS,
    ProfileAccess,
    ViewerInfo,
    identity_is_plain,
    profile_access,
    profile_access_many,
    require_candidate,
    viewer_info,
)
from resolvers.profiles.visibility import (
    IDENTITY_ATTR,
    access_of,
    identities_visible,
    identity_visible,
    own,
    prefetched_identity,
    record_access,
    stamp,
    viewer_of,
    visible_profiles,
)

__all__ = [
    "ANONYMOUS_NAME",
    "IDENTITY_ATTR",
    "NO_ACCESS",
    "OWNER_ACCESS",
    "ProfileAccess",
    "ViewerInfo",
    "access_of",
    "identities_visible",
    "identity_is_plain",
    "identity_visible",
    "own",
    "prefetched_identity",
    "profile_access",
    "profile_access_many",
    "record_access",
    "require_candidate",
    "stamp",
    "viewer_info",
    "viewer_of",
    "visible_profiles",
]
