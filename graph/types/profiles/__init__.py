"""Profiles in GraphQL: types (``types``), inputs and payloads (``inputs``), the root
operations (``operations``) and the description of what a client selected below
profiles (``selection``), which ``resolvers.profiles`` plans its loading from. Other
features hand profiles to GraphQL only through ``visible_profiles(info, profiles)``
(``resolvers.profiles.visibility`` stamps each with the viewer's access)."""

from graph.types.profiles.operations import ProfilesMutation, ProfilesQuery
from graph.types.profiles.types import Profile, visible_profiles

__all__ = ["Profile", "ProfilesMutation", "ProfilesQuery", "visible_profiles"]
