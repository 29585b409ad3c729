"""Profiles in GraphQL: types (``types``), inputs and payloads (``inputs``) and the
root operations (``operations``). Other features hand profiles to GraphQL only through
``visible_profiles(info, profiles)``, which applies ``resolvers/profiles/access.py``."""

from graph.types.profiles.operations import ProfilesMutation, ProfilesQuery
from graph.types.profiles.types import Profile, visible_profiles

__all__ = ["Profile", "ProfilesMutation", "ProfilesQuery", "visible_profiles"]
